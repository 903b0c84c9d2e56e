import { minorToMajor, toCsv, type LedgerEntry, type SettlementColumn } from '../core/index.js';

/**
 * The ledger as Stripe's itemised balance report lists it: one row per balance transaction
 * (captures as `charge`, refunds as `refund`; authorisations and voids move no balance and are
 * absent), amounts in major units, refunds negative, times in UTC. Stripe's fees are not
 * simulated, so `fee` is 0 and `net` equals `gross`.
 */
const sign = (e: LedgerEntry): number => (e.kind === 'refund' ? -1 : 1);
const utc = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$/, '');
/**
 * `metadata[order_id]` as the merchant sent it, or nothing. Without one the ledger files the
 * movement under the PaymentIntent id (context.ts `recordMovement`: it needs an order key), so an
 * order id equal to the payment id is that fallback, not the merchant's, and the report leaves the
 * column empty as Stripe's does. (A merchant who set `metadata[order_id]` to the intent's own id
 * on update is indistinguishable, and shows empty too.)
 */
const merchantOrderId = (e: LedgerEntry): string | undefined => (e.orderId === e.paymentId ? undefined : e.orderId);

export const STRIPE_SETTLEMENT_COLUMNS: readonly SettlementColumn[] = Object.freeze([
  { header: 'balance_transaction_id', value: (e: LedgerEntry) => `txn_${e.id.split('_').pop()}` },
  { header: 'created_utc', value: (e: LedgerEntry) => utc(e.at) },
  { header: 'available_on_utc', value: (e: LedgerEntry) => utc(e.at) },
  { header: 'currency', value: (e: LedgerEntry) => e.currency.toLowerCase() },
  { header: 'gross', value: (e: LedgerEntry) => minorToMajor(sign(e) * e.amount, e.currency) },
  { header: 'fee', value: (e: LedgerEntry) => minorToMajor(0, e.currency) },
  { header: 'net', value: (e: LedgerEntry) => minorToMajor(sign(e) * e.amount, e.currency) },
  { header: 'reporting_category', value: (e: LedgerEntry) => (e.kind === 'refund' ? 'refund' : 'charge') },
  { header: 'source_id', value: (e: LedgerEntry) => e.reference },
  { header: 'payment_intent_id', value: (e: LedgerEntry) => e.paymentId },
  { header: 'payment_metadata[order_id]', value: merchantOrderId },
  { header: 'idempotency_key', value: (e: LedgerEntry) => e.idempotencyKey },
  { header: 'trace_id', value: (e: LedgerEntry) => e.traceId },
]);

export function stripeSettlementCsv(entries: readonly LedgerEntry[]): string {
  return toCsv(STRIPE_SETTLEMENT_COLUMNS, entries.filter((e) => e.kind === 'capture' || e.kind === 'refund'));
}
