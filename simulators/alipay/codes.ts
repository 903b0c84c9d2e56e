import type { NormalisedCode } from '../../src/conventions/index.js';

/**
 * Alipay's answer codes. The gateway `code` says what kind of answer it is; `sub_code` says what
 * happened. The table maps every sub_code the simulator answers with to its gateway code, its
 * `sub_msg` (the Chinese text Alipay sends) and the normalised code of DESIGN.md.
 */
export const ALIPAY_GATEWAY_CODES: Readonly<Record<string, string>> = Object.freeze({
  '10000': 'Success',
  '10003': 'order success pay inprocess',
  '20000': 'Service Currently Unavailable',
  '40001': 'Missing Required Arguments',
  '40002': 'Invalid Arguments',
  '40004': 'Business Failed',
});

export type AlipayGatewayCode = '10000' | '10003' | '20000' | '40001' | '40002' | '40004';

export interface AlipaySubCode {
  readonly code: AlipayGatewayCode;
  readonly subMsg: string;
  readonly normalised: NormalisedCode;
}

const s = (code: AlipayGatewayCode, subMsg: string, normalised: NormalisedCode): AlipaySubCode => Object.freeze({ code, subMsg, normalised });

export const ALIPAY_SUB_CODES: Readonly<Record<string, AlipaySubCode>> = Object.freeze({
  // Service failures: "call alipay.trade.query now", never a new out_trade_no.
  'ACQ.SYSTEM_ERROR': s('20000', '系统错误', 'provider_error'),
  'isp.unknow-error': s('20000', '服务暂不可用', 'provider_unavailable'),
  // Payment declined by the buyer's account or risk control.
  'ACQ.BUYER_BALANCE_NOT_ENOUGH': s('40004', '买家余额不足', 'insufficient_funds'),
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH': s('40004', '用户银行卡余额不足', 'insufficient_funds'),
  'ACQ.PAYMENT_REQUEST_HAS_RISK': s('40004', '支付有风险', 'fraud_suspected'),
  'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR': s('40004', '买家付款日限额超限', 'limit_exceeded'),
  'ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR': s('40004', '买家付款月额度超限', 'limit_exceeded'),
  'ACQ.TOTAL_FEE_EXCEED': s('40004', '订单金额超过限额', 'limit_exceeded'),
  'ACQ.PAYMENT_AUTH_CODE_INVALID': s('40004', '付款码无效', 'invalid_payment_data'),
  'ACQ.BUYER_ENABLE_STATUS_FORBID': s('40004', '买家状态非法', 'card_declined'),
  'ACQ.PAYMENT_FAIL': s('40004', '支付失败', 'card_declined'),
  // The order itself.
  'ACQ.TRADE_HAS_SUCCESS': s('40004', '交易已被支付', 'duplicate_transaction'),
  'ACQ.TRADE_HAS_CLOSE': s('40004', '交易已经关闭', 'order_closed'),
  'ACQ.CONTEXT_INCONSISTENT': s('40004', '交易信息被篡改', 'invalid_request'),
  'ACQ.TRADE_NOT_EXIST': s('40004', '交易不存在', 'invalid_request'),
  'ACQ.TRADE_STATUS_ERROR': s('40004', '交易状态不合法', 'invalid_request'),
  'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL': s('40004', '退款金额超限', 'invalid_request'),
  'ACQ.INVALID_PARAMETER': s('40004', '参数无效', 'invalid_request'),
  // alipay.trade.cancel.
  'ACQ.TRADE_CANCEL_TIME_OUT': s('40004', '超过撤销时间范围', 'invalid_request'),
  'ACQ.REASON_TRADE_REFUND_FEE_ERR': s('40004', '退款金额无效', 'invalid_request'),
  // alipay.trade.order.settle (分账) and its query.
  'ACQ.ALLOC_AMOUNT_VALIDATE_ERROR': s('40004', '分账金额超过最大可分账金额', 'invalid_request'),
  'ACQ.TRADE_SETTLE_NOT_EXIST': s('40004', '分账请求不存在', 'invalid_request'),
  // alipay.data.dataservice.bill.downloadurl.query.
  'isp.bill_not_exist': s('40004', '账单不存在', 'invalid_request'),
  'isv.invalid-arguments': s('40002', '参数无效', 'invalid_request'),
  // The request envelope.
  'isv.missing-method': s('40001', '缺少方法名参数', 'invalid_request'),
  'isv.missing-app-id': s('40001', '缺少AppID参数', 'invalid_request'),
  'isv.missing-signature': s('40001', '缺少签名参数', 'invalid_request'),
  'isv.missing-signature-type': s('40001', '缺少签名类型参数', 'invalid_request'),
  'isv.invalid-method': s('40002', '不存在的方法名', 'invalid_request'),
  'isv.invalid-app-id': s('40002', '无效的AppID参数', 'invalid_request'),
  'isv.invalid-signature': s('40002', '验签出错', 'invalid_request'),
  'isv.invalid-signature-type': s('40002', '无效的签名类型', 'invalid_request'),
  'isv.invalid-timestamp': s('40002', '非法的时间戳参数', 'invalid_request'),
  'isv.invalid-parameter': s('40002', '参数无效', 'invalid_request'),
});

/**
 * What a behaviour profile's `outcomes` may force on `alipay.trade.pay`: a decline sub_code,
 * `ACQ.SYSTEM_ERROR` (nothing committed), or `10003` — the buyer must confirm on the phone, the
 * trade waits in WAIT_BUYER_PAY until `/__sim/buyer/{out_trade_no}` says otherwise.
 */
export const ALIPAY_OUTCOMES: readonly string[] = Object.freeze([
  '10003',
  'ACQ.SYSTEM_ERROR',
  'ACQ.BUYER_BALANCE_NOT_ENOUGH',
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH',
  'ACQ.PAYMENT_REQUEST_HAS_RISK',
  'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR',
  'ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR',
  'ACQ.PAYMENT_AUTH_CODE_INVALID',
  'ACQ.BUYER_ENABLE_STATUS_FORBID',
  'ACQ.PAYMENT_FAIL',
]);

/** The normalised code of an Alipay answer: its sub_code if it has one, else its gateway code. */
export function normaliseAlipayCode(answer: { code?: string; sub_code?: string }): NormalisedCode {
  if (answer.sub_code !== undefined) return ALIPAY_SUB_CODES[answer.sub_code]?.normalised ?? (answer.code === '20000' ? 'provider_error' : 'unknown');
  switch (answer.code) {
    case '10003':
      // Waiting for the buyer: the outcome is not known yet, poll trade.query.
      return 'outcome_unknown';
    case '20000':
      return 'provider_unavailable';
    case '40001':
    case '40002':
      return 'invalid_request';
    default:
      return 'unknown';
  }
}
