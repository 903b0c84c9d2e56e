import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { send, traceIdOf } from '../core/index.js';
import { refundSucceeded, type WechatContext } from './context.js';
import type { WechatOrder, WechatRefund } from './objects.js';
import { wechatTime } from './time.js';

/**
 * `POST /v3/refund/domestic/refunds` and `GET /v3/refund/domestic/refunds/{out_refund_no}`.
 * out_refund_no makes a refund idempotent: the same one with the same amounts answers the same
 * refund, with other amounts 400 INVALID_REQUEST. `amount.total` must equal the order's total;
 * refunds never exceed what was paid. The money moves at once (ledger), the answer says
 * PROCESSING like the real API, and REFUND.SUCCESS follows when a notify_url was given.
 */
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function registerRefunds(app: FastifyInstance, ctx: WechatContext): void {
  app.post('/v3/refund/domestic/refunds', async (req, reply) => {
    const body = isObject(req.body) ? req.body : {};
    const amount = isObject(body.amount) ? body.amount : undefined;
    if (typeof body.out_refund_no !== 'string' || !/^[A-Za-z0-9_|*@-]{1,64}$/.test(body.out_refund_no)) return send(reply, ctx.signer.error('PARAM_ERROR', '参数错误: out_refund_no'));
    if (!amount || !Number.isSafeInteger(amount.refund) || !Number.isSafeInteger(amount.total) || (amount.refund as number) <= 0) return send(reply, ctx.signer.error('PARAM_ERROR', '参数错误: amount.refund 与 amount.total 须为正整数，单位分'));
    if (amount.currency !== 'CNY') return send(reply, ctx.signer.error('PARAM_ERROR', '参数错误: amount.currency 须为 CNY'));
    const o = typeof body.transaction_id === 'string' ? ctx.state.byTransactionId.get(body.transaction_id) : typeof body.out_trade_no === 'string' ? ctx.state.orders.get(body.out_trade_no) : undefined;
    if (!o) return send(reply, ctx.signer.error('RESOURCE_NOT_EXISTS', '订单不存在'));
    const delay = ctx.behaviour.processingDelayMs();
    if (delay > 0) await sleep(delay);

    const refund = amount.refund as number;
    const previous = o.refunds.get(body.out_refund_no);
    if (previous) {
      if (previous.amount !== refund) return send(reply, ctx.signer.error('INVALID_REQUEST', '退款单号重复，且退款金额与之前请求不一致'));
      return send(reply, ctx.signer.answer(200, refundView(o, previous)));
    }
    if (o.state !== 'SUCCESS' && o.state !== 'REFUND') return send(reply, ctx.signer.error('INVALID_REQUEST', '订单未支付，不能退款'));
    if (amount.total !== o.total) return send(reply, ctx.signer.error('INVALID_REQUEST', '订单金额与实际支付金额不一致'));
    if (refund > o.total - o.refunded) return send(reply, ctx.signer.error('INVALID_REQUEST', '申请退款金额超过订单可退金额'));

    const r: WechatRefund = { refundId: `50${ctx.ids.digits(30)}`, outRefundNo: body.out_refund_no, amount: refund, reason: typeof body.reason === 'string' ? body.reason : undefined, createdAt: ctx.now(), status: 'PROCESSING' };
    o.refunds.set(r.outRefundNo, r);
    ctx.state.refunds.set(r.outRefundNo, { order: o, refund: r });
    o.refunded += refund;
    o.state = 'REFUND';
    o.stateDesc = '订单发生过退款';
    ctx.ledger.record({ kind: 'refund', paymentId: o.transactionId!, orderId: o.outTradeNo, idempotencyKey: r.outRefundNo, amount: refund, currency: o.currency, traceId: traceIdOf(req.headers) ?? o.traceId, reference: r.refundId });
    const answer = refundView(o, r);
    refundSucceeded(ctx, o, r, typeof body.notify_url === 'string' ? body.notify_url : undefined);
    const status = ctx.behaviour.commitThenError();
    if (status !== undefined) return send(reply, ctx.signer.error('SYSTEM_ERROR', undefined, status));
    return send(reply, ctx.signer.answer(200, answer));
  });

  app.get('/v3/refund/domestic/refunds/:outRefundNo', async (req: FastifyRequest<{ Params: { outRefundNo: string } }>, reply) => {
    const found = ctx.state.refunds.get(req.params.outRefundNo);
    if (!found) return send(reply, ctx.signer.error('RESOURCE_NOT_EXISTS'));
    return send(reply, ctx.signer.answer(200, refundView(found.order, found.refund)));
  });
}

function refundView(o: WechatOrder, r: WechatRefund): Json {
  return {
    refund_id: r.refundId,
    out_refund_no: r.outRefundNo,
    transaction_id: o.transactionId,
    out_trade_no: o.outTradeNo,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(r.successAt ? { success_time: wechatTime(r.successAt) } : {}),
    create_time: wechatTime(r.createdAt),
    status: r.status,
    funds_account: 'AVAILABLE',
    amount: { total: o.total, refund: r.amount, payer_total: o.total, payer_refund: r.amount, settlement_refund: r.amount, settlement_total: o.total, discount_refund: 0, currency: o.currency },
  };
}
