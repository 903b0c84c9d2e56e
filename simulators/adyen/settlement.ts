import { minorToMajor, toCsv, type LedgerEntry, type SettlementColumn } from '../core/index.js';

/**
 * The ledger as Adyen's Settlement details report lists it: a row per settled journal entry
 * (captures `Settled`, refunds `Refunded`), gross amounts in major units split into debit and
 * credit columns, times in the report's time zone (UTC here). Adyen's fees are not simulated, so
 * net equals gross and commission is 0.
 */
const TYPE: Partial<Record<LedgerEntry['kind'], string>> = { capture: 'Settled', refund: 'Refunded' };
const when = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$/, '');

/** `merchantOf` names the merchant account of an entry's payment (ledger entries do not carry it). */
export function adyenSettlementColumns(companyAccount: string, merchantOf: (e: LedgerEntry) => string): readonly SettlementColumn[] {
  return Object.freeze([
    { header: 'Company Account', value: () => companyAccount },
    { header: 'Merchant Account', value: (e: LedgerEntry) => merchantOf(e) },
    { header: 'Psp Reference', value: (e: LedgerEntry) => e.paymentId },
    { header: 'Merchant Reference', value: (e: LedgerEntry) => e.orderId },
    { header: 'Payment Method', value: () => '' },
    { header: 'Creation Date', value: (e: LedgerEntry) => when(e.at) },
    { header: 'TimeZone', value: () => 'UTC' },
    { header: 'Type', value: (e: LedgerEntry) => TYPE[e.kind] },
    { header: 'Modification Reference', value: (e: LedgerEntry) => e.reference ?? e.paymentId },
    { header: 'Gross Currency', value: (e: LedgerEntry) => e.currency },
    { header: 'Gross Debit (GC)', value: (e: LedgerEntry) => (e.kind === 'refund' ? minorToMajor(e.amount, e.currency) : '') },
    { header: 'Gross Credit (GC)', value: (e: LedgerEntry) => (e.kind === 'capture' ? minorToMajor(e.amount, e.currency) : '') },
    { header: 'Net Currency', value: (e: LedgerEntry) => e.currency },
    { header: 'Net Debit (NC)', value: (e: LedgerEntry) => (e.kind === 'refund' ? minorToMajor(e.amount, e.currency) : '') },
    { header: 'Net Credit (NC)', value: (e: LedgerEntry) => (e.kind === 'capture' ? minorToMajor(e.amount, e.currency) : '') },
    { header: 'Commission (NC)', value: (e: LedgerEntry) => minorToMajor(0, e.currency) },
    { header: 'Batch Number', value: () => 1 },
  ]);
}

export function adyenSettlementCsv(entries: readonly LedgerEntry[], companyAccount: string, merchantOf: (e: LedgerEntry) => string): string {
  return toCsv(adyenSettlementColumns(companyAccount, merchantOf), entries.filter((e) => e.kind === 'capture' || e.kind === 'refund'));
}
