import type { NormalisedCode } from '../../../src/conventions/index.js';

/**
 * Adyen's `refusalReasonCode` → the normalised codes, written from Adyen's documentation
 * (docs.adyen.com/development-resources/refusal-reasons), not from any simulator. Codes Adyen
 * documents for in-person payments only (PIN, contactless, mobile PIN) read as the card
 * decline they are for an online payment.
 */
export const ADYEN_REFUSAL_REASONS: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  '2': 'card_declined', // Refused
  '3': 'card_declined', // Referral
  '4': 'provider_error', // Acquirer Error
  '5': 'card_declined', // Blocked Card
  '6': 'expired_card', // Expired Card
  '7': 'invalid_request', // Invalid Amount
  '8': 'invalid_payment_data', // Invalid Card Number
  '9': 'issuer_unavailable', // Issuer Unavailable
  '10': 'card_declined', // Not supported
  '11': 'authentication_failed', // 3D Not Authenticated
  '12': 'insufficient_funds', // Not enough balance
  '14': 'fraud_suspected', // Acquirer Fraud
  '15': 'card_declined', // Cancelled
  '16': 'card_declined', // Shopper Cancelled
  '17': 'invalid_payment_data', // Invalid Pin
  '18': 'limit_exceeded', // Pin tries exceeded
  '19': 'invalid_payment_data', // Pin validation not possible
  '20': 'fraud_suspected', // FRAUD
  '21': 'provider_error', // Not Submitted
  '22': 'fraud_suspected', // FRAUD-CANCELLED
  '23': 'card_declined', // Transaction Not Permitted
  '24': 'incorrect_cvc', // CVC Declined
  '25': 'card_declined', // Restricted Card
  '26': 'card_declined', // Revocation Of Auth
  '27': 'card_declined', // Declined Non Generic
  '28': 'limit_exceeded', // Withdrawal amount exceeded
  '29': 'limit_exceeded', // Withdrawal count exceeded
  '31': 'fraud_suspected', // Issuer Suspected Fraud
  '32': 'invalid_payment_data', // AVS Declined
  '33': 'authentication_required', // Card requires online pin
  '34': 'card_declined', // No checking account available on Card
  '35': 'card_declined', // No savings account available on Card
  '36': 'authentication_required', // Mobile pin required
  '37': 'authentication_required', // Contactless fallback
  '38': 'authentication_required', // Authentication required
  '39': 'authentication_failed', // RReq not received from DS
  '42': 'authentication_failed', // 3DS Authentication Error
  '46': 'fraud_suspected', // Transaction blocked by Adyen to prevent excessive retry fees
});

/**
 * Adyen's API `errorCode` (an HTTP 4xx/5xx answer, docs.adyen.com/development-resources/error-codes)
 * by family. 704 is not here: "request already processed or in progress" is not an outcome.
 */
export const ADYEN_ERROR_CODES: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  '000': 'provider_error', // Unknown
  '010': 'invalid_request', // Not allowed
  '100': 'invalid_request', // No amount specified
  '101': 'invalid_payment_data', // Invalid card number
  '102': 'invalid_payment_data', // Unable to determine variant
  '103': 'incorrect_cvc', // CVC is not the right length
  '129': 'invalid_payment_data', // Expiry Date Invalid
  '702': 'invalid_request', // Empty input / structure invalid
});

/** An Adyen answer → its normalised code. */
export function normaliseAdyen(answer: { resultCode?: string; refusalReasonCode?: string; errorCode?: string; status?: number }): NormalisedCode {
  if (answer.errorCode !== undefined) {
    if (answer.status === 429) return 'rate_limited';
    // 401/403: our API key or its roles are wrong, a merchant-side bug someone must fix.
    if (answer.status === 401 || answer.status === 403) return 'invalid_request';
    if (answer.status !== undefined && answer.status >= 500) return answer.status === 503 ? 'provider_unavailable' : 'provider_error';
    if (Object.hasOwn(ADYEN_ERROR_CODES, answer.errorCode)) return ADYEN_ERROR_CODES[answer.errorCode]!;
    return answer.status !== undefined && answer.status >= 400 && answer.status < 500 ? 'invalid_request' : 'unknown';
  }
  if (answer.refusalReasonCode !== undefined && Object.hasOwn(ADYEN_REFUSAL_REASONS, answer.refusalReasonCode)) return ADYEN_REFUSAL_REASONS[answer.refusalReasonCode]!;
  // resultCode Error: Adyen says something went wrong while processing; nothing was authorised.
  if (answer.resultCode === 'Error') return 'provider_error';
  // Refused or Cancelled with a reason this table does not know: a decline all the same.
  return 'card_declined';
}
