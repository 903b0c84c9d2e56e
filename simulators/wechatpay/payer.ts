import type { FastifyInstance, FastifyRequest } from 'fastify';
import { payerPays, type WechatContext } from './context.js';

/**
 * The payer's phone: `POST /__sim/payer/{out_trade_no}?action=pay|cancel`. `pay` completes the
 * order (or fails it, when the profile forced NOTENOUGH / PAYERROR); `cancel` leaves it NOTPAY, as
 * a payer who closes WeChat does — the merchant then closes it. Answers `{out_trade_no, trade_state}`.
 */
export function registerPayer(app: FastifyInstance, ctx: WechatContext): void {
  app.post('/__sim/payer/:outTradeNo', async (req: FastifyRequest<{ Params: { outTradeNo: string }; Querystring: { action?: string } }>, reply) => {
    const o = ctx.state.orders.get(req.params.outTradeNo);
    if (!o) return reply.code(404).send({ error: `no order with out_trade_no ${req.params.outTradeNo}` });
    const action = req.query.action ?? 'pay';
    if (action !== 'pay' && action !== 'cancel') return reply.code(400).send({ error: 'action must be pay or cancel' });
    if (o.state !== 'NOTPAY' && o.state !== 'USERPAYING') return reply.code(409).send({ error: `order is ${o.state}`, trade_state: o.state });
    if (action === 'pay') payerPays(ctx, o);
    return { out_trade_no: o.outTradeNo, trade_state: o.state, ...(o.transactionId ? { transaction_id: o.transactionId } : {}) };
  });
}
