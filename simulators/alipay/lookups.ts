import { failure, success } from './errors.js';
import { str, type AlipayMethod, type MethodCall } from './method.js';
import type { AlipayTrade } from './objects.js';
import { paidFields } from './trades.js';
import { alipayTime } from './time.js';

/** The trade a call names by trade_no or out_trade_no, if the buyer has made it exist. */
function target({ ctx, biz }: MethodCall): AlipayTrade | undefined {
  const t = ctx.state.find(str(biz.trade_no), str(biz.out_trade_no));
  // An unscanned precreated trade does not exist yet, as far as Alipay's APIs are concerned.
  return t && t.scanned ? t : undefined;
}

/** alipay.trade.query: what the merchant polls after 10003, ACQ.SYSTEM_ERROR or a timeout. */
export const tradeQuery: AlipayMethod = (call) => {
  const t = target(call);
  if (!t) return { fields: failure('ACQ.TRADE_NOT_EXIST'), committed: false };
  const base = { trade_no: t.tradeNo, out_trade_no: t.outTradeNo, buyer_logon_id: t.buyerLogonId, trade_status: t.status, total_amount: t.totalAmount, buyer_user_id: t.buyerId };
  if (!t.paidAt) return { fields: success(base), committed: false };
  return { fields: success({ ...paidFields(t), ...base, send_pay_date: alipayTime(t.paidAt) }), committed: false };
};

/** alipay.trade.close: only an unpaid trade closes; a paid one must be refunded instead. */
export const tradeClose: AlipayMethod = (call) => {
  const { ctx, biz } = call;
  const any = ctx.state.find(str(biz.trade_no), str(biz.out_trade_no));
  if (any && !any.scanned && any.status === 'WAIT_BUYER_PAY') {
    // Alipay answers "does not exist" for a QR trade nobody scanned; we also stop it being paid later.
    any.status = 'TRADE_CLOSED';
    any.closedAt = ctx.now();
    return { fields: failure('ACQ.TRADE_NOT_EXIST'), committed: true };
  }
  const t = target(call);
  if (!t) return { fields: failure('ACQ.TRADE_NOT_EXIST'), committed: false };
  if (t.status !== 'WAIT_BUYER_PAY') return { fields: failure('ACQ.TRADE_STATUS_ERROR'), committed: false };
  t.status = 'TRADE_CLOSED';
  t.closedAt = ctx.now();
  return { fields: success({ trade_no: t.tradeNo, out_trade_no: t.outTradeNo }), committed: true };
};
