import type { Reconciliation } from '../reconcile/index.js';
import type { InvariantResult } from './no-double-charge.js';

/**
 * `reconciliation-clean`: the gateway's books agree with every provider's settlement report,
 * payment by payment, net of refunds (../reconcile/match.ts): nothing missing on either side, no
 * amount, currency or fee off, no line listed twice. One violation per mismatch. A provider whose
 * payments the books hold but that publishes no settlement report (the WireMock-described wallets)
 * is named in `notEvaluatedFor` with its count, so a verdict never reads "clean" for books nobody
 * could check.
 */
export function checkReconciliationClean(result: Reconciliation): InvariantResult {
  const violations = result.rows.flatMap((r) =>
    r.mismatches.map((m) => ({ orderId: m.orderId, provider: m.provider, paymentIds: [m.providerRef], message: `${m.kind}: ${m.message}` })),
  );
  const unjudged = Object.entries(result.unreconciled).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b));
  const base = { name: 'reconciliation-clean', unit: 'payments', passed: violations.length === 0, checked: result.rows.length, violations };
  if (unjudged.length === 0) return base;
  return { ...base, notEvaluatedFor: Object.fromEntries(unjudged.map(([provider, n]) => [provider, `it publishes no settlement report (${n} book ${n === 1 ? 'entry' : 'entries'} not judged)`])) };
}
