import { minorToMajor, type FormObject } from '../core/index.js';
import { invalidRequest } from './errors.js';
import type { Check } from './params.js';

/**
 * Stripe's minimum charge amounts, in minor units, from "Minimum and maximum charge amounts" on
 * docs.stripe.com/currencies (the table is stated for a settlement currency; for presentment in
 * another currency Stripe converts, which the simulator does not: it applies each currency's own
 * row). A currency without a row has no minimum here.
 */
export const STRIPE_MINIMUM_AMOUNTS: Readonly<Record<string, number>> = Object.freeze({
  usd: 50, aed: 200, aud: 50, bgn: 100, brl: 50, cad: 50, chf: 50, czk: 1500, dkk: 250, eur: 50, gbp: 30, hkd: 400,
  huf: 17500, inr: 50, jpy: 50, mxn: 1000, myr: 200, nok: 300, nzd: 50, pln: 200, ron: 200, sek: 300, sgd: 50, thb: 1000,
});

/** 400 `amount_too_small` (param `amount`) for an amount under its currency's minimum. */
export function checkMinimumAmount(params: FormObject, fallbackCurrency?: string): Check {
  const amount = params.amount;
  const currency = typeof params.currency === 'string' ? params.currency.toLowerCase() : fallbackCurrency;
  if (typeof amount !== 'string' || currency === undefined || !/^\d+$/.test(amount)) return undefined;
  const minimum = STRIPE_MINIMUM_AMOUNTS[currency];
  if (minimum === undefined || Number(amount) >= minimum) return undefined;
  return invalidRequest(`Amount must be at least ${minorToMajor(minimum, currency)} ${currency}`, 'amount_too_small', 'amount');
}
