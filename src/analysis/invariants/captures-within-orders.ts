import type { InvariantResult, InvariantViolation, LedgerRow } from './no-double-charge.js';

/**
 * The second money invariant, independent of any id the system under test chose: every provider
 * payment that holds money must be accounted for by an order the shoppers placed, at that
 * provider, in that currency, for the amount it captured.
 *
 * no-double-charge joins the ledgers on the merchant order id — but that id is whatever the
 * gateway sent. A gateway that derives a wallet's out_trade_no from each attempt (instead of the
 * order) charges one order twice under two "orders" the join cannot see. The harness knows what
 * it placed, so it matches in two passes:
 *
 *   1. by id: a payment whose order id is a placed order's, with the same provider, currency and
 *      amount, is that order's — one payment per order (a second one is a leftover). If every
 *      answer that shopper got said the payment failed, the money was taken behind their back:
 *      a violation too;
 *   2. by amount: each leftover payment needs a placed order of its (provider, currency, amount)
 *      that pass 1 left unmatched and that was not told it failed (an order the gateway sent
 *      under another number).
 *
 * A payment nothing accounts for is a violation. Limit: a leftover can still hide behind an
 * unmatched order of the same amount whose outcome was pending or unknown, so pass 2 is a floor,
 * not a proof; pass 1 leaves it only what the gateway sent under numbers nobody placed.
 */
/** What captures-within-orders reads of the orders placed (in memory here; on disk in a run). */
export interface PlacedOrdersView {
  readonly total: number;
  keyOfOrder(provider: string, orderId: string): string | undefined;
  capacity(available: (provider: string, orderId: string) => boolean): Map<string, number>;
}

export class PlacedOrders implements PlacedOrdersView {
  /** Orders placed without an id (counted only), per key. */
  readonly #anonymous = new Map<string, number>();
  /** provider + order id → the order and its key. */
  readonly #orders = new Map<string, { provider: string; orderId: string; key: string }>();
  #total = 0;

  /** One order placed (count each order once: its first submit, or a returning shopper's). */
  add(provider: string, currency: string, amount: number, orderId?: string): void {
    const key = keyOf(provider, currency, amount);
    if (orderId === undefined) this.#anonymous.set(key, (this.#anonymous.get(key) ?? 0) + 1);
    else if (this.#orders.has(idOf(provider, orderId))) return;
    else this.#orders.set(idOf(provider, orderId), { provider, orderId, key });
    this.#total++;
  }

  get total(): number {
    return this.#total;
  }

  /** The key of the order placed under this id at this provider, if one was. */
  keyOfOrder(provider: string, orderId: string): string | undefined {
    return this.#orders.get(idOf(provider, orderId))?.key;
  }

  /** Placed orders per key that `available` allows (every anonymous one counts). */
  capacity(available: (provider: string, orderId: string) => boolean): Map<string, number> {
    const out = new Map(this.#anonymous);
    for (const o of this.#orders.values()) if (available(o.provider, o.orderId)) out.set(o.key, (out.get(o.key) ?? 0) + 1);
    return out;
  }
}

export interface CapturesWithinOrdersOptions {
  /**
   * Whether every answer the shopper got for this order said it failed (a decline, a refused
   * connection …). Such an order was told it was not charged: a payment for it is a violation,
   * and it cannot account for a payment sent under another number either.
   */
  toldFailed?(provider: string, orderId: string): boolean;
}

interface Charged {
  provider: string;
  paymentId: string;
  orderId: string;
  currency: string;
  captured: number;
  net: number;
  traceId?: string | undefined;
}

export function checkCapturesWithinOrders(rows: readonly LedgerRow[], placed: PlacedOrdersView, options: CapturesWithinOrdersOptions = {}): InvariantResult {
  const toldFailed = options.toldFailed ?? (() => false);
  const charged = chargedPayments(rows);
  const violations: InvariantViolation[] = [];
  // Pass 1: by id, one payment per order.
  const matched = new Set<string>();
  const leftovers: Charged[] = [];
  for (const p of charged) {
    const id = idOf(p.provider, p.orderId);
    if (placed.keyOfOrder(p.provider, p.orderId) !== keyOf(p.provider, p.currency, p.captured) || matched.has(id)) {
      leftovers.push(p);
      continue;
    }
    matched.add(id);
    if (toldFailed(p.provider, p.orderId)) {
      violations.push(violation([p], `${p.provider} took ${p.captured} ${p.currency.toLowerCase()} for order ${p.orderId} (payment ${p.paymentId}), but every answer the shopper got said the payment failed`));
    }
  }
  // Pass 2: by amount, against orders pass 1 left unmatched and not told they failed.
  const capacity = placed.capacity((provider, orderId) => !matched.has(idOf(provider, orderId)) && !toldFailed(provider, orderId));
  const unaccounted = new Map<string, Charged[]>();
  for (const p of leftovers) {
    const key = keyOf(p.provider, p.currency, p.captured);
    const left = capacity.get(key) ?? 0;
    if (left > 0) capacity.set(key, left - 1);
    else unaccounted.set(key, [...(unaccounted.get(key) ?? []), p]);
  }
  for (const group of unaccounted.values()) {
    const first = group[0]!;
    violations.push(
      violation(
        group,
        `${first.provider} holds ${group.length} payment(s) of ${first.captured} ${first.currency.toLowerCase()} that no placed order accounts for: ${group.map((p) => `${p.paymentId} for ${p.orderId}`).join('; ')}`,
      ),
    );
  }
  return { name: 'captures-within-orders', unit: 'charges', passed: violations.length === 0, checked: charged.length, violations };
}

function violation(payments: readonly Charged[], message: string): InvariantViolation {
  return {
    orderId: payments.map((p) => p.orderId).join(','),
    provider: payments[0]!.provider,
    message,
    paymentIds: payments.map((p) => p.paymentId),
    traceId: payments.find((p) => p.traceId)?.traceId,
  };
}

function idOf(provider: string, orderId: string): string {
  return `${provider}\u0000${orderId}`;
}

/**
 * Payments still holding money (not fully refunded), with the amount they captured: the captured
 * amount, not the net, is what matches the order (a partial refund leaves the payment the
 * order's; a partial capture would not match — the harness's shoppers capture in full).
 */
function chargedPayments(rows: readonly LedgerRow[]): Charged[] {
  const payments = new Map<string, Charged>();
  for (const row of rows) {
    if (row.kind !== 'capture' && row.kind !== 'refund') continue;
    const id = `${row.provider}:${row.paymentId}`;
    let p = payments.get(id);
    if (!p) payments.set(id, (p = { provider: row.provider, paymentId: row.paymentId, orderId: row.orderId, currency: row.currency, captured: 0, net: 0, traceId: row.traceId }));
    if (row.kind === 'capture') p.captured += row.amount;
    p.net += row.kind === 'capture' ? row.amount : -row.amount;
  }
  return [...payments.values()].filter((p) => p.net > 0);
}

/** The key orders and payments match on: provider, currency (any case) and amount. */
export function keyOf(provider: string, currency: string, amount: number): string {
  return `${provider}\u0000${currency.toLowerCase()}\u0000${amount}`;
}
