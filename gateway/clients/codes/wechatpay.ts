import type { NormalisedCode } from '../../../src/conventions/index.js';

/**
 * WeChat Pay APIv3 error `code`s → the normalised codes, written from WeChat Pay's documentation
 * of the JSAPI order and query APIs (pay.weixin.qq.com, "错误码"), not from any simulator.
 */
export const WECHATPAY_ERROR_CODES: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  PARAM_ERROR: 'invalid_request',
  INVALID_REQUEST: 'invalid_request',
  // Our request signature did not verify: the gateway's signing is broken, retrying cannot help.
  SIGN_ERROR: 'invalid_request',
  NO_AUTH: 'invalid_request',
  APPID_MCHID_NOT_MATCH: 'invalid_request',
  MCH_NOT_EXISTS: 'invalid_request',
  OUT_TRADE_NO_USED: 'invalid_request',
  ORDER_NOT_EXIST: 'invalid_request',
  ORDERNOTEXIST: 'invalid_request',
  NOTENOUGH: 'insufficient_funds',
  RULE_LIMIT: 'limit_exceeded',
  TRADE_ERROR: 'card_declined',
  ACCOUNTERROR: 'card_declined',
  ORDERPAID: 'duplicate_transaction',
  ORDERCLOSED: 'order_closed',
  ORDER_CLOSED: 'order_closed',
  FREQUENCY_LIMITED: 'rate_limited',
  FREQUENCY_LIMIT_EXCEED: 'rate_limited',
  SYSTEM_ERROR: 'provider_error',
  SYSTEMERROR: 'provider_error',
  BANKERROR: 'issuer_unavailable',
});

/**
 * `trade_state` of a queried order that ended without payment. PAYERROR says only that the
 * payment failed on the payer's side (no reason is given), so it is the generic decline.
 */
export const WECHATPAY_FAILED_STATES: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  CLOSED: 'order_closed',
  REVOKED: 'order_closed',
  PAYERROR: 'card_declined',
});

/** A WeChat Pay error answer or ended trade state → its normalised code. */
export function normaliseWechatPay(answer: { code?: string; trade_state?: string; status?: number }): NormalisedCode {
  if (answer.code !== undefined) {
    if (Object.hasOwn(WECHATPAY_ERROR_CODES, answer.code)) return WECHATPAY_ERROR_CODES[answer.code]!;
    if (answer.status === 429) return 'rate_limited';
    if (answer.status !== undefined && answer.status >= 500) return 'provider_error';
    return 'unknown';
  }
  if (answer.trade_state !== undefined && Object.hasOwn(WECHATPAY_FAILED_STATES, answer.trade_state)) return WECHATPAY_FAILED_STATES[answer.trade_state]!;
  if (answer.status === 429) return 'rate_limited';
  if (answer.status !== undefined && answer.status >= 500) return 'provider_error';
  return 'unknown';
}

/**
 * Refund (POST /v3/refund/domestic/refunds) and close-order codes (WeChat Pay's 错误码 tables for
 * those APIs), read before the order table. An over-refund is 400 INVALID_REQUEST ("申请退款金额
 * 超过订单可退金额"), as is an out_refund_no reused with another amount: the merchant's books
 * disagree with WeChat's, invalid_request. NOT_ENOUGH on a refund is the merchant's balance, not
 * the payer's. Closing a paid order is ORDERPAID: nothing to void, refund instead.
 */
export const WECHATPAY_LIFECYCLE_CODES: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  INVALID_REQUEST: 'invalid_request',
  NOT_ENOUGH: 'insufficient_funds',
  USER_ACCOUNT_ABNORMAL: 'invalid_request',
  RESOURCE_NOT_EXISTS: 'invalid_request',
  ORDERPAID: 'invalid_request',
});

export function normaliseWechatPayLifecycle(answer: { code?: string; status?: number }): NormalisedCode {
  if (answer.code !== undefined && Object.hasOwn(WECHATPAY_LIFECYCLE_CODES, answer.code)) return WECHATPAY_LIFECYCLE_CODES[answer.code]!;
  return normaliseWechatPay(answer);
}
