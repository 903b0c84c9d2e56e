import type { BookEntry } from '../reconcile/index.js';
import type { InvariantResult, InvariantViolation } from './no-double-charge.js';

/**
 * `ledger-balances`: the gateway's double-entry books balance — every journal entry's lines sum
 * to zero (an entry is in one currency, so this is per currency), and has at least two lines.
 * Judged on the gateway's export (`GET /ledger`): entries exported without lines are not judged.
 */
export function checkLedgerBalances(books: readonly BookEntry[]): InvariantResult {
  const violations: InvariantViolation[] = [];
  let checked = 0;
  for (const e of books) {
    if (e.lines === undefined) continue;
    checked++;
    const total = e.lines.reduce((s, l) => s + l.amount, 0);
    if (total !== 0 || e.lines.length < 2) {
      violations.push({
        orderId: e.orderId,
        provider: e.provider,
        paymentIds: e.providerPaymentId !== undefined ? [e.providerPaymentId] : [],
        message: `journal entry ${e.kind} ${e.reference} of payment ${e.paymentId} (${e.currency.toUpperCase()}) ${e.lines.length < 2 ? `has ${e.lines.length} line(s)` : `sums to ${total}`}: ${e.lines.map((l) => `${l.account} ${l.amount}`).join(', ')}`,
      });
    }
  }
  return { name: 'ledger-balances', unit: 'journal entries', passed: violations.length === 0, checked, violations };
}
