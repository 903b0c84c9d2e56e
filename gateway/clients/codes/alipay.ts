import type { NormalisedCode } from '../../../src/conventions/index.js';

/**
 * Alipay's `sub_code` → the normalised codes, written from Alipay's documentation of
 * alipay.trade.pay / alipay.trade.query (the public error code tables of the open platform),
 * not from any simulator. Alipay answers `code` 40004 (business failure) with a sub_code saying
 * which; 20000 (service unavailable) with ACQ.SYSTEM_ERROR means "query the trade now".
 */
export const ALIPAY_SUB_CODES: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  'ACQ.SYSTEM_ERROR': 'provider_error',
  'ACQ.INVALID_PARAMETER': 'invalid_request',
  'ACQ.ACCESS_FORBIDDEN': 'invalid_request',
  'ACQ.EXIST_FORBIDDEN_WORD': 'invalid_request',
  'ACQ.PARTNER_ERROR': 'invalid_request',
  'ACQ.TOTAL_FEE_EXCEED': 'limit_exceeded',
  'ACQ.CONTEXT_INCONSISTENT': 'invalid_request',
  'ACQ.TRADE_HAS_SUCCESS': 'duplicate_transaction',
  'ACQ.TRADE_HAS_CLOSE': 'order_closed',
  'ACQ.TRADE_STATUS_ERROR': 'order_closed',
  'ACQ.BUYER_SELLER_EQUAL': 'invalid_request',
  'ACQ.TRADE_BUYER_NOT_MATCH': 'invalid_request',
  'ACQ.BUYER_ENABLE_STATUS_FORBID': 'card_declined',
  'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR': 'limit_exceeded',
  'ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR': 'limit_exceeded',
  'ACQ.BEYOND_PAY_RESTRICTION': 'limit_exceeded',
  'ACQ.BEYOND_PER_RECEIPT_RESTRICTION': 'limit_exceeded',
  'ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT': 'limit_exceeded',
  'ACQ.SELLER_BEEN_BLOCKED': 'invalid_request',
  'ACQ.PAYMENT_REQUEST_HAS_RISK': 'fraud_suspected',
  'ACQ.NO_PAYMENT_INSTRUMENTS_AVAILABLE': 'card_declined',
  'ACQ.USER_FACE_PAYMENT_SWITCH_OFF': 'card_declined',
  'ACQ.PAYMENT_AUTH_CODE_INVALID': 'invalid_payment_data',
  'ACQ.BUYER_BALANCE_NOT_ENOUGH': 'insufficient_funds',
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH': 'insufficient_funds',
  'ACQ.TRADE_NOT_EXIST': 'invalid_request',
  'ACQ.INVALID_STORE_ID': 'invalid_request',
  // The gateway's own signing or app id is wrong (isv.* sub_codes of 40002): a bug to fix.
  'isv.invalid-signature': 'invalid_request',
  'isv.invalid-app-id': 'invalid_request',
  'isv.missing-signature': 'invalid_request',
});

/** An Alipay answer (`code`, `sub_code`) → its normalised code. */
export function normaliseAlipay(answer: { code?: unknown; sub_code?: unknown }): NormalisedCode {
  const code = typeof answer.code === 'string' ? answer.code : undefined;
  const sub = typeof answer.sub_code === 'string' ? answer.sub_code : undefined;
  if (sub !== undefined && Object.hasOwn(ALIPAY_SUB_CODES, sub)) return ALIPAY_SUB_CODES[sub]!;
  switch (code) {
    case '10003':
      return 'outcome_unknown'; // waiting for the buyer: query, the end is not known yet
    case '20000':
      return sub !== undefined ? 'provider_error' : 'provider_unavailable';
    case '20001': // authorisation insufficient
    case '40001': // missing required parameter
    case '40002': // invalid parameter
    case '40006': // insufficient permissions
      return 'invalid_request';
    default:
      return 'unknown';
  }
}

/**
 * alipay.trade.refund / alipay.trade.close sub_codes (Alipay's error tables for those methods),
 * read before the charge table. ACQ.REASON_TRADE_REFUND_FEE_ERR is "退款金额无效" — more than the
 * trade has left — and ACQ.REFUND_AMT_NOT_EQUAL_TOTAL a full-refund amount that is not the
 * total: the merchant's books disagree with Alipay's, so invalid_request. Closing a paid trade is
 * ACQ.TRADE_STATUS_ERROR: nothing to void, refund instead.
 */
export const ALIPAY_LIFECYCLE_SUB_CODES: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  'ACQ.REASON_TRADE_REFUND_FEE_ERR': 'invalid_request',
  'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL': 'invalid_request',
  'ACQ.TRADE_NOT_ALLOW_REFUND': 'invalid_request',
  'ACQ.TRADE_HAS_FINISHED': 'order_closed',
  'ACQ.TRADE_HAS_CLOSE': 'order_closed',
  'ACQ.TRADE_STATUS_ERROR': 'invalid_request',
  'ACQ.REASON_TRADE_BEEN_FREEZEN': 'invalid_request',
  'ACQ.SELLER_BALANCE_NOT_ENOUGH': 'insufficient_funds',
  'ACQ.DISCORDANT_REPEAT_REQUEST': 'invalid_request',
  'ACQ.TRADE_NOT_EXIST': 'invalid_request',
});

export function normaliseAlipayLifecycle(answer: { code?: unknown; sub_code?: unknown }): NormalisedCode {
  const sub = typeof answer.sub_code === 'string' ? answer.sub_code : undefined;
  if (sub !== undefined && Object.hasOwn(ALIPAY_LIFECYCLE_SUB_CODES, sub)) return ALIPAY_LIFECYCLE_SUB_CODES[sub]!;
  return normaliseAlipay(answer);
}
