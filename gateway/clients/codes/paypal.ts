import type { NormalisedCode } from '../../../src/conventions/index.js';

/**
 * PayPal Orders v2 `details[].issue` names → the normalised codes, written from PayPal's
 * documentation (developer.paypal.com: Orders v2 error messages, "Handle payment failures"),
 * not from any simulator.
 */
export const PAYPAL_ISSUES: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  INSTRUMENT_DECLINED: 'card_declined',
  TRANSACTION_REFUSED: 'card_declined',
  REDIRECT_PAYER_FOR_ALTERNATE_FUNDING: 'card_declined',
  CARD_EXPIRED: 'expired_card',
  PAYER_ACTION_REQUIRED: 'authentication_required',
  ORDER_NOT_APPROVED: 'authentication_required',
  MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED: 'limit_exceeded',
  PAYER_CANNOT_PAY: 'card_declined',
  PAYEE_ACCOUNT_RESTRICTED: 'invalid_request',
  PAYER_ACCOUNT_RESTRICTED: 'card_declined',
  COMPLIANCE_VIOLATION: 'fraud_suspected',
  DUPLICATE_INVOICE_ID: 'duplicate_transaction',
  ORDER_ALREADY_CAPTURED: 'duplicate_transaction',
  ORDER_ALREADY_COMPLETED: 'duplicate_transaction',
  ORDER_EXPIRED: 'order_closed',
  RESOURCE_NOT_FOUND: 'invalid_request',
  INVALID_RESOURCE_ID: 'invalid_request',
  AMOUNT_MISMATCH: 'invalid_request',
  ITEM_TOTAL_MISMATCH: 'invalid_request',
  CURRENCY_NOT_SUPPORTED: 'invalid_request',
  INVALID_PARAMETER_VALUE: 'invalid_request',
  MISSING_REQUIRED_PARAMETER: 'invalid_request',
  PAYPAL_REQUEST_ID_PREVIOUSLY_USED: 'invalid_request',
  PERMISSION_DENIED: 'invalid_request',
});

/** A PayPal error answer `{name, details:[{issue}]}` → its normalised code. */
export function normalisePaypal(error: { name?: string; details?: ReadonlyArray<{ issue?: string }>; status?: number }): NormalisedCode {
  const issue = error.details?.[0]?.issue;
  if (issue !== undefined && Object.hasOwn(PAYPAL_ISSUES, issue)) return PAYPAL_ISSUES[issue]!;
  if (error.status === 429 || error.name === 'RATE_LIMIT_REACHED') return 'rate_limited';
  if (error.status === 503 || error.name === 'SERVICE_UNAVAILABLE') return 'provider_unavailable';
  if (error.name === 'INTERNAL_SERVER_ERROR' || (error.status !== undefined && error.status >= 500)) return 'provider_error';
  if (error.name === 'INVALID_REQUEST' || error.name === 'AUTHENTICATION_FAILURE' || error.name === 'NOT_AUTHORIZED' || error.name === 'RESOURCE_NOT_FOUND') return 'invalid_request';
  // UNPROCESSABLE_ENTITY with an issue this table does not know: a refusal of this payment.
  if (error.name === 'UNPROCESSABLE_ENTITY') return 'card_declined';
  return 'unknown';
}

/**
 * Refund issues of POST /v2/payments/captures/{id}/refund, and capture / void issues of
 * /v2/payments/authorizations/{id}/… (PayPal's Payments v2 error messages),
 * read before the order table. REFUND_AMOUNT_EXCEEDED ("must be less than or equal to the capture
 * amount that has not yet been refunded") and CAPTURE_FULLY_REFUNDED mean the merchant's books
 * disagree with PayPal's: invalid_request.
 */
export const PAYPAL_LIFECYCLE_ISSUES: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  REFUND_AMOUNT_EXCEEDED: 'invalid_request',
  CAPTURE_FULLY_REFUNDED: 'invalid_request',
  REFUND_NOT_ALLOWED: 'invalid_request',
  REFUND_TIME_LIMIT_EXCEEDED: 'invalid_request',
  CURRENCY_MISMATCH: 'invalid_request',
  PARTIAL_REFUND_NOT_ALLOWED: 'invalid_request',
  REFUND_CAPTURE_CURRENCY_MISMATCH: 'invalid_request',
  MAX_REFUND_LIMIT_EXCEEDED: 'limit_exceeded',
  INSUFFICIENT_FUNDS: 'insufficient_funds',
  // Capture and void of an authorization (intent AUTHORIZE): a void or the 29 days got there first.
  AUTHORIZATION_VOIDED: 'order_closed',
  AUTHORIZATION_EXPIRED: 'order_closed',
  AUTHORIZATION_ALREADY_CAPTURED: 'duplicate_transaction',
  MAX_CAPTURE_AMOUNT_EXCEEDED: 'invalid_request',
  AUTH_CAPTURE_CURRENCY_MISMATCH: 'invalid_request',
  PREVIOUSLY_CAPTURED: 'invalid_request',
});

export function normalisePaypalLifecycle(error: { name?: string; details?: ReadonlyArray<{ issue?: string }>; status?: number }): NormalisedCode {
  const issue = error.details?.[0]?.issue;
  if (issue !== undefined && Object.hasOwn(PAYPAL_LIFECYCLE_ISSUES, issue)) return PAYPAL_LIFECYCLE_ISSUES[issue]!;
  return normalisePaypal(error);
}
