import type { InvariantResult, InvariantViolation, LedgerRow } from './no-double-charge.js';

/**
 * The second money invariant, independent of any id the system under test chose: every provider
 * payment that holds money must be matched by an order the shoppers placed, at that provider,
 * in that currency, for that amount.
 *
 * no-double-charge joins the ledgers on the merchant order id — but that id is whatever the
 * gateway sent. A gateway that derives a wallet's out_trade_no from each attempt (instead of the
 * order) charges one order twice under two "orders" the join cannot see. The harness knows what
 * it placed: counting placed orders per (provider, currency, amount) and charged payments per the
 * same key, an excess is money taken that no placed order accounts for. Amounts are drawn from a
 * wide continuous range, so two orders rarely share a key, and an excess is a double charge.
 */
export class PlacedOrders {
  readonly #counts = new Map<string, number>();
  #total = 0;

  /** One order placed (count each order once: its first submit, or a returning shopper's). */
  add(provider: string, currency: string, amount: number): void {
    const key = keyOf(provider, currency, amount);
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    this.#total++;
  }

  get total(): number {
    return this.#total;
  }

  count(provider: string, currency: string, amount: number): number {
    return this.#counts.get(keyOf(provider, currency, amount)) ?? 0;
  }
}

export function checkCapturesWithinOrders(rows: readonly LedgerRow[], placed: PlacedOrders): InvariantResult {
  // provider payment → net captured, with what it was for
  const payments = new Map<string, { provider: string; paymentId: string; orderId: string; currency: string; captured: number; net: number; traceId?: string | undefined }>();
  for (const row of rows) {
    if (row.kind !== 'capture' && row.kind !== 'refund') continue;
    const id = `${row.provider}:${row.paymentId}`;
    let p = payments.get(id);
    if (!p) payments.set(id, (p = { provider: row.provider, paymentId: row.paymentId, orderId: row.orderId, currency: row.currency, captured: 0, net: 0, traceId: row.traceId }));
    if (row.kind === 'capture') p.captured += row.amount;
    p.net += row.kind === 'capture' ? row.amount : -row.amount;
  }
  // (provider, currency, amount captured) → the payments still holding money. The captured
  // amount, not the net, is what matches the order: a partial refund leaves the payment the
  // order's. (A partial capture would not match; the harness's shoppers capture in full.)
  const charged = new Map<string, { provider: string; currency: string; amount: number; payments: { paymentId: string; orderId: string; traceId?: string | undefined }[] }>();
  for (const p of payments.values()) {
    if (p.net <= 0) continue;
    const key = keyOf(p.provider, p.currency, p.captured);
    let group = charged.get(key);
    if (!group) charged.set(key, (group = { provider: p.provider, currency: p.currency.toLowerCase(), amount: p.captured, payments: [] }));
    group.payments.push({ paymentId: p.paymentId, orderId: p.orderId, traceId: p.traceId });
  }
  const violations: InvariantViolation[] = [];
  let checked = 0;
  for (const g of charged.values()) {
    checked += g.payments.length;
    const orders = placed.count(g.provider, g.currency, g.amount);
    if (g.payments.length <= orders) continue;
    violations.push({
      orderId: g.payments.map((p) => p.orderId).join(','),
      provider: g.provider,
      message: `${g.provider} holds ${g.payments.length} payments of ${g.amount} ${g.currency} but shoppers placed ${orders} such order(s): ${g.payments.length - orders} charge(s) no order accounts for (${g.payments.map((p) => `${p.paymentId} for ${p.orderId}`).join('; ')})`,
      paymentIds: g.payments.map((p) => p.paymentId),
      traceId: g.payments.find((p) => p.traceId)?.traceId,
    });
  }
  return { name: 'captures-within-orders', passed: violations.length === 0, checked, violations };
}

function keyOf(provider: string, currency: string, amount: number): string {
  return `${provider}\u0000${currency.toLowerCase()}\u0000${amount}`;
}
