import type { StripeState } from './objects.js';
import { isDebit, minorToMajor, toCsv, type FeeModel, type LedgerEntry, type SettlementColumn, type SettlementCycle, type SettlementLine } from '../core/index.js';

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

/**
 * Stripe's standard pricing for domestic cards: 2.9 % + 30¢ per successful charge, borne by the
 * merchant; the fee is not returned when a payment is refunded (stripe.com/pricing, US list
 * price). The fixed part is taken in the charge's currency (0.30 of it; none for zero-decimal ones).
 * A dispute costs a dispute fee of 15.00 (US; it depends on the account's country — €20 in much of
 * Europe), stated as the fee of the dispute's withdrawal balance transaction ("Dispute fee",
 * fee_details type stripe_fee) and given back with the reinstatement when the merchant wins
 * (support.stripe.com/questions/dispute-fees-faq). The dispute counter fee Stripe added in June
 * 2025, charged when the merchant contests and returned if it wins, is not modelled: the
 * simulator settles a dispute's outcome, not whether it was contested.
 */
export const STRIPE_FEES: FeeModel = Object.freeze({
  bps: 290,
  fixedMajor: 0.3,
  refunds: 'kept',
  dispute: Object.freeze({ fixedMajor: 15, returnedWhenWon: true }),
  source: 'stripe.com/pricing: 2.9% + 30c per domestic card charge; not returned on refund; 15.00 dispute fee, returned when won',
});

/** Standard payout schedule: a charge is available and paid out two days later (docs.stripe.com/payouts; US T+2, calendar days here). */
export const STRIPE_CYCLE: SettlementCycle = Object.freeze({ days: 2, utcOffsetMin: 0 });

const line = (l: SettlementLine): LedgerEntry => l.entry;
const signed = (l: SettlementLine): number => (isDebit(l.kind) ? -l.gross : l.gross);
/** The report's category of each movement: a dispute's withdrawal and reinstatement are `dispute` and `dispute_reversal`. */
const CATEGORY: Readonly<Record<SettlementLine['kind'], string>> = { capture: 'charge', refund: 'refund', chargeback: 'dispute', chargeback_reversal: 'dispute_reversal' };

/**
 * Version 2: the payout reconciliation report (itemised): each balance transaction with its fee,
 * net, the day it becomes available and the automatic payout it is paid out in. A dispute's
 * withdrawal is a negative `dispute` line, its reinstatement a positive `dispute_reversal`.
 */
export const STRIPE_SETTLEMENT_REPORT_COLUMNS: readonly SettlementColumn<SettlementLine>[] = Object.freeze([
  { header: 'balance_transaction_id', value: (l: SettlementLine) => `txn_${line(l).id.split('_').pop()}` },
  // Both on the simulator's clock (committedAt, settlesAt): with a time scale ≠ 1 a wall-clock created_utc would fall days before its own available_on_utc.
  { header: 'created_utc', value: (l: SettlementLine) => utc(new Date(l.committedAt).toISOString()) },
  { header: 'available_on_utc', value: (l: SettlementLine) => utc(new Date(l.settlesAt).toISOString()) },
  { header: 'currency', value: (l: SettlementLine) => line(l).currency.toLowerCase() },
  { header: 'gross', value: (l: SettlementLine) => minorToMajor(signed(l), line(l).currency) },
  { header: 'fee', value: (l: SettlementLine) => minorToMajor(l.fee, line(l).currency) },
  { header: 'net', value: (l: SettlementLine) => minorToMajor(l.net, line(l).currency) },
  { header: 'reporting_category', value: (l: SettlementLine) => CATEGORY[l.kind] },
  { header: 'source_id', value: (l: SettlementLine) => line(l).reference },
  { header: 'payment_intent_id', value: (l: SettlementLine) => line(l).paymentId },
  { header: 'payment_metadata[order_id]', value: (l: SettlementLine) => merchantOrderId(line(l)) },
  { header: 'automatic_payout_id', value: (l: SettlementLine) => `po_${l.batch}` },
  { header: 'automatic_payout_effective_at_utc', value: (l: SettlementLine) => utc(new Date(l.settlesAt).toISOString()) },
  { header: 'idempotency_key', value: (l: SettlementLine) => line(l).idempotencyKey },
  { header: 'trace_id', value: (l: SettlementLine) => line(l).traceId },
]);

type ReportRow = Record<string, string | number | undefined>;
const rowOf = (l: SettlementLine): ReportRow => Object.fromEntries(STRIPE_SETTLEMENT_REPORT_COLUMNS.map((c) => [c.header, c.value(l)]));

/**
 * The report, with each destination charge's Connect movements (connect.ts) right after the line
 * that caused them, in the same payout: a capture's `transfer` (the connected account's funds, out)
 * and `platform_earning` (the application fee, in); a refund's `transfer_reversal` (in) and
 * `platform_earning_refund` (out) — Stripe's reporting categories for them. They carry the
 * payment's ids so a reader can group a payment's split, and no ledger entry of their own: they
 * move money between the platform and a connected account, not to or from the shopper.
 */
export function stripeSettlementReportCsv(lines: readonly SettlementLine[], state?: StripeState): string {
  const rows: ReportRow[] = [];
  const seen = new Set<string>();
  for (const l of lines) {
    const row = rowOf(l);
    rows.push(row);
    for (const txnId of state ? connectTxnsOf(state, l) : []) {
      const txn = state!.balanceTransactions.get(txnId);
      if (!txn || seen.has(txn.id)) continue;
      seen.add(txn.id);
      rows.push({
        ...row,
        balance_transaction_id: txn.id,
        gross: minorToMajor(txn.amount, txn.currency),
        fee: minorToMajor(0, txn.currency),
        net: minorToMajor(txn.amount, txn.currency),
        reporting_category: txn.reporting_category,
        source_id: txn.source,
      });
    }
  }
  const columns = STRIPE_SETTLEMENT_REPORT_COLUMNS.map((c) => ({ header: c.header, value: (r: ReportRow) => r[c.header] }));
  return toCsv(columns, rows);
}

/** The Connect balance transactions a report line brought about: by its charge (capture) or refund. */
function connectTxnsOf(state: StripeState, l: SettlementLine): string[] {
  const ref = l.entry.reference ?? '';
  if (l.kind === 'capture') {
    const charge = state.charges.get(ref);
    const transfer = charge?.transfer ? state.transfers.get(charge.transfer) : undefined;
    const fee = charge?.application_fee ? state.applicationFees.get(charge.application_fee) : undefined;
    return [transfer?.balance_transaction, fee?.balance_transaction].filter((t): t is string => !!t);
  }
  if (l.kind === 'refund') {
    const split = state.refundSplits.get(ref);
    return [split?.reversal?.balance_transaction, split?.feeRefund?.balance_transaction].filter((t): t is string => !!t);
  }
  return [];
}
