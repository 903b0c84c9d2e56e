import type { NormalisedCode } from '../../src/conventions/index.js';

/**
 * Stripe's error `code` / `decline_code` → the normalised codes of DESIGN.md.
 * `decline_code` is more specific and wins when present.
 */
export const STRIPE_CODE_TABLE: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  generic_decline: 'card_declined',
  do_not_honor: 'card_declined',
  card_declined: 'card_declined',
  lost_card: 'fraud_suspected',
  stolen_card: 'fraud_suspected',
  fraudulent: 'fraud_suspected',
  insufficient_funds: 'insufficient_funds',
  expired_card: 'expired_card',
  incorrect_cvc: 'incorrect_cvc',
  incorrect_number: 'invalid_payment_data',
  invalid_number: 'invalid_payment_data',
  invalid_expiry_month: 'invalid_payment_data',
  invalid_expiry_year: 'invalid_payment_data',
  invalid_cvc: 'invalid_payment_data',
  card_velocity_exceeded: 'limit_exceeded',
  withdrawal_count_limit_exceeded: 'limit_exceeded',
  authentication_required: 'authentication_required',
  payment_intent_authentication_failure: 'authentication_failed',
  issuer_not_available: 'issuer_unavailable',
  try_again_later: 'issuer_unavailable',
  processing_error: 'provider_error',
  duplicate_transaction: 'duplicate_transaction',
  idempotency_error: 'invalid_request',
  // A duplicate met its key still executing: the first will finish; replay its result later (as Adyen's 704).
  idempotency_key_in_use: 'duplicate_transaction',
  parameter_unknown: 'invalid_request',
  parameter_invalid_string: 'invalid_request',
  parameter_invalid_object: 'invalid_request',
  amount_too_large: 'invalid_request',
  amount_too_small: 'invalid_request',
  charge_already_refunded: 'invalid_request',
  charge_not_refundable: 'invalid_request',
  parameter_missing: 'invalid_request',
  parameter_invalid_integer: 'invalid_request',
  parameter_invalid_empty: 'invalid_request',
  resource_missing: 'invalid_request',
  payment_intent_unexpected_state: 'invalid_request',
  rate_limit: 'rate_limited',
  lock_timeout: 'provider_error',
  api_error: 'provider_error',
});

export function normaliseStripeCode(code: string | undefined, declineCode?: string): NormalisedCode {
  if (declineCode && STRIPE_CODE_TABLE[declineCode]) return STRIPE_CODE_TABLE[declineCode];
  if (code && STRIPE_CODE_TABLE[code]) return STRIPE_CODE_TABLE[code];
  return 'unknown';
}
