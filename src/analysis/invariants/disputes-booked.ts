import type { BookEntry } from '../reconcile/index.js';
import type { InvariantResult, InvariantViolation, LedgerRow } from './no-double-charge.js';

/**
 * `disputes-booked`: every dispute a provider's ledger shows is booked by the gateway, for the
 * amount it moved — per provider payment, what disputes took (chargebacks) and what they gave
 * back (reversals, a dispute won) are each the same in the provider's ledger (ground truth) and
 * in the gateway's books (`GET /ledger`: chargeback and chargeback_reversal entries). Each on its
 * own: a won dispute nets to nothing, but a merchant whose books never saw it does not know the
 * payment was disputed. A chargeback the books do not have is money gone without a trace in the
 * merchant's accounts; one the provider never took is a phantom loss.
 *
 * The provider's payment is found in the books by its id, else by the merchant reference both
 * sides carry. Only providers whose ledger was read are judged. One violation per payment.
 */
export function checkDisputesBooked(ledgers: readonly LedgerRow[], books: readonly BookEntry[]): InvariantResult {
  const theirs = new Map<string, { provider: string; paymentId: string; orderId: string; taken: number; back: number; disputes: Set<string>; traceId?: string | undefined }>();
  const providers = new Set<string>();
  for (const r of ledgers) {
    providers.add(r.provider);
    if (r.kind !== 'chargeback' && r.kind !== 'chargeback_reversal') continue;
    const key = `${r.provider}\u0000${r.paymentId}`;
    let p = theirs.get(key);
    if (!p) theirs.set(key, (p = { provider: r.provider, paymentId: r.paymentId, orderId: r.orderId, taken: 0, back: 0, disputes: new Set(), traceId: r.traceId }));
    if (r.kind === 'chargeback') p.taken += r.amount;
    else p.back += r.amount;
    if (r.reference !== undefined) p.disputes.add(r.reference);
  }
  // The books' dispute money per provider payment id, and per merchant reference as a fallback.
  const ours = new Map<string, { taken: number; back: number; orderId: string; refs: Set<string> }>();
  for (const e of books) {
    if (e.kind !== 'chargeback' && e.kind !== 'chargeback_reversal') continue;
    for (const id of new Set([e.providerPaymentId, e.providerReference, e.orderId].filter((x): x is string => x !== undefined))) {
      const key = `${e.provider}\u0000${id}`;
      const o = ours.get(key) ?? { taken: 0, back: 0, orderId: e.orderId, refs: new Set<string>() };
      if (e.kind === 'chargeback') o.taken += e.amount;
      else o.back += e.amount;
      o.refs.add(e.reference);
      ours.set(key, o);
    }
  }
  const violations: InvariantViolation[] = [];
  const matched = new Set<string>();
  for (const p of theirs.values()) {
    const o = ours.get(`${p.provider}\u0000${p.paymentId}`) ?? ours.get(`${p.provider}\u0000${p.orderId}`);
    if (o) for (const ref of o.refs) matched.add(`${p.provider}\u0000${ref}`);
    const taken = o?.taken ?? 0;
    const back = o?.back ?? 0;
    if (taken === p.taken && back === p.back) continue;
    violations.push({
      orderId: p.orderId,
      provider: p.provider,
      paymentIds: [p.paymentId],
      traceId: p.traceId,
      message: `${p.provider} charged back ${p.taken} and reinstated ${p.back} on ${p.paymentId} (dispute ${[...p.disputes].join(', ') || 'unnamed'}); the gateway's books hold ${taken} and ${back}${o ? '' : ' (no dispute entry at all)'}`,
    });
  }
  // Chargebacks in the books that no provider ledger shows (a provider read, and silent on it).
  const phantom = new Map<string, { provider: string; orderId: string; paymentId: string; net: number; refs: string[] }>();
  for (const e of books) {
    if ((e.kind !== 'chargeback' && e.kind !== 'chargeback_reversal') || !providers.has(e.provider) || matched.has(`${e.provider}\u0000${e.reference}`)) continue;
    const key = `${e.provider}\u0000${e.paymentId}`;
    const x = phantom.get(key) ?? { provider: e.provider, orderId: e.orderId, paymentId: e.providerPaymentId ?? e.paymentId, net: 0, refs: [] };
    x.net += e.kind === 'chargeback' ? e.amount : -e.amount;
    x.refs.push(e.reference);
    phantom.set(key, x);
  }
  for (const x of phantom.values()) {
    violations.push({ orderId: x.orderId, provider: x.provider, paymentIds: [x.paymentId], message: `the gateway's books hold a chargeback of ${x.net} on ${x.paymentId} (dispute ${x.refs.join(', ')}) that ${x.provider}'s ledger does not show` });
  }
  return { name: 'disputes-booked', unit: 'disputed payments', passed: violations.length === 0, checked: theirs.size + phantom.size, violations };
}
