import type { NormalisedCode } from '../../../src/conventions/index.js';

/**
 * UnionPay online gateway answer codes (应答码) → the normalised codes, written from UnionPay's
 * published code table (open.unionpay.com, 全渠道 "应答码"), not from any simulator. 00 and A6
 * succeeded; 03, 04, 05 mean the end is not known yet (query, never resend with a new orderId);
 * 12 is a duplicate (the first transaction stands: query it); 34 "no such transaction" answers
 * queries.
 */
export const UNIONPAY_SUCCESS_CODES: ReadonlySet<string> = new Set(['00', 'A6']);
export const UNIONPAY_PENDING_CODES: ReadonlySet<string> = new Set(['03', '04', '05']);

export const UNIONPAY_CODES: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  '01': 'provider_error',
  '02': 'provider_unavailable',
  '06': 'provider_unavailable',
  '10': 'invalid_request',
  // Our signature did not verify: the gateway's signing or certificate is wrong, retrying cannot help.
  '11': 'invalid_request',
  '12': 'duplicate_transaction',
  '13': 'invalid_request',
  '30': 'card_declined',
  '31': 'invalid_request',
  '32': 'invalid_request',
  '33': 'limit_exceeded',
  '34': 'invalid_request',
  '35': 'invalid_request',
  '36': 'invalid_request',
  '37': 'rate_limited',
  '38': 'fraud_suspected',
  '39': 'provider_unavailable',
  '60': 'card_declined',
  '61': 'invalid_payment_data',
  '62': 'card_declined',
  '63': 'card_declined',
  '64': 'insufficient_funds',
  '65': 'incorrect_cvc',
  '66': 'invalid_payment_data',
  '67': 'card_declined',
  '68': 'card_declined',
  '69': 'authentication_failed',
  '71': 'authentication_failed',
  '73': 'expired_card',
  '78': 'card_declined',
  '79': 'insufficient_funds',
  '99': 'provider_error',
});

export function normaliseUnionPay(code: string): NormalisedCode {
  if (UNIONPAY_PENDING_CODES.has(code)) return 'outcome_unknown';
  return Object.hasOwn(UNIONPAY_CODES, code) ? UNIONPAY_CODES[code]! : 'unknown';
}
