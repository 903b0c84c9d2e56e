import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { send, traceIdOf, type ErrorResponse } from '../core/index.js';
import { WECHAT_CODES } from './codes.js';
import { payerPays, transactionResource, type WechatContext } from './context.js';
import type { TradeType, WechatOrder } from './objects.js';

/**
 * Orders: `POST /v3/pay/transactions/{jsapi,native,app,h5}`, query by out_trade_no or by
 * transaction id, close. out_trade_no is the key:
 *
 *   identical resubmission of an unpaid order ─▶ the same prepay_id / code_url / h5_url
 *   other parameters                           ─▶ 403 OUT_TRADE_NO_USED
 *   order paid                                 ─▶ 400 ORDERPAID
 *   order closed                               ─▶ 400 ORDER_CLOSED
 *
 * The order is made when the request is answered; the payment happens on the payer's phone —
 * here `POST /__sim/payer/{out_trade_no}`, or by itself after `payerDelay`.
 */
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const TYPES: Readonly<Record<string, TradeType>> = { jsapi: 'JSAPI', native: 'NATIVE', app: 'APP', h5: 'MWEB' };

export function registerTransactions(app: FastifyInstance, ctx: WechatContext): void {
  for (const [path, type] of Object.entries(TYPES)) {
    app.post(`/v3/pay/transactions/${path}`, (req, reply) => createOrder(req, reply, ctx, type));
  }
  app.get('/v3/pay/transactions/out-trade-no/:outTradeNo', async (req: FastifyRequest<{ Params: { outTradeNo: string }; Querystring: { mchid?: string } }>, reply) =>
    query(reply, ctx, req.query.mchid, ctx.state.orders.get(req.params.outTradeNo)),
  );
  app.get('/v3/pay/transactions/id/:transactionId', async (req: FastifyRequest<{ Params: { transactionId: string }; Querystring: { mchid?: string } }>, reply) =>
    query(reply, ctx, req.query.mchid, ctx.state.byTransactionId.get(req.params.transactionId)),
  );
  app.post('/v3/pay/transactions/out-trade-no/:outTradeNo/close', async (req: FastifyRequest<{ Params: { outTradeNo: string } }>, reply) => {
    const body = isObject(req.body) ? req.body : {};
    if (body.mchid !== ctx.mchid) return send(reply, ctx.signer.error('PARAM_ERROR', '参数错误: mchid'));
    const o = ctx.state.orders.get(req.params.outTradeNo);
    if (!o) return send(reply, ctx.signer.error('ORDER_NOT_EXIST'));
    if (o.state === 'SUCCESS' || o.state === 'REFUND') return send(reply, ctx.signer.error('ORDERPAID'));
    o.state = 'CLOSED';
    o.stateDesc = '订单已关闭';
    return send(reply, ctx.signer.answer(204));
  });
}

function query(reply: FastifyReply, ctx: WechatContext, mchid: string | undefined, o: WechatOrder | undefined): FastifyReply {
  if (!mchid) return send(reply, ctx.signer.error('PARAM_ERROR', '参数错误: 缺少 mchid'));
  if (!o || o.mchid !== mchid) return send(reply, ctx.signer.error('ORDER_NOT_EXIST'));
  return send(reply, ctx.signer.answer(200, transactionResource(o)));
}

async function createOrder(req: FastifyRequest, reply: FastifyReply, ctx: WechatContext, type: TradeType): Promise<FastifyReply> {
  const body = isObject(req.body) ? req.body : {};
  const invalid = validate(ctx, body, type);
  if (invalid) return send(reply, invalid);
  const delay = ctx.behaviour.processingDelayMs();
  if (delay > 0) await sleep(delay);

  // From here to the answer nothing awaits: a concurrent duplicate sees this order.
  const outTradeNo = body.out_trade_no as string;
  const amount = body.amount as Json;
  const fingerprint = createHash('sha256').update(JSON.stringify([type, body.appid, body.description, amount.total, amount.currency ?? 'CNY', (body.payer as Json | undefined)?.openid ?? null])).digest('hex');
  const existing = ctx.state.orders.get(outTradeNo);
  if (existing) {
    if (existing.fingerprint !== fingerprint) return send(reply, ctx.signer.error('OUT_TRADE_NO_USED'));
    if (existing.state === 'SUCCESS' || existing.state === 'REFUND') return send(reply, ctx.signer.error('ORDERPAID'));
    if (existing.state === 'CLOSED' || existing.state === 'REVOKED' || existing.state === 'PAYERROR') return send(reply, ctx.signer.error('ORDER_CLOSED'));
    return send(reply, ctx.signer.answer(200, existing.prepay));
  }
  const forced = ctx.behaviour.drawOutcome(outTradeNo);
  if (forced !== undefined && forced !== 'NOTENOUGH' && forced !== 'PAYERROR') return send(reply, ctx.signer.error(forced, WECHAT_CODES[forced]?.message));

  const payer = body.payer as Json | undefined;
  const order: WechatOrder = {
    appid: body.appid as string,
    mchid: ctx.mchid,
    outTradeNo,
    tradeType: type,
    fingerprint,
    description: body.description as string,
    attach: typeof body.attach === 'string' ? body.attach : undefined,
    notifyUrl: body.notify_url as string,
    total: amount.total as number,
    currency: typeof amount.currency === 'string' ? amount.currency : 'CNY',
    openid: typeof payer?.openid === 'string' ? payer.openid : `o${ctx.random.token(27)}`,
    prepay: prepayOf(ctx, type),
    createdAt: ctx.now(),
    failWith: forced,
    state: 'NOTPAY',
    stateDesc: '订单未支付',
    refunded: 0,
    refunds: new Map(),
    traceId: traceIdOf(req.headers),
    // Only an order placed with settle_info.profit_sharing may be shared (profitsharing.ts).
    profitSharing: isObject(body.settle_info) && body.settle_info.profit_sharing === true,
  };
  ctx.state.orders.set(outTradeNo, order);
  // Timers look the order up again, never hold it: it may have been spilled to disk and read back
  // meanwhile (objects.ts), and a held copy would pay or close an order a second time.
  const current = (then: (o: WechatOrder) => void) => () => {
    const o = ctx.state.orders.get(outTradeNo);
    if (o !== undefined) then(o);
  };
  if (ctx.payerDelayMs !== undefined) ctx.clock.schedule(ctx.payerDelayMs, current((o) => payerPays(ctx, o)));
  const expireAt = typeof body.time_expire === 'string' ? Date.parse(body.time_expire) : Number.NaN;
  // time_expire: an order still unpaid then is closed (WeChat sends no notification for it).
  if (Number.isFinite(expireAt)) ctx.clock.schedule(Math.max(0, expireAt - order.createdAt.getTime()), current(expire));
  const status = ctx.behaviour.commitThenError();
  if (status !== undefined) return send(reply, ctx.signer.error('SYSTEM_ERROR', undefined, status));
  return send(reply, ctx.signer.answer(200, order.prepay));
}

function expire(o: WechatOrder): void {
  if (o.state !== 'NOTPAY' && o.state !== 'USERPAYING') return;
  o.state = 'CLOSED';
  o.stateDesc = '订单已关闭';
}

function prepayOf(ctx: WechatContext, type: TradeType): Record<string, string> {
  const token = ctx.random.token(32);
  if (type === 'NATIVE') return { code_url: `weixin://wxpay/bizpayurl?pr=${token.slice(0, 7)}` };
  if (type === 'MWEB') return { h5_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx${token}&package=${ctx.ids.digits(10)}` };
  return { prepay_id: `wx${token}` };
}

function validate(ctx: WechatContext, body: Json, type: TradeType): ErrorResponse | undefined {
  const missing = (field: string): ErrorResponse => ctx.signer.error('PARAM_ERROR', `输入源“/body/${field}”映射到值字段“${field}”必填性规则校验失败，此字段为必填项`);
  for (const field of ['appid', 'mchid', 'description', 'out_trade_no', 'notify_url']) if (typeof body[field] !== 'string' || body[field] === '') return missing(field);
  if (body.mchid !== ctx.mchid) return ctx.signer.error('APPID_MCHID_NOT_MATCH', `商户号 ${String(body.mchid)} 与请求签名的商户号不一致`);
  const outTradeNo = body.out_trade_no as string;
  if (!/^[A-Za-z0-9_|*-]{6,32}$/.test(outTradeNo)) return ctx.signer.error('PARAM_ERROR', '参数错误: out_trade_no 须为 6-32 位数字、大小写字母、_-|* ');
  if (!/^https?:\/\//.test(body.notify_url as string)) return ctx.signer.error('PARAM_ERROR', '参数错误: notify_url 须为 http(s) 地址');
  const amount = body.amount;
  if (!isObject(amount)) return missing('amount');
  if (!Number.isSafeInteger(amount.total) || (amount.total as number) <= 0) return ctx.signer.error('PARAM_ERROR', '参数错误: amount.total 须为正整数，单位分');
  if (body.time_expire !== undefined && (typeof body.time_expire !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/.test(body.time_expire))) return ctx.signer.error('PARAM_ERROR', '参数错误: time_expire 须为 RFC 3339 格式，如 2026-11-11T23:59:59+08:00');
  if (amount.currency !== undefined && amount.currency !== 'CNY') return ctx.signer.error('PARAM_ERROR', '参数错误: amount.currency 仅支持 CNY');
  if (type === 'JSAPI' && !(isObject(body.payer) && typeof body.payer.openid === 'string')) return missing('payer.openid');
  if (type === 'MWEB' && !(isObject(body.scene_info) && typeof body.scene_info.payer_client_ip === 'string' && isObject(body.scene_info.h5_info))) return missing('scene_info.h5_info');
  return undefined;
}
