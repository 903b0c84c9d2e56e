import { notify } from './context.js';
import { failure, success } from './errors.js';
import { str, type AlipayMethod } from './method.js';
import { alipayTime } from './time.js';

/**
 * alipay.trade.cancel (撤销), what the face-to-face docs prescribe when a pay result stays
 * unknown after querying: an unpaid trade is closed (`action: close`), a paid one is refunded in
 * full and closed (`action: refund`, with `gmt_refund_pay`). A trade Alipay has no record of
 * answers 10000 without `action` (nothing to undo). `retry_flag` is `N` on every answer the
 * method gives; the gateway adds `Y` to an ACQ.SYSTEM_ERROR, which is what the docs tell the
 * merchant to retry.
 *
 * Refused: a trade paid more than 24 hours ago (ACQ.TRADE_CANCEL_TIME_OUT — refund it instead)
 * and one already partly or wholly refunded (ACQ.REASON_TRADE_REFUND_FEE_ERR). A retried cancel
 * answers the same action again and moves no money twice.
 */
const CANCEL_WINDOW_MS = 24 * 60 * 60 * 1000;

export const tradeCancel: AlipayMethod = ({ ctx, biz, traceId }) => {
  const tradeNo = str(biz.trade_no);
  const outTradeNo = str(biz.out_trade_no);
  if (!tradeNo && !outTradeNo) return { fields: { ...failure('ACQ.INVALID_PARAMETER', '参数无效: out_trade_no or trade_no'), retry_flag: 'N' }, committed: false };
  const t = ctx.state.find(tradeNo, outTradeNo);
  if (!t || (!t.scanned && t.status !== 'WAIT_BUYER_PAY')) return { fields: success({ out_trade_no: outTradeNo ?? '', retry_flag: 'N' }), committed: false };
  const ids = { trade_no: t.tradeNo, out_trade_no: t.outTradeNo, retry_flag: 'N' };
  if (t.cancelled) return { fields: success({ ...ids, action: t.cancelled, ...(t.cancelled === 'refund' && t.closedAt ? { gmt_refund_pay: alipayTime(t.closedAt) } : {}) }), committed: false };

  const now = ctx.now();
  if (t.status === 'WAIT_BUYER_PAY') {
    // An unscanned QR trade does not exist for the merchant's APIs; it is closed all the same, so the buyer can no longer pay it.
    t.scanned = true;
    t.status = 'TRADE_CLOSED';
    t.closedAt = now;
    t.cancelled = 'close';
    return { fields: success({ ...ids, action: 'close' }), committed: true };
  }
  if (!t.paidAt) {
    // Closed unpaid already (by the buyer, a timeout or trade.close): nothing to undo.
    t.cancelled = 'close';
    return { fields: success({ ...ids, action: 'close' }), committed: false };
  }
  if (t.refunded > 0) return { fields: { ...failure('ACQ.REASON_TRADE_REFUND_FEE_ERR'), retry_flag: 'N' }, committed: false };
  if (now.getTime() - t.paidAt.getTime() > CANCEL_WINDOW_MS) return { fields: { ...failure('ACQ.TRADE_CANCEL_TIME_OUT'), retry_flag: 'N' }, committed: false };

  t.refunded = t.amount;
  t.status = 'TRADE_CLOSED';
  t.closedAt = now;
  t.cancelled = 'refund';
  const reference = `cancel_${t.outTradeNo}`;
  ctx.ledger.record({ kind: 'refund', paymentId: t.tradeNo, orderId: t.outTradeNo, idempotencyKey: reference, amount: t.amount, currency: t.currency, traceId: traceId ?? t.traceId, reference });
  notify(ctx, t, { outRequestNo: t.outTradeNo, at: now });
  return { fields: success({ ...ids, action: 'refund', gmt_refund_pay: alipayTime(now) }), committed: true };
};
