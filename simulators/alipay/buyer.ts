import type { FastifyInstance, FastifyRequest } from 'fastify';
import { markPaid, notify, type AlipayContext } from './context.js';

/**
 * The buyer's side, which the real Alipay keeps on the buyer's phone:
 * `POST /__sim/buyer/{out_trade_no}?action=scan|pay|cancel`.
 *
 * - `scan`: the buyer scanned a precreated QR code — the trade now exists for trade.query;
 * - `pay`: the buyer confirmed — WAIT_BUYER_PAY → TRADE_SUCCESS, ledger and notification;
 * - `cancel`: the buyer gave up — WAIT_BUYER_PAY → TRADE_CLOSED, notified.
 *
 * Answers `{ out_trade_no, trade_no, trade_status }`, or 404 / 409 as JSON (a control route,
 * not Alipay's API).
 */
export function registerBuyer(app: FastifyInstance, ctx: AlipayContext): void {
  app.post('/__sim/buyer/:outTradeNo', async (req: FastifyRequest<{ Params: { outTradeNo: string }; Querystring: { action?: string } }>, reply) => {
    const action = req.query.action ?? 'pay';
    const t = ctx.state.byOutTradeNo.get(req.params.outTradeNo);
    if (!t) return reply.code(404).send({ error: `no trade with out_trade_no ${req.params.outTradeNo}` });
    if (!['scan', 'pay', 'cancel'].includes(action)) return reply.code(400).send({ error: 'action must be scan, pay or cancel' });
    if (t.status !== 'WAIT_BUYER_PAY') return reply.code(409).send({ error: `trade is ${t.status}`, trade_status: t.status });
    if (action === 'scan') t.scanned = true;
    else if (action === 'pay') markPaid(ctx, t);
    else {
      t.scanned = true;
      t.status = 'TRADE_CLOSED';
      t.closedAt = ctx.now();
      notify(ctx, t);
    }
    return { out_trade_no: t.outTradeNo, trade_no: t.tradeNo, trade_status: t.status };
  });
}
