import { isDebit, minorToMajor, toCsv, type FeeModel, type LedgerEntry, type SettlementColumn, type SettlementCycle, type SettlementLine } from '../core/index.js';

/**
 * The ledger as PayPal's Settlement Report (STL) lists its detail rows ("SB" lines): T0006 for a
 * capture (credit), T1107 for a refund (debit), gross amounts in major units, fees not simulated.
 */
export const PAYPAL_SETTLEMENT_COLUMNS: readonly SettlementColumn[] = Object.freeze([
  { header: 'Transaction ID', value: (e: LedgerEntry) => e.reference },
  { header: 'Invoice ID', value: (e: LedgerEntry) => e.orderId },
  { header: 'PayPal Reference ID', value: (e: LedgerEntry) => e.paymentId },
  { header: 'PayPal Reference ID Type', value: () => 'ODR' },
  { header: 'Transaction Event Code', value: (e: LedgerEntry) => (e.kind === 'refund' ? 'T1107' : 'T0006') },
  { header: 'Transaction Initiation Date', value: (e: LedgerEntry) => e.at.replace('T', ' ').replace(/\.\d+Z$/, ' +0000') },
  { header: 'Transaction Completion Date', value: (e: LedgerEntry) => e.at.replace('T', ' ').replace(/\.\d+Z$/, ' +0000') },
  { header: 'Transaction Debit or Credit', value: (e: LedgerEntry) => (e.kind === 'refund' ? 'DR' : 'CR') },
  { header: 'Gross Transaction Amount', value: (e: LedgerEntry) => minorToMajor(e.amount, e.currency) },
  { header: 'Gross Transaction Currency', value: (e: LedgerEntry) => e.currency },
  { header: 'Fee Amount', value: (e: LedgerEntry) => minorToMajor(0, e.currency) },
  { header: 'PayPal-Request-Id', value: (e: LedgerEntry) => e.idempotencyKey },
  { header: 'Trace ID', value: (e: LedgerEntry) => e.traceId },
]);

export function paypalSettlementCsv(entries: readonly LedgerEntry[]): string {
  return toCsv(PAYPAL_SETTLEMENT_COLUMNS, entries.filter((e) => e.kind === 'capture' || e.kind === 'refund'));
}

/**
 * PayPal Checkout's US list price: 3.49 % + a fixed fee of 0.49 USD per transaction, borne by
 * the merchant; PayPal keeps its fees when a payment is refunded
 * (paypal.com/us/business/paypal-business-fees). The fixed part is taken in the transaction's currency.
 * A dispute escalated to a claim or chargeback costs the Standard Dispute Fee of 15.00 (US; the
 * High Volume Dispute Fee at a dispute rate ≥ 1.5 % is not modelled), in the report's Fee Amount
 * column; not charged when the case is decided in the seller's favour — so the reversal gives it
 * back — nor on a transaction under twice the Standard Dispute Fee, 30.00
 * (paypal.com/us/smarthelp/article/…-faq4352 and …-faq4382). PayPal deducts the fee after the
 * claim is decided; taking it with the chargeback nets the same once the case is decided.
 */
export const PAYPAL_FEES: FeeModel = Object.freeze({
  bps: 349,
  fixedMajor: 0.49,
  refunds: 'kept',
  dispute: Object.freeze({ fixedMajor: 15, returnedWhenWon: true, waivedBelowMajor: 30 }),
  source: 'paypal.com business fees (US): PayPal Checkout 3.49% + 0.49; not returned on refund; Standard Dispute Fee 15.00, not charged when the seller wins nor under 30.00',
});

/** A capture is in the PayPal balance at once (T+0); the report is daily. */
export const PAYPAL_CYCLE: SettlementCycle = Object.freeze({ days: 0, utcOffsetMin: 0 });

const stl = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$/, ' +0000');
/** STL transaction event codes: T0006 a capture, T1107 a refund, T1201 a chargeback, T1202 its reversal. */
const EVENT_CODE: Readonly<Record<SettlementLine['kind'], string>> = { capture: 'T0006', refund: 'T1107', chargeback: 'T1201', chargeback_reversal: 'T1202' };

/**
 * Version 2: the STL detail rows with the fee (and its debit/credit side), in the columns of
 * PayPal's Settlement Report Specification (developer.paypal.com/docs/reports/sftp-reports/
 * settlement-report, Section Body fields), which has no settlement-date column: a row is in the
 * report of the day its transaction completed. PayPal credits a completed payment to the balance
 * at once (T+0), so the completion is the commit. With a longer cycle (the profile's
 * `settlementCycle`) or a late line the money is held until its day, and the transaction completes
 * then — as a held payment's does at PayPal — so the Transaction Completion Date states the day
 * the line settles. `PayPal-Request-Id` and `Trace ID` are paychaos' own trailing columns.
 */
export const PAYPAL_SETTLEMENT_REPORT_COLUMNS: readonly SettlementColumn<SettlementLine>[] = Object.freeze([
  { header: 'Transaction ID', value: (l: SettlementLine) => l.entry.reference },
  { header: 'Invoice ID', value: (l: SettlementLine) => l.entry.orderId },
  { header: 'PayPal Reference ID', value: (l: SettlementLine) => l.entry.paymentId },
  { header: 'PayPal Reference ID Type', value: () => 'ODR' },
  { header: 'Transaction Event Code', value: (l: SettlementLine) => EVENT_CODE[l.kind] },
  // On the simulator's clock (committedAt; the ledger's `at` is wall-clock), as the day the line settles is.
  { header: 'Transaction Initiation Date', value: (l: SettlementLine) => stl(new Date(l.committedAt).toISOString()) },
  { header: 'Transaction Completion Date', value: (l: SettlementLine) => stl(new Date(Math.max(l.committedAt, l.settlesAt)).toISOString()) },
  { header: 'Transaction Debit or Credit', value: (l: SettlementLine) => (isDebit(l.kind) ? 'DR' : 'CR') },
  { header: 'Gross Transaction Amount', value: (l: SettlementLine) => minorToMajor(l.gross, l.entry.currency) },
  { header: 'Gross Transaction Currency', value: (l: SettlementLine) => l.entry.currency },
  { header: 'Fee Debit or Credit', value: (l: SettlementLine) => (l.fee < 0 ? 'CR' : 'DR') },
  { header: 'Fee Amount', value: (l: SettlementLine) => minorToMajor(Math.abs(l.fee), l.entry.currency) },
  { header: 'PayPal-Request-Id', value: (l: SettlementLine) => l.entry.idempotencyKey },
  { header: 'Trace ID', value: (l: SettlementLine) => l.entry.traceId },
]);

export function paypalSettlementReportCsv(lines: readonly SettlementLine[]): string {
  return toCsv(PAYPAL_SETTLEMENT_REPORT_COLUMNS, lines);
}
