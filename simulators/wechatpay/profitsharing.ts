import type { FastifyInstance, FastifyRequest } from 'fastify';
import { send } from '../core/index.js';
import type { WechatContext } from './context.js';
import type { WechatOrder, WechatShareOrder, WechatShareReceiver } from './objects.js';
import { wechatTime } from './time.js';

/**
 * 分账 (profit sharing, APIv3): a paid order placed with `settle_info.profit_sharing: true` keeps
 * its funds frozen; `POST /v3/profitsharing/orders` sends parts of them to receivers (merchants or
 * users), and `unfreeze_unsplit: true` releases what is left to the merchant, after which nothing
 * more can be shared. `GET /v3/profitsharing/orders/{out_order_no}?transaction_id=…` queries one;
 * `GET /v3/profitsharing/transactions/{transaction_id}/amounts` says what is left (`unsplit_amount`).
 *
 *   paid order (frozen) ──orders{receivers, unfreeze_unsplit}──▶ receivers SUCCESS ─▶ rest to merchant?
 *
 * Amounts never exceed the unsplit amount (total − refunded − shared): else 403 NOT_ENOUGH.
 * out_order_no is idempotent: the same request answers the same order; other receivers are 400
 * INVALID_REQUEST. Sharing moves the merchant's money to others, not the payer's: kept here, never
 * in the shared ledger. Receivers need not be added first (`/v3/profitsharing/receivers/add` is not
 * simulated) and each share succeeds at once (state FINISHED, result SUCCESS).
 */
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const RECEIVER_TYPES: ReadonlySet<string> = new Set(['MERCHANT_ID', 'PERSONAL_OPENID', 'PERSONAL_SUB_OPENID']);
const OUT_ORDER_NO = /^[A-Za-z0-9_|*@-]{1,64}$/;

/** What is left to share of a paid order. */
export function unsplitOf(o: WechatOrder): number {
  return o.unfrozen ? 0 : o.total - o.refunded - (o.shared ?? 0);
}

/** An order's profit shares as the settlement report lists them: one line per receiver's part. */
export function shareLines(state: { readonly shares: { get(outOrderNo: string): WechatShareOrder | undefined } }, o: WechatOrder | undefined): Array<{ orderId: string; outOrderNo: string; amount: number }> {
  return (o?.shareNos ?? []).flatMap((no) => {
    const share = state.shares.get(no);
    return share ? share.receivers.map((r) => ({ orderId: share.orderId, outOrderNo: share.outOrderNo, amount: r.amount })) : [];
  });
}

export function registerProfitSharing(app: FastifyInstance, ctx: WechatContext): void {
  app.post('/v3/profitsharing/orders', async (req, reply) => {
    const body = isObject(req.body) ? req.body : {};
    const bad = (field: string) => send(reply, ctx.signer.error('PARAM_ERROR', `参数错误: ${field}`));
    if (typeof body.appid !== 'string' || body.appid === '') return bad('appid');
    if (typeof body.transaction_id !== 'string' || body.transaction_id === '') return bad('transaction_id');
    if (typeof body.out_order_no !== 'string' || !OUT_ORDER_NO.test(body.out_order_no)) return bad('out_order_no');
    if (typeof body.unfreeze_unsplit !== 'boolean') return bad('unfreeze_unsplit');
    const receivers = receiversOf(body.receivers);
    if (typeof receivers === 'string') return bad(receivers);
    const o = ctx.state.byTransactionId.get(body.transaction_id);
    if (!o) return send(reply, ctx.signer.error('ORDER_NOT_EXIST'));
    if (body.appid !== o.appid) return send(reply, ctx.signer.error('APPID_MCHID_NOT_MATCH'));

    const previous = ctx.state.shares.get(body.out_order_no);
    if (previous) {
      const same = previous.transactionId === o.transactionId && previous.unfreezeUnsplit === body.unfreeze_unsplit && JSON.stringify(previous.receivers.map(strip)) === JSON.stringify(receivers);
      return same ? send(reply, ctx.signer.answer(200, view(previous))) : send(reply, ctx.signer.error('INVALID_REQUEST', '商户分账单号重复，且请求参数与之前不一致'));
    }
    if (o.state !== 'SUCCESS' && o.state !== 'REFUND') return send(reply, ctx.signer.error('INVALID_REQUEST', '订单未支付，不能分账'));
    if (!o.profitSharing) return send(reply, ctx.signer.error('INVALID_REQUEST', '该笔订单不支持分账: 下单时未设置 settle_info.profit_sharing'));
    if (o.unfrozen) return send(reply, ctx.signer.error('INVALID_REQUEST', '订单剩余待分金额已解冻，分账已完结'));
    const asked = receivers.reduce((sum, r) => sum + r.amount, 0);
    if (asked > unsplitOf(o)) return send(reply, ctx.signer.error('NOT_ENOUGH', `分账金额不足: 剩余待分金额 ${unsplitOf(o)} 分`));

    const share: WechatShareOrder = {
      outOrderNo: body.out_order_no,
      orderId: `30${ctx.ids.digits(30)}`,
      transactionId: o.transactionId!,
      receivers: receivers.map((r) => ({ ...r, detailId: `36${ctx.ids.digits(30)}` })),
      unfreezeUnsplit: body.unfreeze_unsplit,
      at: ctx.now(),
    };
    ctx.state.shares.set(share.outOrderNo, share);
    o.shared = (o.shared ?? 0) + asked;
    (o.shareNos ??= []).push(share.outOrderNo);
    if (share.unfreezeUnsplit) o.unfrozen = true;
    return send(reply, ctx.signer.answer(200, view(share)));
  });

  app.get('/v3/profitsharing/orders/:outOrderNo', async (req: FastifyRequest<{ Params: { outOrderNo: string }; Querystring: { transaction_id?: string } }>, reply) => {
    const transactionId = req.query.transaction_id;
    if (!transactionId) return send(reply, ctx.signer.error('PARAM_ERROR', '参数错误: transaction_id'));
    const share = ctx.state.shares.get(req.params.outOrderNo);
    if (!share || share.transactionId !== transactionId) return send(reply, ctx.signer.error('RESOURCE_NOT_EXISTS', '记录不存在'));
    return send(reply, ctx.signer.answer(200, view(share)));
  });

  app.get('/v3/profitsharing/transactions/:transactionId/amounts', async (req: FastifyRequest<{ Params: { transactionId: string } }>, reply) => {
    const o = ctx.state.byTransactionId.get(req.params.transactionId);
    if (!o) return send(reply, ctx.signer.error('ORDER_NOT_EXIST'));
    return send(reply, ctx.signer.answer(200, { transaction_id: o.transactionId, unsplit_amount: o.state === 'SUCCESS' || o.state === 'REFUND' ? unsplitOf(o) : 0 }));
  });
}

/** The receivers without their detail ids, or the name of the first wrong field (`receivers[1].amount`). */
function receiversOf(raw: unknown): Array<Omit<WechatShareReceiver, 'detailId'>> | string {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 50) return 'receivers';
  const out: Array<Omit<WechatShareReceiver, 'detailId'>> = [];
  for (const [i, item] of raw.entries()) {
    const at = `receivers[${i}]`;
    if (!isObject(item)) return at;
    if (typeof item.type !== 'string' || !RECEIVER_TYPES.has(item.type)) return `${at}.type`;
    if (typeof item.account !== 'string' || item.account === '' || item.account.length > 64) return `${at}.account`;
    if (typeof item.amount !== 'number' || !Number.isSafeInteger(item.amount) || item.amount <= 0) return `${at}.amount`;
    if (typeof item.description !== 'string' || item.description === '' || item.description.length > 80) return `${at}.description`;
    out.push({ type: item.type as WechatShareReceiver['type'], account: item.account, amount: item.amount, description: item.description });
  }
  return out;
}

const strip = (r: WechatShareReceiver): Omit<WechatShareReceiver, 'detailId'> => ({ type: r.type, account: r.account, amount: r.amount, description: r.description });

function view(s: WechatShareOrder): Json {
  const time = wechatTime(s.at);
  return {
    transaction_id: s.transactionId,
    out_order_no: s.outOrderNo,
    order_id: s.orderId,
    state: 'FINISHED',
    receivers: s.receivers.map((r) => ({ amount: r.amount, description: r.description, type: r.type, account: r.account, result: 'SUCCESS', detail_id: r.detailId, create_time: time, finish_time: time })),
  };
}
