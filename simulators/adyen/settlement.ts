import { isDebit, minorToMajor, toCsv, type FeeModel, type LedgerEntry, type SettlementColumn, type SettlementCycle, type SettlementLine } from '../core/index.js';

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

/**
 * Adyen's list pricing: a processing fee of 0.13 (EUR) per transaction plus the payment method's
 * fee; for cards that is interchange++ and a markup, taken here as a blended 0.60 %
 * (help.adyen.com "What is Interchange++": from 0.60 %; the 0.13 only on third-party pages).
 * Borne by the merchant; Adyen does not give it back on a refund (and charges the processing fee
 * again at SentForRefund, adyen.help — not modelled). A chargeback costs a chargeback fee (the
 * settlement detail report's Chargeback line carries it in Commission (NC)), per contract and
 * scheme — Adyen publishes no list price for it, so 7.50 is assumed, not found in the published
 * docs, kept when the merchant wins; a merchant sets its own through its contract.
 */
export const ADYEN_FEES: FeeModel = Object.freeze({
  bps: 60,
  fixedMajor: 0.13,
  refunds: 'kept',
  dispute: Object.freeze({ fixedMajor: 7.5, returnedWhenWon: false }),
  source: 'Adyen 0.13 processing fee + card fee (interchange++ from 0.60%, help.adyen.com); not returned on refund; chargeback fee 7.50 assumed, not found in the published docs, kept',
});

/** Adyen settles in daily batches, the day after the capture (T+1; the merchant's settlement delay, configurable at Adyen). */
export const ADYEN_CYCLE: SettlementCycle = Object.freeze({ days: 1, utcOffsetMin: 0 });

/** The record types of version 2: a dispute's deduction is `Chargeback`, a won dispute's return `ChargebackReversed`. */
const REPORT_TYPE: Readonly<Record<SettlementLine['kind'], string>> = { capture: 'Settled', refund: 'Refunded', chargeback: 'Chargeback', chargeback_reversal: 'ChargebackReversed' };

/**
 * Version 2: the Settlement details report with its commission, net amounts and batch: the batch
 * number is the settlement day (YYYYMMDD), one batch a day.
 */
export function adyenSettlementReportColumns(companyAccount: string, merchantOf: (e: LedgerEntry) => string): readonly SettlementColumn<SettlementLine>[] {
  // Money out: refunds and chargebacks are debits; captures and reversed chargebacks credits.
  const refund = (l: SettlementLine) => isDebit(l.kind);
  const money = (n: number, l: SettlementLine) => minorToMajor(n, l.entry.currency);
  return Object.freeze([
    { header: 'Company Account', value: () => companyAccount },
    { header: 'Merchant Account', value: (l: SettlementLine) => merchantOf(l.entry) },
    { header: 'Psp Reference', value: (l: SettlementLine) => l.entry.paymentId },
    { header: 'Merchant Reference', value: (l: SettlementLine) => l.entry.orderId },
    { header: 'Payment Method', value: () => '' },
    { header: 'Creation Date', value: (l: SettlementLine) => when(new Date(l.committedAt).toISOString()) },
    { header: 'TimeZone', value: () => 'UTC' },
    { header: 'Type', value: (l: SettlementLine) => REPORT_TYPE[l.kind] },
    { header: 'Modification Reference', value: (l: SettlementLine) => l.entry.reference ?? l.entry.paymentId },
    { header: 'Gross Currency', value: (l: SettlementLine) => l.entry.currency },
    { header: 'Gross Debit (GC)', value: (l: SettlementLine) => (refund(l) ? money(l.gross, l) : '') },
    { header: 'Gross Credit (GC)', value: (l: SettlementLine) => (refund(l) ? '' : money(l.gross, l)) },
    { header: 'Net Currency', value: (l: SettlementLine) => l.entry.currency },
    { header: 'Net Debit (NC)', value: (l: SettlementLine) => (l.net < 0 ? money(-l.net, l) : '') },
    { header: 'Net Credit (NC)', value: (l: SettlementLine) => (l.net >= 0 ? money(l.net, l) : '') },
    { header: 'Commission (NC)', value: (l: SettlementLine) => money(l.fee, l) },
    { header: 'Batch Number', value: (l: SettlementLine) => l.batch },
  ]);
}

export function adyenSettlementReportCsv(lines: readonly SettlementLine[], companyAccount: string, merchantOf: (e: LedgerEntry) => string): string {
  return toCsv(adyenSettlementReportColumns(companyAccount, merchantOf), lines);
}
