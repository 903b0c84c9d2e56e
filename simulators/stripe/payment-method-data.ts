import type { FormObject } from '../core/index.js';
import { invalidRequest, stripeError } from './errors.js';
import type { Check } from './params.js';

/**
 * `payment_method_data`: Stripe would create a PaymentMethod from it inline. The simulator never
 * does, and never ignores it either — an ignored one would leave the intent without a payment
 * method and the caller told, wrongly, that it sent none:
 *
 * - raw card details (`payment_method_data[card][number]`) get the refusal Stripe gives every
 *   account without raw card data access (the default; test mode words it as below): 400
 *   invalid_request_error with neither code nor param. The number is never echoed back.
 * - anything else (a token in `card[token]`, another type) is a simulator limit, answered as a
 *   400 naming the param: pass a test PaymentMethod id (`pm_card_visa`) as `payment_method`.
 */
export const RAW_CARD_DATA_MESSAGE =
  'Sending credit card numbers directly to the Stripe API is generally unsafe. We suggest you use test tokens that map to the test card you are using, see https://stripe.com/docs/testing. To enable testing raw card data APIs, see https://support.stripe.com/questions/enabling-access-to-raw-card-data-apis.';

export function checkPaymentMethodData(params: FormObject): Check {
  const data = params.payment_method_data;
  if (data === undefined) return undefined;
  const card = isObject(data) ? data.card : undefined;
  if (isObject(card) && card.number !== undefined) return { status: 400, body: stripeError('invalid_request_error', RAW_CARD_DATA_MESSAGE) };
  return invalidRequest(
    'The simulator does not create PaymentMethods from payment_method_data. Pass a test PaymentMethod id such as pm_card_visa as payment_method instead.',
    'parameter_unknown',
    'payment_method_data',
  );
}

function isObject(v: unknown): v is FormObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
