import type { InvariantResult, InvariantViolation, LedgerRow } from './no-double-charge.js';

/**
 * `void-never-captured`: a voided (cancelled) authorisation is never captured afterwards, and
 * what was captured and voided together never exceeds what was authorised. Partial capture then
 * void of the rest is legitimate; a capture after the void, or a void that released money already
 * taken, is the race of a cancel and a capture gone wrong. Rows are read in each provider's
 * ledger order (commit order).
 */
export function checkVoidNeverCaptured(rows: readonly LedgerRow[]): InvariantResult {
  const payments = new Map<string, { provider: string; paymentId: string; orderId: string; authorized: number; captured: number; voided: number; capturedAfterVoid: boolean; traceId?: string | undefined }>();
  for (const r of rows) {
    const key = `${r.provider}\u0000${r.paymentId}`;
    let p = payments.get(key);
    if (!p) payments.set(key, (p = { provider: r.provider, paymentId: r.paymentId, orderId: r.orderId, authorized: 0, captured: 0, voided: 0, capturedAfterVoid: false, traceId: r.traceId }));
    if (r.kind === 'authorization') p.authorized += r.amount;
    else if (r.kind === 'void') p.voided += r.amount;
    else if (r.kind === 'capture') {
      if (p.voided > 0) p.capturedAfterVoid = true;
      p.captured += r.amount;
    }
  }
  const violations: InvariantViolation[] = [];
  let checked = 0;
  for (const p of payments.values()) {
    if (p.voided === 0) continue;
    checked++;
    const overdrawn = p.authorized > 0 && p.captured + p.voided > p.authorized;
    if (p.capturedAfterVoid || overdrawn) {
      violations.push({
        orderId: p.orderId,
        provider: p.provider,
        paymentIds: [p.paymentId],
        traceId: p.traceId,
        message: p.capturedAfterVoid
          ? `${p.provider} ${p.paymentId} was captured (${p.captured}) after its authorisation was voided (${p.voided})`
          : `${p.provider} ${p.paymentId} captured ${p.captured} and voided ${p.voided} of an authorisation of ${p.authorized}`,
      });
    }
  }
  return { name: 'void-never-captured', unit: 'voided authorisations', passed: violations.length === 0, checked, violations };
}
