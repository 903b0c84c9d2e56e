/**
 * The sacred invariant: no order is charged twice, net of refunds, under any fault.
 *
 * Input is the union of every provider's ledger. An order is double-charged when more than one
 * distinct provider payment captured money for it and not all but one of them were refunded in
 * full — whichever idempotency keys were used. Joining on the merchant order id, not on keys,
 * is the point: the dangerous client (a new key for the same order) is exactly what this catches.
 * One payment captured twice is caught too: where the ledger records the authorisation, net
 * captures above the authorised amount mean the same payment took the money more than once.
 */
export interface LedgerRow {
  readonly provider: string;
  /** `chargeback` / `chargeback_reversal`: a dispute took the money back, or gave it back (the simulators' ledgers). */
  readonly kind: 'authorization' | 'capture' | 'refund' | 'void' | 'chargeback' | 'chargeback_reversal';
  /** The movement's own id at the provider (refund id, dispute id), when it has one. */
  readonly reference?: string | undefined;
  readonly paymentId: string;
  readonly orderId: string;
  readonly idempotencyKey?: string | undefined;
  readonly amount: number;
  readonly currency: string;
  readonly traceId?: string | undefined;
}

export interface InvariantViolation {
  readonly orderId: string;
  readonly provider: string;
  readonly message: string;
  readonly paymentIds: string[];
  readonly traceId?: string | undefined;
}

export interface InvariantResult {
  readonly name: string;
  readonly passed: boolean;
  /** What `checked` counts (orders, charges …): each invariant judges its own unit. */
  readonly unit: string;
  /** How many units were judged. */
  readonly checked: number;
  readonly violations: InvariantViolation[];
  /**
   * Set when the invariant could not be judged, with the reason: `passed` is then true because
   * nothing was found, not because it held.
   */
  readonly notEvaluated?: string;
  /**
   * Parts left unjudged while the rest was judged, by provider, each with the reason (reconciliation-
   * clean: a provider that publishes no settlement report): `passed` speaks for the others only.
   */
  readonly notEvaluatedFor?: Readonly<Record<string, string>>;
}

export function checkNoDoubleCharge(rows: readonly LedgerRow[]): InvariantResult {
  // order → payment (provider:paymentId) → net captured
  const orders = new Map<string, Map<string, { provider: string; paymentId: string; net: number; authorized: number; moved: boolean; traceId?: string | undefined }>>();
  for (const row of rows) {
    // What the merchant charged, net of what it refunded: a bank's chargeback is not the merchant's doing.
    if (row.kind === 'void' || row.kind === 'chargeback' || row.kind === 'chargeback_reversal') continue;
    let payments = orders.get(row.orderId);
    if (!payments) orders.set(row.orderId, (payments = new Map()));
    const key = `${row.provider}:${row.paymentId}`;
    let p = payments.get(key);
    if (!p) payments.set(key, (p = { provider: row.provider, paymentId: row.paymentId, net: 0, authorized: 0, moved: false, traceId: row.traceId }));
    p.traceId ??= row.traceId;
    if (row.kind === 'authorization') p.authorized += row.amount;
    else {
      p.net += row.kind === 'capture' ? row.amount : -row.amount;
      p.moved = true;
    }
  }
  const violations: InvariantViolation[] = [];
  let checked = 0;
  for (const [orderId, all] of orders) {
    const payments = [...all.values()];
    // Authorisations alone move no money: an order with nothing captured is not judged.
    if (!payments.some((p) => p.moved)) continue;
    checked++;
    const charged = payments.filter((p) => p.net > 0);
    const overCaptured = charged.filter((p) => p.authorized > 0 && p.net > p.authorized);
    if (charged.length > 1 || overCaptured.length > 0) {
      violations.push({
        orderId,
        provider: [...new Set(charged.map((p) => p.provider))].join(','),
        message:
          charged.length > 1
            ? `order ${orderId} was charged ${charged.length} times (${charged.map((p) => `${p.provider} ${p.paymentId}: ${p.net}`).join('; ')})`
            : `order ${orderId} was captured beyond its authorisation (${overCaptured.map((p) => `${p.provider} ${p.paymentId}: ${p.net} of ${p.authorized}`).join('; ')})`,
        paymentIds: charged.map((p) => p.paymentId),
        traceId: charged.find((p) => p.traceId)?.traceId,
      });
    }
  }
  return { name: 'no-double-charge', unit: 'orders', passed: violations.length === 0, checked, violations };
}
