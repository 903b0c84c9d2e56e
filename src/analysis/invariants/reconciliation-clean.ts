import type { Reconciliation } from '../reconcile/index.js';
import type { InvariantResult } from './no-double-charge.js';

/**
 * `reconciliation-clean`: the gateway's books agree with every provider's settlement report,
 * payment by payment, net of refunds (../reconcile/match.ts): nothing missing on either side, no
 * amount, currency or fee off, no line listed twice. One violation per mismatch.
 */
export function checkReconciliationClean(result: Reconciliation): InvariantResult {
  const violations = result.rows.flatMap((r) =>
    r.mismatches.map((m) => ({ orderId: m.orderId, provider: m.provider, paymentIds: [m.providerRef], message: `${m.kind}: ${m.message}` })),
  );
  return { name: 'reconciliation-clean', unit: 'payments', passed: violations.length === 0, checked: result.rows.length, violations };
}
