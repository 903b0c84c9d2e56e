import type { NormalisedCode } from '../../src/conventions/index.js';

/**
 * PayPal REST errors are `{name, message, debug_id, details:[{issue, description}]}`: `name` is
 * the class (HTTP status), `details[].issue` says what happened. The table maps each issue the
 * simulator answers with — and each PayPal-Mock-Response application code it honours — to its
 * status, name, description and normalised code of DESIGN.md.
 */
export interface PaypalIssue {
  readonly status: number;
  readonly name: string;
  readonly description: string;
  readonly normalised: NormalisedCode;
}

const i = (status: number, name: string, description: string, normalised: NormalisedCode): PaypalIssue => Object.freeze({ status, name, description, normalised });
const UNPROCESSABLE = 'UNPROCESSABLE_ENTITY';

export const PAYPAL_ISSUES: Readonly<Record<string, PaypalIssue>> = Object.freeze({
  INSTRUMENT_DECLINED: i(422, UNPROCESSABLE, 'The instrument presented was either declined by the processor or bank, or it can\'t be used for this payment.', 'card_declined'),
  TRANSACTION_REFUSED: i(422, UNPROCESSABLE, 'The request was refused.', 'card_declined'),
  PAYER_ACTION_REQUIRED: i(422, UNPROCESSABLE, 'Payer needs to perform the following action before proceeding with payment.', 'authentication_required'),
  CARD_EXPIRED: i(422, UNPROCESSABLE, 'The card is expired.', 'expired_card'),
  MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED: i(422, UNPROCESSABLE, 'You have exceeded the maximum number of payment attempts.', 'limit_exceeded'),
  PAYER_CANNOT_PAY: i(422, UNPROCESSABLE, 'Combination of payer and payee settings do not allow this payment.', 'card_declined'),
  ORDER_NOT_APPROVED: i(422, UNPROCESSABLE, 'Payer has not yet approved the Order for payment.', 'authentication_required'),
  ORDER_ALREADY_CAPTURED: i(422, UNPROCESSABLE, 'Order already captured. If \'intent=CAPTURE\' only one capture per order is allowed.', 'duplicate_transaction'),
  ORDER_COMPLETED_OR_VOIDED: i(422, UNPROCESSABLE, 'Order is voided or completed and hence cannot be processed.', 'order_closed'),
  DUPLICATE_INVOICE_ID: i(422, UNPROCESSABLE, 'Duplicate Invoice ID detected. To avoid a potential duplicate transaction your account setting requires that Invoice Id be unique for each transaction.', 'duplicate_transaction'),
  PAYPAL_REQUEST_ID_PREVIOUSLY_USED: i(422, UNPROCESSABLE, 'The PayPal-Request-Id has already been used for another request.', 'invalid_request'),
  REFUND_AMOUNT_EXCEEDED: i(422, UNPROCESSABLE, 'The refund amount must be less than or equal to the capture amount that has not yet been refunded.', 'invalid_request'),
  CAPTURE_FULLY_REFUNDED: i(422, UNPROCESSABLE, 'The capture has already been fully refunded.', 'invalid_request'),
  CURRENCY_MISMATCH: i(422, UNPROCESSABLE, 'The currency of the refund must be the same as the currency of the capture.', 'invalid_request'),
  MISSING_REQUIRED_PARAMETER: i(400, 'INVALID_REQUEST', 'A required field / parameter is missing.', 'invalid_request'),
  INVALID_PARAMETER_VALUE: i(400, 'INVALID_REQUEST', 'The value of a field is invalid.', 'invalid_request'),
  INVALID_CURRENCY_CODE: i(400, 'INVALID_REQUEST', 'Currency code is invalid or is not currently supported.', 'invalid_request'),
  MALFORMED_REQUEST_JSON: i(400, 'INVALID_REQUEST', 'The request JSON is not well formed.', 'invalid_request'),
  PERMISSION_DENIED: i(403, 'NOT_AUTHORIZED', 'You do not have permission to access or perform operations on this resource.', 'invalid_request'),
  INVALID_RESOURCE_ID: i(404, 'RESOURCE_NOT_FOUND', 'Specified resource ID does not exist. Please check the resource ID and try again.', 'invalid_request'),
  RATE_LIMIT_REACHED: i(429, 'RATE_LIMIT_REACHED', 'Too many requests. Blocked due to rate limiting.', 'rate_limited'),
  INTERNAL_SERVER_ERROR: i(500, 'INTERNAL_SERVER_ERROR', 'An internal server error has occurred.', 'provider_error'),
  SERVICE_UNAVAILABLE: i(503, 'SERVICE_UNAVAILABLE', 'Service Unavailable.', 'provider_unavailable'),
});

/** What a behaviour profile's `outcomes` may force on a capture (nothing is captured). */
export const PAYPAL_OUTCOMES: readonly string[] = Object.freeze([
  'INSTRUMENT_DECLINED',
  'TRANSACTION_REFUSED',
  'PAYER_ACTION_REQUIRED',
  'CARD_EXPIRED',
  'MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED',
  'PAYER_CANNOT_PAY',
  'INTERNAL_SERVER_ERROR',
]);

/** The normalised code of an error body: its first issue, else its name and status. */
export function normalisePaypalCode(error: { name?: string; details?: ReadonlyArray<{ issue?: string }>; status?: number }): NormalisedCode {
  const issue = error.details?.[0]?.issue;
  if (issue !== undefined && PAYPAL_ISSUES[issue]) return PAYPAL_ISSUES[issue].normalised;
  if (error.status === 429 || error.name === 'RATE_LIMIT_REACHED') return 'rate_limited';
  if (error.name === 'SERVICE_UNAVAILABLE' || error.status === 503) return 'provider_unavailable';
  if (error.name === 'INTERNAL_SERVER_ERROR' || (error.status !== undefined && error.status >= 500)) return 'provider_error';
  if (error.name === 'INVALID_REQUEST' || error.name === 'AUTHENTICATION_FAILURE') return 'invalid_request';
  return 'unknown';
}
