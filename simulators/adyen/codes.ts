import type { NormalisedCode } from '../../src/conventions/index.js';

/**
 * Adyen's refusal reasons (`refusalReasonCode` → `refusalReason`) and what each means in the
 * normalised vocabulary of DESIGN.md. The codes are Adyen's documented ones; the outcome mix of
 * a behaviour profile names them by code (`{"outcomes": {"12": 0.05}}`).
 */
export interface RefusalReason {
  readonly reason: string;
  readonly normalised: NormalisedCode;
}

const r = (reason: string, normalised: NormalisedCode): RefusalReason => Object.freeze({ reason, normalised });

export const ADYEN_REFUSAL_REASONS: Readonly<Record<string, RefusalReason>> = Object.freeze({
  '0': r('Unknown', 'unknown'),
  '2': r('Refused', 'card_declined'),
  '3': r('Referral', 'card_declined'),
  '4': r('Acquirer Error', 'provider_error'),
  '5': r('Blocked Card', 'card_declined'),
  '6': r('Expired Card', 'expired_card'),
  '7': r('Invalid Amount', 'invalid_request'),
  '8': r('Invalid Card Number', 'invalid_payment_data'),
  '9': r('Issuer Unavailable', 'issuer_unavailable'),
  '10': r('Not supported', 'card_declined'),
  '11': r('3D Not Authenticated', 'authentication_failed'),
  '12': r('Not enough balance', 'insufficient_funds'),
  '14': r('Acquirer Fraud', 'fraud_suspected'),
  '15': r('Cancelled', 'card_declined'),
  '16': r('Shopper Cancelled', 'card_declined'),
  '17': r('Invalid Pin', 'invalid_payment_data'),
  '18': r('Pin tries exceeded', 'limit_exceeded'),
  '19': r('Pin validation not possible', 'invalid_payment_data'),
  '20': r('FRAUD', 'fraud_suspected'),
  '21': r('Not Submitted', 'provider_error'),
  '22': r('FRAUD-CANCELLED', 'fraud_suspected'),
  '23': r('Transaction Not Permitted', 'card_declined'),
  '24': r('CVC Declined', 'incorrect_cvc'),
  '25': r('Restricted Card', 'card_declined'),
  '26': r('Revocation Of Auth', 'card_declined'),
  '27': r('Declined Non Generic', 'card_declined'),
  '28': r('Withdrawal amount exceeded', 'limit_exceeded'),
  '29': r('Withdrawal count exceeded', 'limit_exceeded'),
  '31': r('Issuer Suspected Fraud', 'fraud_suspected'),
  '32': r('AVS Declined', 'invalid_payment_data'),
  '33': r('Card requires online pin', 'authentication_required'),
  '34': r('No checking account available on Card', 'card_declined'),
  '35': r('No savings account available on Card', 'card_declined'),
  '36': r('Mobile pin required', 'authentication_required'),
  '37': r('Contactless fallback', 'authentication_required'),
  '38': r('Authentication required', 'authentication_required'),
  '39': r('RReq not received from DS', 'authentication_failed'),
  '42': r('3DS Authentication Error', 'authentication_failed'),
});

/** API error codes (`errorCode` of a 4xx/5xx body) the simulator answers with. */
export const ADYEN_ERROR_CODES: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  '000': 'provider_error',
  '100': 'invalid_request',
  '101': 'invalid_payment_data',
  '103': 'invalid_payment_data',
  '129': 'invalid_payment_data',
  '130': 'invalid_request',
  '137': 'invalid_request',
  '138': 'invalid_request',
  '167': 'invalid_request',
  '702': 'invalid_request',
  '703': 'provider_unavailable',
  '704': 'duplicate_transaction',
  '901': 'invalid_request',
  '905': 'invalid_request',
  '14_030': 'invalid_request',
});

/**
 * The normalised code of an Adyen answer: `refusalReasonCode` for a refusal, `errorCode` for an
 * API error, `resultCode` when that is all there is.
 */
export function normaliseAdyenCode(answer: { resultCode?: string; refusalReasonCode?: string; errorCode?: string; status?: number }): NormalisedCode {
  if (answer.errorCode !== undefined) {
    if (answer.status === 429) return 'rate_limited';
    // 401/403 (errorCode 000 or 010): our API key or its roles are wrong — a merchant-side bug, not Adyen's.
    if (answer.status === 401 || answer.status === 403) return 'invalid_request';
    if (answer.status !== undefined && answer.status >= 500 && answer.errorCode !== '704') return answer.status === 503 ? 'provider_unavailable' : 'provider_error';
    return ADYEN_ERROR_CODES[answer.errorCode] ?? 'unknown';
  }
  if (answer.refusalReasonCode !== undefined) return ADYEN_REFUSAL_REASONS[answer.refusalReasonCode]?.normalised ?? 'card_declined';
  switch (answer.resultCode) {
    case 'Refused':
      return 'card_declined';
    case 'Error':
      return 'provider_error';
    case 'Cancelled':
      return 'card_declined';
    default:
      return 'unknown';
  }
}
