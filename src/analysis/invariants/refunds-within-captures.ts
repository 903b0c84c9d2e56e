import type { InvariantResult, InvariantViolation, LedgerRow } from './no-double-charge.js';

/**
 * `refunds-within-captures`: at every provider, no payment gave back more than it took — the
 * refunds of a provider payment never exceed its captures (the providers' own ledgers, so a
 * refund applied twice after a timeout shows here whatever the gateway believes).
 */
export function checkRefundsWithinCaptures(rows: readonly LedgerRow[]): InvariantResult {
  const payments = new Map<string, { provider: string; paymentId: string; orderId: string; captured: number; refunded: number; traceId?: string | undefined }>();
  for (const r of rows) {
    if (r.kind !== 'capture' && r.kind !== 'refund') continue;
    const key = `${r.provider}\u0000${r.paymentId}`;
    let p = payments.get(key);
    if (!p) payments.set(key, (p = { provider: r.provider, paymentId: r.paymentId, orderId: r.orderId, captured: 0, refunded: 0, traceId: r.traceId }));
    if (r.kind === 'capture') p.captured += r.amount;
    else p.refunded += r.amount;
  }
  const violations: InvariantViolation[] = [];
  for (const p of payments.values()) {
    if (p.refunded > p.captured) {
      violations.push({ orderId: p.orderId, provider: p.provider, paymentIds: [p.paymentId], traceId: p.traceId, message: `${p.provider} ${p.paymentId} refunded ${p.refunded} but captured only ${p.captured}` });
    }
  }
  return { name: 'refunds-within-captures', unit: 'payments', passed: violations.length === 0, checked: payments.size, violations };
}
