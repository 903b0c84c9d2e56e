import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { markPaid, type AlipayContext } from './context.js';
import type { AlipayFields } from './errors.js';
import { str, type MethodCall } from './method.js';
import type { AlipayCreateMethod, AlipayTrade } from './objects.js';
import { NOTIFY_UNSIGNED, alipaySignContent, rsa2Sign } from './signature.js';
import { alipayTime } from './time.js';
import { createTrade } from './trades.js';

/**
 * The cashier: `alipay.trade.page.pay` (电脑网站支付) and `alipay.trade.wap.pay` (手机网站支付).
 * The merchant does not call these server to server: its page sends the buyer's browser to
 * gateway.do — a GET with the signed parameters in the query, or an auto-submitted form POST —
 * and Alipay answers with a page for the buyer, not JSON. Then:
 *
 *   buyer pays   ─▶ TRADE_SUCCESS (ledger, async notify to notify_url) ─▶ 302 to return_url with
 *                   the signed sync parameters (method alipay.trade.page.pay.return, out_trade_no,
 *                   trade_no, total_amount, seller_id, auth_app_id, timestamp, sign, …)
 *   buyer leaves ─▶ the trade stays WAIT_BUYER_PAY until timeout_express (or trade.close /
 *                   trade.cancel); wap.pay sends the buyer to `quit_url` when it has one
 *
 * The parameters are checked and verified exactly as for every gateway call (gateway.ts); a
 * failure is an HTML error page naming the code and sub_code, as Alipay's cashier shows it.
 * Until the buyer acts on the page the trade is invisible to trade.query (ACQ.TRADE_NOT_EXIST),
 * as with a QR code nobody scanned. The page's buttons post to
 * `/__sim/cashier/{trade_no}?action=pay|cancel`, which tests and load drivers may call directly.
 */
export const CASHIER_METHODS: Readonly<Record<string, AlipayCreateMethod>> = Object.freeze({
  'alipay.trade.page.pay': 'page',
  'alipay.trade.wap.pay': 'wap',
});

const PRODUCT_CODES: Readonly<Record<string, string>> = { page: 'FAST_INSTANT_TRADE_PAY', wap: 'QUICK_WAP_WAY' };
const HTML = 'text/html;charset=utf-8';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function cashierErrorPage(reply: FastifyReply, fields: AlipayFields): FastifyReply {
  const code = String(fields.code ?? '');
  const sub = String(fields.sub_code ?? '');
  const msg = String(fields.sub_msg ?? fields.msg ?? '');
  return reply
    .code(200)
    .type(HTML)
    .send(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>支付宝 - 错误</title></head><body><h1>支付宝</h1><div class="error" data-code="${escape(code)}" data-sub-code="${escape(sub)}"><p>错误代码 ${escape(sub || code)}</p><p>${escape(msg)}</p></div></body></html>`);
}

/** Open the cashier for a verified gateway call: create (or meet again) the trade, show the page. */
export function openCashier(call: MethodCall, reply: FastifyReply, kind: AlipayCreateMethod): FastifyReply {
  const product = str(call.biz.product_code);
  if (product !== undefined && product !== PRODUCT_CODES[kind]) {
    return cashierErrorPage(reply, { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.INVALID_PARAMETER', sub_msg: `参数无效: product_code (${PRODUCT_CODES[kind]})` });
  }
  const result = createTrade(call, kind);
  if (result.fields.code !== '10000') return cashierErrorPage(reply, result.fields);
  const t = call.ctx.state.byOutTradeNo.get(call.biz.out_trade_no as string)!;
  // The latest page call decides where the buyer goes back to.
  if (t.status === 'WAIT_BUYER_PAY') t.cashier = { method: call.params.method!, returnUrl: str(call.params.return_url), quitUrl: str(call.biz.quit_url) };
  const action = `/__sim/cashier/${encodeURIComponent(t.tradeNo)}`;
  return reply
    .code(200)
    .type(HTML)
    .send(
      `<!DOCTYPE html><html><head><meta charset="utf-8"><title>支付宝 - 网上支付 安全快速！</title></head><body>` +
        `<h1>支付宝收银台</h1><p class="subject">${escape(t.subject)}</p><p class="amount" data-currency="${escape(t.currency)}">${escape(t.totalAmount)}</p>` +
        `<p class="trade" data-out-trade-no="${escape(t.outTradeNo)}" data-trade-no="${escape(t.tradeNo)}">订单号 ${escape(t.outTradeNo)}</p>` +
        `<form method="post" action="${action}?action=pay"><button type="submit" id="pay">确认付款</button></form>` +
        `<form method="post" action="${action}?action=cancel"><button type="submit" id="cancel">放弃付款</button></form>` +
        `</body></html>`,
    );
}

/** The sync return: what Alipay appends to return_url, signed like a notification (sign, sign_type excluded). */
export function syncReturnParams(ctx: AlipayContext, t: AlipayTrade, method: string): Record<string, string> {
  const params: Record<string, string> = {
    charset: 'utf-8',
    out_trade_no: t.outTradeNo,
    method: `${method}.return`,
    total_amount: t.totalAmount,
    trade_no: t.tradeNo,
    auth_app_id: ctx.appId,
    version: '1.0',
    app_id: ctx.appId,
    sign_type: 'RSA2',
    seller_id: ctx.sellerId,
    timestamp: alipayTime(ctx.now()),
  };
  params.sign = rsa2Sign(alipaySignContent(params, NOTIFY_UNSIGNED), ctx.platformPrivateKey);
  return params;
}

export function registerCashier(app: FastifyInstance, ctx: AlipayContext): void {
  app.post('/__sim/cashier/:tradeNo', async (req: FastifyRequest<{ Params: { tradeNo: string }; Querystring: { action?: string } }>, reply) => {
    const t = ctx.state.byTradeNo.get(req.params.tradeNo);
    const page = t?.cashier;
    if (!t || !page) return reply.code(404).send({ error: `no cashier page for trade_no ${req.params.tradeNo}` });
    const action = req.query.action ?? 'pay';
    if (action !== 'pay' && action !== 'cancel') return reply.code(400).send({ error: 'action must be pay or cancel' });
    if (t.status !== 'WAIT_BUYER_PAY') return reply.code(409).send({ error: `trade is ${t.status}`, trade_status: t.status });
    if (action === 'cancel') {
      // The buyer logged in, then left: the trade now exists for trade.query, still unpaid.
      t.scanned = true;
      if (page.quitUrl) return reply.redirect(page.quitUrl, 302);
      return reply.type(HTML).send('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>您已放弃付款</p></body></html>');
    }
    markPaid(ctx, t);
    if (!page.returnUrl) return reply.type(HTML).send('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>付款成功</p></body></html>');
    const back = new URL(page.returnUrl);
    for (const [k, v] of Object.entries(syncReturnParams(ctx, t, page.method))) back.searchParams.set(k, v);
    return reply.redirect(back.toString(), 302);
  });
}
