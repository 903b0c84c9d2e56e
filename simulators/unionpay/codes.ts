import type { NormalisedCode } from '../../src/conventions/index.js';

/**
 * UnionPay's answer codes (应答码, `respCode` of an answer, `origRespCode` of the transaction a
 * query asks about), from the online gateway's published code table, with the normalised code
 * each maps to (DESIGN.md "Telemetry conventions"). The reading UnionPay prescribes:
 * 00 (and A6) succeeded; 03, 04, 05 are "not known yet" — query, never resubmit; anything else
 * failed.
 */
export interface UnionPayCode {
  readonly message: string;
  readonly normalised: NormalisedCode | undefined;
}

export const UNIONPAY_RESP_CODES: Readonly<Record<string, UnionPayCode>> = Object.freeze({
  '00': { message: '成功', normalised: undefined },
  A6: { message: '有缺陷的成功', normalised: undefined },
  '01': { message: '交易失败', normalised: 'provider_error' },
  '02': { message: '系统未开放或暂时关闭，请稍后再试', normalised: 'provider_unavailable' },
  '03': { message: '交易通讯超时，请发起查询交易', normalised: 'outcome_unknown' },
  '04': { message: '交易状态未明，请查询对账结果', normalised: 'outcome_unknown' },
  '05': { message: '交易已受理，请稍后查询交易结果', normalised: 'outcome_unknown' },
  '06': { message: '系统繁忙，请稍后再试', normalised: 'provider_unavailable' },
  '10': { message: '报文格式错误', normalised: 'invalid_request' },
  '11': { message: '验证签名失败', normalised: 'invalid_request' },
  '12': { message: '重复交易', normalised: 'duplicate_transaction' },
  '13': { message: '报文交易要素缺失', normalised: 'invalid_request' },
  '30': { message: '交易未通过，请尝试使用其他银联卡支付或联系95516', normalised: 'card_declined' },
  '31': { message: '商户状态不正确', normalised: 'invalid_request' },
  '32': { message: '无此交易权限', normalised: 'invalid_request' },
  '33': { message: '交易金额超限', normalised: 'limit_exceeded' },
  '34': { message: '查无此交易', normalised: 'invalid_request' },
  '35': { message: '原交易不存在或状态不正确', normalised: 'invalid_request' },
  '36': { message: '与原交易信息不符', normalised: 'invalid_request' },
  '37': { message: '已超过最大查询次数或操作过于频繁', normalised: 'rate_limited' },
  '38': { message: '银联风险受限', normalised: 'fraud_suspected' },
  '39': { message: '交易不在受理时间范围内', normalised: 'provider_unavailable' },
  '60': { message: '交易失败，详情请咨询您的发卡行', normalised: 'card_declined' },
  '61': { message: '输入的卡号无效，请确认后输入', normalised: 'invalid_payment_data' },
  '62': { message: '交易失败，发卡银行不支持该商户，请更换其他银行卡', normalised: 'card_declined' },
  '63': { message: '卡状态不正确', normalised: 'card_declined' },
  '64': { message: '卡上的余额不足', normalised: 'insufficient_funds' },
  '65': { message: '输入的密码、有效期或CVN2有误，交易失败', normalised: 'incorrect_cvc' },
  '66': { message: '持卡人身份信息或手机号输入不正确，验证失败', normalised: 'invalid_payment_data' },
  '67': { message: '密码输入次数超限', normalised: 'card_declined' },
  '68': { message: '您的银行卡暂不支持该业务，请向您的银行或95516咨询', normalised: 'card_declined' },
  '69': { message: '您的输入超时，交易失败', normalised: 'authentication_failed' },
  '71': { message: '动态口令或短信验证码校验失败', normalised: 'authentication_failed' },
  '73': { message: '支付卡已超过有效期', normalised: 'expired_card' },
  '78': { message: '发卡行交易权限受限，详情请咨询您的发卡行', normalised: 'card_declined' },
  '79': { message: '此卡可用的余额不足，详情请咨询您的发卡行', normalised: 'insufficient_funds' },
  '99': { message: '通用错误', normalised: 'provider_error' },
});

/** Codes that mean "the transaction's end is not known yet: query it". */
export const UNIONPAY_IN_PROGRESS: ReadonlySet<string> = new Set(['03', '04', '05']);

/**
 * What a behaviour profile's `outcomes` may force on a consume: a decline (the transaction ends
 * failed), one of the in-progress codes (the answer says so; the transaction succeeds later, as
 * a query or the notification tells), or 06 (busy: nothing was made; a query finds nothing).
 */
export const UNIONPAY_OUTCOMES: readonly string[] = Object.freeze(['01', '03', '04', '05', '06', '30', '33', '38', '60', '61', '63', '64', '65', '71', '73', '78', '79']);

export function respMsg(code: string): string {
  return UNIONPAY_RESP_CODES[code]?.message ?? '交易失败';
}
