import type { FastifyInstance, FastifyReply } from 'fastify';
import { respMsg } from './codes.js';
import { txnFields } from './notify.js';
import { upopSign } from './signature.js';
import type { UnionPayContext, UpopTxn } from './state.js';

/**
 * The front transaction's two browser pages:
 *
 *   frontTransReq.do ─▶ cashier page (the cardholder types a card number) ─▶ POST /gateway/cashier/pay
 *     ─▶ the transaction ends ─▶ a page that auto-submits the signed result to the merchant's
 *        frontUrl (前台通知), while the back notification goes to backUrl
 *
 * The front notification is only a courtesy to the browser: merchants must trust the back
 * notification or a query, as UnionPay's docs say.
 */
const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function openCashier(_ctx: UnionPayContext, t: UpopTxn, reply: FastifyReply): FastifyReply {
  const html = `<!DOCTYPE html><html><head><meta charset="UTF-8"><title>银联在线支付</title></head><body>
<h1>银联在线支付</h1><p>订单号 ${escape(t.orderId)} · 金额 ${(t.txnAmt / 100).toFixed(2)} 元</p>
<form id="pay" method="post" action="/gateway/cashier/pay">
<input type="hidden" name="queryId" value="${escape(t.queryId)}">
<label>卡号 <input name="accNo" autocomplete="cc-number"></label>
<button type="submit">确认付款</button></form></body></html>`;
  return reply.code(200).header('content-type', 'text/html;charset=UTF-8').send(html);
}

export function registerCashier(app: FastifyInstance, ctx: UnionPayContext, pay: (t: UpopTxn, pan: string) => void): void {
  app.post('/gateway/cashier/pay', (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const t = typeof body.queryId === 'string' ? ctx.state.byQueryId.get(body.queryId) : undefined;
    const page = (status: number, text: string) => reply.code(status).header('content-type', 'text/html;charset=UTF-8').send(`<!DOCTYPE html><html><body><p>${escape(text)}</p></body></html>`);
    if (!t || t.channel !== 'front') return page(404, '查无此交易');
    const pan = typeof body.accNo === 'string' ? body.accNo.replace(/\s+/g, '') : '';
    if (t.status === 'awaiting') {
      if (!/^\d{13,19}$/.test(pan)) return page(400, respMsg('61'));
      pay(t, pan);
    }
    const fields = txnFields(ctx, t, { respCode: t.respCode, respMsg: respMsg(t.respCode) });
    const signed = { ...fields, signature: upopSign(fields, ctx.keys.signKey) };
    const inputs = Object.entries(signed)
      .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`)
      .join('\n');
    const action = t.frontUrl ?? '';
    return reply
      .code(200)
      .header('content-type', 'text/html;charset=UTF-8')
      .send(`<!DOCTYPE html><html><body onload="document.forms[0].submit()"><form method="post" action="${escape(action)}">\n${inputs}\n</form></body></html>`);
  });
}
