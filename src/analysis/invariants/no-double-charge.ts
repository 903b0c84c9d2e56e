/**
 * The sacred invariant: no order is charged twice, net of refunds, under any fault.
 *
 * Input is the union of every provider's ledger. An order is double-charged when more than one
 * distinct provider payment captured money for it and not all but one of them were refunded in
 * full — whichever idempotency keys were used. Joining on the merchant order id, not on keys,
 * is the point: the dangerous client (a new key for the same order) is exactly what this catches.
 */
export interface LedgerRow {
  readonly provider: string;
  readonly kind: 'authorization' | 'capture' | 'refund' | 'void';
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
  /** How many orders were judged. */
  readonly checked: number;
  readonly violations: InvariantViolation[];
}

export function checkNoDoubleCharge(rows: readonly LedgerRow[]): InvariantResult {
  // order → payment (provider:paymentId) → net captured
  const orders = new Map<string, Map<string, { provider: string; paymentId: string; net: number; traceId?: string | undefined }>>();
  for (const row of rows) {
    if (row.kind !== 'capture' && row.kind !== 'refund') continue;
    let payments = orders.get(row.orderId);
    if (!payments) orders.set(row.orderId, (payments = new Map()));
    const key = `${row.provider}:${row.paymentId}`;
    let p = payments.get(key);
    if (!p) payments.set(key, (p = { provider: row.provider, paymentId: row.paymentId, net: 0, traceId: row.traceId }));
    p.net += row.kind === 'capture' ? row.amount : -row.amount;
  }
  const violations: InvariantViolation[] = [];
  for (const [orderId, payments] of orders) {
    const charged = [...payments.values()].filter((p) => p.net > 0);
    if (charged.length > 1) {
      violations.push({
        orderId,
        provider: [...new Set(charged.map((p) => p.provider))].join(','),
        message: `order ${orderId} was charged ${charged.length} times (${charged.map((p) => `${p.provider} ${p.paymentId}: ${p.net}`).join('; ')})`,
        paymentIds: charged.map((p) => p.paymentId),
        traceId: charged.find((p) => p.traceId)?.traceId,
      });
    }
  }
  return { name: 'no-double-charge', passed: violations.length === 0, checked: orders.size, violations };
}
