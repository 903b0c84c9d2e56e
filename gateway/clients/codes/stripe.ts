import type { NormalisedCode } from '../../../src/conventions/index.js';

/**
 * Stripe's codes → the normalised codes, written from Stripe's documentation
 * (docs.stripe.com/declines/codes for `decline_code`, docs.stripe.com/error-codes for `code`),
 * not from any simulator. The advice follows Stripe's "next steps" column: a decline the shopper
 * can fix with the same card (expiry, CVC, number) is fix_input; a card the bank will not let
 * through is never; "try again later" is back_off. Lost, stolen and pick-up cards are reported to
 * the merchant as fraud risks (the shopper is told only "declined": see the shopper messages).
 */
export const STRIPE_DECLINE_CODES: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  authentication_required: 'authentication_required',
  approve_with_id: 'issuer_unavailable',
  call_issuer: 'card_declined',
  card_not_supported: 'card_declined',
  card_velocity_exceeded: 'limit_exceeded',
  currency_not_supported: 'card_declined',
  do_not_honor: 'card_declined',
  do_not_try_again: 'card_declined',
  duplicate_transaction: 'duplicate_transaction',
  expired_card: 'expired_card',
  fraudulent: 'fraud_suspected',
  generic_decline: 'card_declined',
  incorrect_number: 'invalid_payment_data',
  incorrect_cvc: 'incorrect_cvc',
  incorrect_pin: 'invalid_payment_data',
  incorrect_zip: 'invalid_payment_data',
  insufficient_funds: 'insufficient_funds',
  invalid_account: 'card_declined',
  invalid_amount: 'limit_exceeded',
  invalid_cvc: 'incorrect_cvc',
  invalid_expiry_month: 'invalid_payment_data',
  invalid_expiry_year: 'invalid_payment_data',
  invalid_number: 'invalid_payment_data',
  invalid_pin: 'invalid_payment_data',
  issuer_not_available: 'issuer_unavailable',
  lost_card: 'fraud_suspected',
  merchant_blacklist: 'fraud_suspected',
  new_account_information_available: 'card_declined',
  no_action_taken: 'card_declined',
  not_permitted: 'card_declined',
  offline_pin_required: 'authentication_required',
  online_or_offline_pin_required: 'authentication_required',
  pickup_card: 'fraud_suspected',
  pin_try_exceeded: 'limit_exceeded',
  processing_error: 'provider_error',
  reenter_transaction: 'issuer_unavailable',
  restricted_card: 'card_declined',
  revocation_of_all_authorizations: 'card_declined',
  revocation_of_authorization: 'card_declined',
  security_violation: 'fraud_suspected',
  service_not_allowed: 'card_declined',
  stolen_card: 'fraud_suspected',
  stop_payment_order: 'card_declined',
  testmode_decline: 'card_declined',
  transaction_not_allowed: 'card_declined',
  try_again_later: 'issuer_unavailable',
  withdrawal_count_limit_exceeded: 'limit_exceeded',
});

/** Stripe's error `code` (the error object's, when no decline_code says more). */
export const STRIPE_ERROR_CODES: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  card_declined: 'card_declined',
  expired_card: 'expired_card',
  incorrect_cvc: 'incorrect_cvc',
  invalid_cvc: 'incorrect_cvc',
  incorrect_number: 'invalid_payment_data',
  invalid_number: 'invalid_payment_data',
  invalid_expiry_month: 'invalid_payment_data',
  invalid_expiry_year: 'invalid_payment_data',
  incorrect_zip: 'invalid_payment_data',
  processing_error: 'provider_error',
  authentication_required: 'authentication_required',
  payment_intent_authentication_failure: 'authentication_failed',
  // A bank or wallet redirect (iDEAL, GrabPay) the shopper failed or abandoned there (Stripe's error codes page).
  payment_intent_payment_attempt_failed: 'authentication_failed',
  // A payment method that does not fit the intent (iDEAL in USD, GrabPay with manual capture): our request was wrong.
  payment_intent_invalid_parameter: 'invalid_request',
  card_decline_rate_limit_exceeded: 'limit_exceeded',
  rate_limit: 'rate_limited',
  lock_timeout: 'rate_limited',
  idempotency_key_in_use: 'duplicate_transaction',
  amount_too_large: 'limit_exceeded',
  amount_too_small: 'invalid_request',
  parameter_invalid_integer: 'invalid_request',
  parameter_invalid_empty: 'invalid_request',
  parameter_missing: 'invalid_request',
  parameter_unknown: 'invalid_request',
  payment_method_unactivated: 'invalid_request',
  resource_missing: 'invalid_request',
  secret_key_required: 'invalid_request',
  api_key_expired: 'invalid_request',
});

/** A Stripe error → its normalised code: the decline_code first (more precise), then the code. */
export function normaliseStripe(code: string | undefined, declineCode: string | undefined): NormalisedCode {
  if (declineCode !== undefined && Object.hasOwn(STRIPE_DECLINE_CODES, declineCode)) return STRIPE_DECLINE_CODES[declineCode]!;
  if (code !== undefined && Object.hasOwn(STRIPE_ERROR_CODES, code)) return STRIPE_ERROR_CODES[code]!;
  return 'unknown';
}

/**
 * Refund and cancel answers (docs.stripe.com/error-codes, /api/refunds, /api/payment_intents/cancel)
 * read before the charge table. An over-refund is refused as `invalid_request_error` ("Refund
 * amount … is greater than unrefunded amount on charge", code amount_too_large or
 * charge_already_refunded): for a merchant that is its own books disagreeing with Stripe's — the
 * gateway never asks for more than it captured — so invalid_request (page someone), not the
 * shopper-facing limit_exceeded a charge's amount_too_large means.
 */
export const STRIPE_LIFECYCLE_CODES: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  amount_too_large: 'invalid_request',
  charge_already_refunded: 'invalid_request',
  charge_not_refundable: 'invalid_request',
  charge_disputed: 'invalid_request',
  refund_disputed_payment: 'invalid_request',
  // Cancel of a PaymentIntent already succeeded or canceled: nothing left to void (refund instead).
  payment_intent_unexpected_state: 'invalid_request',
  balance_insufficient: 'insufficient_funds',
});

export function normaliseStripeLifecycle(code: string | undefined, declineCode: string | undefined): NormalisedCode {
  if (code !== undefined && Object.hasOwn(STRIPE_LIFECYCLE_CODES, code)) return STRIPE_LIFECYCLE_CODES[code]!;
  return normaliseStripe(code, declineCode);
}
