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
  // Authorize, then capture or void (Payments v2 authorizations).
  ACTION_DOES_NOT_MATCH_INTENT: i(422, UNPROCESSABLE, 'Order was created with an intent that does not match this call: capture an intent=CAPTURE order, authorize an intent=AUTHORIZE one.', 'invalid_request'),
  ORDER_ALREADY_AUTHORIZED: i(422, UNPROCESSABLE, 'Order already authorized. If \'intent=AUTHORIZE\' only one authorization per order is allowed.', 'duplicate_transaction'),
  AUTHORIZATION_ALREADY_CAPTURED: i(422, UNPROCESSABLE, 'Authorization has previously been captured.', 'duplicate_transaction'),
  AUTHORIZATION_VOIDED: i(422, UNPROCESSABLE, 'A voided authorization cannot be captured or reauthorized.', 'order_closed'),
  AUTHORIZATION_EXPIRED: i(422, UNPROCESSABLE, 'An expired authorization cannot be captured.', 'order_closed'),
  MAX_CAPTURE_AMOUNT_EXCEEDED: i(422, UNPROCESSABLE, 'Capture amount exceeds allowable limit.', 'invalid_request'),
  AUTH_CAPTURE_CURRENCY_MISMATCH: i(422, UNPROCESSABLE, 'Currency of capture must be the same as currency of authorization.', 'invalid_request'),
  PREVIOUSLY_CAPTURED: i(422, UNPROCESSABLE, 'Authorization has been previously captured and hence cannot be voided.', 'invalid_request'),
  PREVIOUSLY_VOIDED: i(422, UNPROCESSABLE, 'Authorization has been previously voided and hence cannot be voided again.', 'invalid_request'),
  // Amounts, as PayPal's schema judges `value`.
  INVALID_PARAMETER_SYNTAX: i(400, 'INVALID_REQUEST', 'The value of a field does not conform to the expected format.', 'invalid_request'),
  DECIMALS_NOT_SUPPORTED: i(422, UNPROCESSABLE, 'Currency does not support decimals. Please refer to https://developer.paypal.com/docs/api/reference/currency-codes/ for more information.', 'invalid_request'),
  DECIMAL_PRECISION: i(422, UNPROCESSABLE, 'If the currency supports decimals, only two decimal place precision is supported.', 'invalid_request'),
  CANNOT_BE_ZERO_OR_NEGATIVE: i(422, UNPROCESSABLE, 'Must be greater than zero. If the currency supports decimals, only two decimal place precision is supported.', 'invalid_request'),
  MAX_VALUE_EXCEEDED: i(422, UNPROCESSABLE, 'Should be less than or equal to 999999999999999.99.', 'invalid_request'),
  // Purchase units (up to 10 per order).
  INVALID_ARRAY_MAX_ITEMS: i(400, 'INVALID_REQUEST', 'The number of items in an array parameter is too large.', 'invalid_request'),
  INVALID_ARRAY_MIN_ITEMS: i(400, 'INVALID_REQUEST', 'The number of items in an array parameter is too small.', 'invalid_request'),
  REFERENCE_ID_REQUIRED: i(422, UNPROCESSABLE, "'reference_id' is required for each 'purchase_unit' if multiple 'purchase_unit' are provided.", 'invalid_request'),
  DUPLICATE_REFERENCE_ID: i(422, UNPROCESSABLE, '`reference_id` must be unique if multiple `purchase_unit` are provided.', 'invalid_request'),
  MULTI_CURRENCY_ORDER: i(422, UNPROCESSABLE, 'Multiple differing values of currency_code are not supported. Entire Order request must have the same currency_code.', 'invalid_request'),
  UNSUPPORTED_INTENT: i(422, UNPROCESSABLE, '`intent=AUTHORIZE` is not supported for multiple purchase units. Only `intent=CAPTURE` is supported.', 'invalid_request'),
  // PATCH of an order (JSON Patch).
  ORDER_ALREADY_COMPLETED: i(422, UNPROCESSABLE, 'The order cannot be patched after it is completed.', 'order_closed'),
  INVALID_PATCH_OPERATION: i(400, 'INVALID_REQUEST', "The operation cannot be honored. Cannot add a property that's already present, use replace. Cannot remove a property thats not present, use add. Cannot replace a property thats not present, use add.", 'invalid_request'),
  FIELD_NOT_PATCHABLE: i(400, 'INVALID_REQUEST', 'Field cannot be patched.', 'invalid_request'),
  PATCH_PATH_REQUIRED: i(422, UNPROCESSABLE, "Please specify a 'path' for the field for which the operation needs to be performed.", 'invalid_request'),
  PATCH_VALUE_REQUIRED: i(422, UNPROCESSABLE, "Please specify a 'value' to for the field that is being patched.", 'invalid_request'),
  INVALID_JSON_POINTER_FORMAT: i(422, UNPROCESSABLE, 'Path should be a valid JSON Pointer https://tools.ietf.org/html/rfc6901 that references a location within the request where the operation is performed.', 'invalid_request'),
  REFERENCE_ID_NOT_FOUND: i(422, UNPROCESSABLE, 'Filter expression value is incorrect. Please check the value of the reference_id and try again.', 'invalid_request'),
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
