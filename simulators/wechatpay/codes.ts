import type { NormalisedCode } from '../../src/conventions/index.js';

/**
 * WeChat Pay APIv3 error codes: the HTTP status each comes with, the message WeChat sends, and
 * the normalised code of DESIGN.md. Errors are `{code, message}`; the status matters as much as
 * the code (a 5xx SYSTEM_ERROR means "retry with the same parameters").
 */
export interface WechatCode {
  readonly status: number;
  readonly message: string;
  readonly normalised: NormalisedCode;
}

const c = (status: number, message: string, normalised: NormalisedCode): WechatCode => Object.freeze({ status, message, normalised });

export const WECHAT_CODES: Readonly<Record<string, WechatCode>> = Object.freeze({
  PARAM_ERROR: c(400, '参数错误', 'invalid_request'),
  INVALID_REQUEST: c(400, '无效请求', 'invalid_request'),
  APPID_MCHID_NOT_MATCH: c(400, 'appid和mch_id不匹配', 'invalid_request'),
  MCH_NOT_EXISTS: c(400, '商户号不存在', 'invalid_request'),
  ORDERPAID: c(400, '该订单已支付', 'duplicate_transaction'),
  ORDER_CLOSED: c(400, '订单已关闭', 'order_closed'),
  SIGN_ERROR: c(401, '签名错误', 'invalid_request'),
  OUT_TRADE_NO_USED: c(403, '商户订单号重复', 'invalid_request'),
  NOTENOUGH: c(403, '余额不足', 'insufficient_funds'),
  ACCOUNTERROR: c(403, '账号异常', 'card_declined'),
  TRADE_ERROR: c(403, '交易错误', 'card_declined'),
  RULE_LIMIT: c(403, '业务规则限制', 'limit_exceeded'),
  NO_AUTH: c(403, '商户无权限', 'invalid_request'),
  // 分账: more than the order's unsplit amount.
  NOT_ENOUGH: c(403, '分账金额不足', 'invalid_request'),
  ORDER_NOT_EXIST: c(404, '订单不存在', 'invalid_request'),
  NO_STATEMENT_EXIST: c(400, '账单文件不存在', 'invalid_request'),
  RESOURCE_NOT_EXISTS: c(404, '退款单不存在', 'invalid_request'),
  FREQUENCY_LIMITED: c(429, '频率超限', 'rate_limited'),
  SYSTEM_ERROR: c(500, '系统错误', 'provider_error'),
  BANKERROR: c(500, '银行系统异常', 'issuer_unavailable'),
});

/**
 * What a profile's `outcomes` may force. On an order request, API-level codes are answered at
 * once and nothing is stored; `NOTENOUGH` and `PAYERROR` let the order be created and make the
 * payer's attempt fail later (trade_state PAYERROR), as a JSAPI or Native payment fails on the phone.
 */
export const WECHAT_OUTCOMES: readonly string[] = Object.freeze(['SYSTEM_ERROR', 'BANKERROR', 'FREQUENCY_LIMITED', 'TRADE_ERROR', 'RULE_LIMIT', 'ACCOUNTERROR', 'NOTENOUGH', 'PAYERROR']);

/** trade_state → normalised code, for a query answer (SUCCESS is not an error). */
export const WECHAT_TRADE_STATES: Readonly<Record<string, NormalisedCode | undefined>> = Object.freeze({
  SUCCESS: undefined,
  REFUND: undefined,
  NOTPAY: 'outcome_unknown',
  USERPAYING: 'outcome_unknown',
  CLOSED: 'order_closed',
  REVOKED: 'order_closed',
  PAYERROR: 'card_declined',
});

/** The normalised code of an answer: the error `code`, else the `trade_state`. */
export function normaliseWechatCode(answer: { code?: string; trade_state?: string; status?: number }): NormalisedCode {
  if (answer.code !== undefined) {
    const known = WECHAT_CODES[answer.code];
    if (known) return known.normalised;
    if (answer.status === 429) return 'rate_limited';
    if (answer.status !== undefined && answer.status >= 500) return 'provider_error';
    return 'unknown';
  }
  if (answer.trade_state !== undefined) return WECHAT_TRADE_STATES[answer.trade_state] ?? 'unknown';
  return 'unknown';
}
