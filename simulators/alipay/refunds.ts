import { notify } from './context.js';
import { failure, success } from './errors.js';
import { str, type AlipayMethod } from './method.js';
import { fenToYuan, yuanToFen } from './params.js';
import { alipayTime } from './time.js';

/**
 * alipay.trade.refund: out_request_no makes a (partial) refund idempotent — the same number and
 * amount answer again with `fund_change: N`, another amount is ACQ.CONTEXT_INCONSISTENT. Never
 * more than paid minus refunded (ACQ.REFUND_AMT_NOT_EQUAL_TOTAL). A fully refunded trade becomes
 * TRADE_CLOSED. Each refund is notified (trade_status_sync with refund_fee and out_biz_no).
 */
export const tradeRefund: AlipayMethod = ({ ctx, biz, traceId }) => {
  const t = ctx.state.find(str(biz.trade_no), str(biz.out_trade_no));
  // The refund amount is in the trade's currency, so the trade is found first.
  const amount = yuanToFen(biz.refund_amount, t?.currency);
  if (amount === undefined || amount <= 0) return { fields: failure('ACQ.INVALID_PARAMETER', '参数无效: refund_amount'), committed: false };
  if (!t || !t.scanned) return { fields: failure('ACQ.TRADE_NOT_EXIST'), committed: false };
  const outRequestNo = str(biz.out_request_no) ?? t.outTradeNo;
  const answer = (fundChange: 'Y' | 'N', at: Date) =>
    success({ trade_no: t.tradeNo, out_trade_no: t.outTradeNo, buyer_logon_id: t.buyerLogonId, fund_change: fundChange, refund_fee: fenToYuan(t.refunded, t.currency), gmt_refund_pay: alipayTime(at), buyer_user_id: t.buyerId });

  const previous = t.refunds.get(outRequestNo);
  if (previous) return previous.amount === amount ? { fields: answer('N', previous.at), committed: false } : { fields: failure('ACQ.CONTEXT_INCONSISTENT'), committed: false };
  if (!t.paidAt) return { fields: failure('ACQ.TRADE_STATUS_ERROR'), committed: false };
  if (t.status === 'TRADE_CLOSED') return { fields: failure('ACQ.TRADE_HAS_CLOSE'), committed: false };
  if (amount > t.amount - t.refunded) return { fields: failure('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL'), committed: false };

  const at = ctx.now();
  t.refunds.set(outRequestNo, { outRequestNo, amount, at });
  t.refunded += amount;
  ctx.ledger.record({ kind: 'refund', paymentId: t.tradeNo, orderId: t.outTradeNo, idempotencyKey: outRequestNo, amount, currency: t.currency, traceId: traceId ?? t.traceId, reference: outRequestNo });
  if (t.refunded === t.amount) {
    t.status = 'TRADE_CLOSED';
    t.closedAt = at;
  }
  notify(ctx, t, { outRequestNo, at });
  return { fields: answer('Y', at), committed: true };
};

/** alipay.trade.fastpay.refund.query: an unknown out_request_no is a 10000 without refund_status. */
export const refundQuery: AlipayMethod = ({ ctx, biz }) => {
  const t = ctx.state.find(str(biz.trade_no), str(biz.out_trade_no));
  if (!t || !t.scanned) return { fields: failure('ACQ.TRADE_NOT_EXIST'), committed: false };
  const outRequestNo = str(biz.out_request_no);
  if (!outRequestNo) return { fields: failure('ACQ.INVALID_PARAMETER', '参数无效: out_request_no'), committed: false };
  const base = { trade_no: t.tradeNo, out_trade_no: t.outTradeNo, out_request_no: outRequestNo };
  const r = t.refunds.get(outRequestNo);
  if (!r) return { fields: success(base), committed: false };
  return { fields: success({ ...base, total_amount: t.totalAmount, refund_amount: fenToYuan(r.amount, t.currency), refund_status: 'REFUND_SUCCESS', gmt_refund_pay: alipayTime(r.at) }), committed: false };
};
