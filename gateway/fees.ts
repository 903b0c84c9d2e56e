import { z } from 'zod';
import { currencyExponent } from './clients/index.js';

/**
 * What the gateway expects each provider to keep of a payment: the provider's published list
 * price, a percentage plus a fixed amount per capture, borne by the merchant (taken out of the
 * payout). The ledger books it with every capture (store/ledger.ts: `fees:<provider>`), so the
 * reconciliation judges the fee each settlement report states against it (fee-mismatch).
 *
 * Written from the providers' public price lists — a merchant's own contract would replace this
 * table; the figures are the standard rates a new account gets. docs/gateway-lifecycle.md "Where
 * each figure comes from" states, figure by figure, which were found in the published docs, which
 * only on third-party pages, and which are assumed (Adyen's chargeback fee; Alipay's, WeChat Pay's
 * and UnionPay's 0.6 %; Alipay's and UnionPay's fee returned on refund):
 *
 *   stripe     2.9 % + 0.30 per successful domestic card charge; kept when a charge is refunded
 *              (stripe.com/pricing; docs.stripe.com/refunds: "fees … aren't returned")
 *   adyen      0.13 processing fee per transaction + the card's interchange++ (a blended 0.60 %
 *              for the cards a test pays with; help.adyen.com "What is Interchange++": "starting
 *              at 0.60 %"); kept on refunds. Adyen charges the processing fee again on a refund
 *              (adyen.help "Which fees are shown on my invoice?": at SentForRefund) — not modelled
 *   paypal     PayPal Checkout 3.49 % + 0.49 fixed (US list price); kept on refunds
 *              (paypal.com/us/business/paypal-business-fees)
 *   alipay     0.6 % per trade, no fixed part; on a refund the fee on the refunded amount comes
 *              back in proportion — both assumed, not found in the published docs (Alipay's
 *              cross-border docs, docs.antom.com, leave the refund of the fee to the contract)
 *   wechatpay  0.6 % per order, no fixed part (assumed, not found in the published docs);
 *              returned in proportion on refund (pay.weixin.qq.com refund FAQ: "Refunded service
 *              fee = Actual refund amount * service fee rate")
 *   unionpay   the merchant discount rate (商户手续费) of the merchant's contract — there is no
 *              list price; 0.6 % is the default (0.38 %–0.6 % are common), returned in
 *              proportion on refund
 *
 * A merchant's negotiated rate (UnionPay's contract, IC++ at Adyen, custom Stripe pricing)
 * replaces a provider's percentage and fixed part through `fees` in the gateway config, from
 * `stack.fees` in a scenario — the same value the simulator's settlement report charges by, so the
 * two cannot drift. How refunds treat the fee stays the provider's.
 *
 * Disputes cost a fee per dispute, charged when the provider takes the money back and, where the
 * provider does so, given back when the merchant wins:
 *
 *   stripe     15.00 dispute fee (US; it varies by the account's country, €20 in much of Europe),
 *              charged with the withdrawal and refunded "at our expense" when the dispute is won
 *              (support.stripe.com/questions/dispute-fees-faq; Stripe's newer disputes page names
 *              only the counter fee as returned when won — the sources disagree, the FAQ is kept).
 *              Since June 2025 Stripe also charges a dispute *counter* fee when the merchant contests, returned if won
 *              (support.stripe.com/questions/june-2025-pricing-updates-for-disputes) — not
 *              modelled: the simulators do not model contesting, only the outcome.
 *   adyen      a chargeback fee per contract and card scheme: Adyen publishes no list price for it
 *              (its terms, docs.adyen.com/legal, leave scheme and dispute costs to the contract),
 *              so 7.50 is assumed, not found in the published docs; kept whatever the outcome
 *              (third-party pages say €15, win or lose — not Adyen's word).
 *   paypal     the Standard Dispute Fee, 15.00 in the US (the High Volume Dispute Fee applies
 *              instead at a dispute rate ≥ 1.5 % over > 100 sales in three months — not modelled),
 *              for claims and chargebacks on PayPal-branded checkout. Not charged when the case is
 *              decided in the seller's favour, nor on a transaction under twice the Standard
 *              Dispute Fee (under 30.00) (paypal.com/us/smarthelp … faq4352, faq4382). PayPal
 *              deducts it after the claim is decided; the books take it with the chargeback and
 *              give it back with the reversal, which nets the same once the case is decided.
 *
 * A provider not listed (a WireMock-described one) books no fee, and its reconciliation does not
 * judge fees.
 */
export interface ProviderFees {
  /** Percentage part in basis points (290 = 2.9 %): integer arithmetic on minor units. */
  readonly bps: number;
  /** Fixed part per capture in hundredths of the currency's major unit (30 = 0.30), scaled to its minor unit. */
  readonly fixedCents: number;
  /** Whether the percentage part of a refunded amount is given back to the merchant. */
  readonly returnedOnRefund: boolean;
  /**
   * The fee per dispute, in hundredths of the currency's major unit (1500 = 15.00), whether a won
   * dispute gives it back, and the disputed amount (same hundredths) below which no fee is charged.
   */
  readonly dispute?: { readonly fixedCents: number; readonly returnedWhenWon: boolean; readonly waivedBelowCents?: number };
}

export const PROVIDER_FEES: Readonly<Record<string, ProviderFees>> = Object.freeze({
  stripe: Object.freeze({ bps: 290, fixedCents: 30, returnedOnRefund: false, dispute: Object.freeze({ fixedCents: 1500, returnedWhenWon: true }) }),
  adyen: Object.freeze({ bps: 60, fixedCents: 13, returnedOnRefund: false, dispute: Object.freeze({ fixedCents: 750, returnedWhenWon: false }) }),
  paypal: Object.freeze({ bps: 349, fixedCents: 49, returnedOnRefund: false, dispute: Object.freeze({ fixedCents: 1500, returnedWhenWon: true, waivedBelowCents: 3000 }) }),
  alipay: Object.freeze({ bps: 60, fixedCents: 0, returnedOnRefund: true }),
  wechatpay: Object.freeze({ bps: 60, fixedCents: 0, returnedOnRefund: true }),
  unionpay: Object.freeze({ bps: 60, fixedCents: 0, returnedOnRefund: true }),
});

/** The fees a gateway books, by provider: PROVIDER_FEES with the merchant's own rates over it. */
export type FeeTable = Readonly<Record<string, ProviderFees>>;

/**
 * A merchant's own rate for one provider: `bps` the percentage in basis points (38 = 0.38 %),
 * `fixed` the fixed part per capture in major units of the currency (0.30). Whole cents only: the
 * fixed part is scaled to each currency's decimals from hundredths.
 */
export const feeOverrideSchema = z.strictObject({
  bps: z.number().int().min(0).max(10_000).meta({ description: 'The percentage part in basis points: 38 is 0.38 %, 290 is 2.9 %.' }),
  fixed: z
    .number()
    .min(0)
    .max(1_000)
    .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-9, { message: 'expected the fixed part in major units with at most two decimals, such as 0.30' })
    .optional()
    .meta({ description: 'The fixed part per capture in major units of the currency (0.30); default 0.' }),
});

/** Per provider (only those whose fees are modelled), the merchant's contract rate over the list price. */
export const feeOverridesSchema = z
  .record(z.string(), feeOverrideSchema)
  .superRefine((fees, ctx) => {
    for (const provider of Object.keys(fees)) {
      if (!Object.hasOwn(PROVIDER_FEES, provider)) ctx.addIssue({ code: 'custom', path: [provider], message: `no fees to set for ${provider}: fees are modelled for ${Object.keys(PROVIDER_FEES).join(', ')} only` });
    }
  })
  .meta({ description: "The merchant's contract rates per provider (UnionPay's merchant discount rate, IC++ at Adyen, custom Stripe pricing): both the simulator's settlement report and the reference gateway's books use them." });

export type FeeOverride = z.output<typeof feeOverrideSchema>;
export type FeeOverrides = Readonly<Partial<Record<string, FeeOverride>>>;

/** PROVIDER_FEES with `overrides` replacing each named provider's percentage and fixed part. */
export function feeTable(overrides: FeeOverrides = {}): FeeTable {
  const table: Record<string, ProviderFees> = { ...PROVIDER_FEES };
  for (const [provider, o] of Object.entries(overrides)) {
    const base = PROVIDER_FEES[provider];
    if (!base || !o) continue;
    table[provider] = Object.freeze({ ...base, bps: o.bps, fixedCents: Math.round((o.fixed ?? 0) * 100) });
  }
  return Object.freeze(table);
}

/** Whether the gateway models `provider`'s fees (then every capture of it states one, even 0). */
export const modelsFees = (provider: string, table: FeeTable = PROVIDER_FEES): boolean => Object.hasOwn(table, provider);

/**
 * The fee a capture of `amount` minor units costs, minor units. Half a minor unit rounds up, as
 * the providers' own fee examples do; the fixed part follows the currency's decimals (0.30 is
 * 30 cents, 0 yen — a zero-decimal currency has no hundredths to take).
 */
export function captureFee(provider: string, amount: number, currency: string, table: FeeTable = PROVIDER_FEES): number {
  const fees = table[provider];
  if (!fees) return 0;
  return Math.round((amount * fees.bps) / 10_000) + inCurrency(fees.fixedCents, currency);
}

/**
 * The fee a dispute's movement costs (minor units): the dispute fee with the chargeback, and its
 * negative with the reversal where a won dispute gives it back; 0 where the provider charges none.
 * Per dispute, whatever its amount — except that PayPal charges none on a disputed `amount` (minor
 * units) under its threshold; the fixed fee follows the currency's decimals as the capture's does.
 */
export function disputeFee(provider: string, kind: 'chargeback' | 'chargeback_reversal', amount: number, currency: string, table: FeeTable = PROVIDER_FEES): number {
  const dispute = table[provider]?.dispute;
  if (!dispute || (kind === 'chargeback_reversal' && !dispute.returnedWhenWon)) return 0;
  if (dispute.waivedBelowCents !== undefined && amount < inCurrency(dispute.waivedBelowCents, currency)) return 0;
  const fee = inCurrency(dispute.fixedCents, currency);
  return kind === 'chargeback' ? fee : -fee;
}

/** An amount in hundredths of a major unit, in `currency`'s minor units (0.30 is 30 cents, 0 yen, 300 fils). */
function inCurrency(cents: number, currency: string): number {
  const exp = currencyExponent(currency);
  return exp >= 2 ? cents * 10 ** (exp - 2) : Math.round(cents / 10 ** (2 - exp));
}

/** The part of the fee a refund of `amount` gives back (minor units, ≥ 0): the percentage, where the provider returns it. */
export function refundedFee(provider: string, amount: number, table: FeeTable = PROVIDER_FEES): number {
  const fees = table[provider];
  return fees?.returnedOnRefund ? Math.round((amount * fees.bps) / 10_000) : 0;
}
