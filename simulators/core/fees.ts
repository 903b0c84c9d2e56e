import type { LedgerKind } from './ledger.js';
import { currencyExponent } from './settlement.js';

/**
 * A provider's published pricing: a percentage of the amount plus a fixed fee per transaction,
 * borne by the merchant (deducted from what the provider pays out). Each provider states its own
 * in its settlement.ts, with the public list price it was taken from.
 *
 * Rates are basis points (290 = 2.9 %) so a fee is integer arithmetic on minor units; the fixed
 * part is in major units of the transaction's currency (0.30 → 30 cents, 0 yen).
 */
export interface FeeModel {
  /** Percentage part in basis points. */
  readonly bps: number;
  /** Fixed part per capture, in major units of the transaction currency. */
  readonly fixedMajor: number;
  /**
   * What happens to the fee when money goes back: `kept` (the provider keeps what it charged,
   * refunds cost the merchant nothing more), or `percentage-returned` (the percentage part of the
   * refunded amount comes back to the merchant, as Alipay and WeChat Pay do).
   */
  readonly refunds: 'kept' | 'percentage-returned';
  /** Where the figures come from (a public price list), for the reader of a report. */
  readonly source: string;
  /**
   * The fee per dispute (chargeback) the provider charges the merchant when it takes the money
   * back, in major units of the transaction currency, and whether it gives the fee back when the
   * merchant wins (with the reversal), and the disputed amount (major units) below which the
   * provider charges none (PayPal: under twice its dispute fee). Absent: disputes cost no fee.
   */
  readonly dispute?: { readonly fixedMajor: number; readonly returnedWhenWon: boolean; readonly waivedBelowMajor?: number };
}

/**
 * The fee of one movement in minor units: positive is charged to the merchant, negative given
 * back. Half a minor unit rounds up (Math.round), as the providers' own examples do.
 */
export function feeFor(model: FeeModel, kind: LedgerKind, amount: number, currency: string): number {
  if (kind === 'capture') return Math.round((amount * model.bps) / 10_000) + Math.round(model.fixedMajor * 10 ** currencyExponent(currency));
  if (kind === 'refund' && model.refunds === 'percentage-returned') return -Math.round((amount * model.bps) / 10_000);
  // A dispute's fee is per dispute, whatever its amount (above a provider's threshold): charged with the chargeback, given back with the reversal where the provider does.
  if (model.dispute?.waivedBelowMajor !== undefined && amount < Math.round(model.dispute.waivedBelowMajor * 10 ** currencyExponent(currency))) return 0;
  if (kind === 'chargeback' && model.dispute) return Math.round(model.dispute.fixedMajor * 10 ** currencyExponent(currency));
  if (kind === 'chargeback_reversal' && model.dispute?.returnedWhenWon) return -Math.round(model.dispute.fixedMajor * 10 ** currencyExponent(currency));
  return 0;
}

/**
 * A merchant's negotiated rate for one provider (UnionPay's per-contract merchant discount rate,
 * IC++ at Adyen, custom Stripe pricing): `bps` basis points and `fixed` major units per capture.
 * The same value reaches the reference gateway's fee table (`stack.fees` in a scenario), so the
 * books and the report agree unless a fault makes them differ.
 */
export interface ContractRate {
  readonly bps: number;
  readonly fixed?: number;
}

/** `model` with the contract's percentage and fixed part; how refunds treat the fee stays the provider's. */
export function withContractRate(model: FeeModel, rate: ContractRate | undefined): FeeModel {
  if (rate === undefined) return model;
  const fixed = rate.fixed ?? 0;
  return Object.freeze({ ...model, bps: rate.bps, fixedMajor: fixed, source: `merchant contract: ${rate.bps / 100}% + ${fixed} (list price: ${model.source})` });
}
