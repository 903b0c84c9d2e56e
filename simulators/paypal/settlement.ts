import { minorToMajor, toCsv, type LedgerEntry, type SettlementColumn } from '../core/index.js';

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
