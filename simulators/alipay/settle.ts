import { failure, success } from './errors.js';
import { str, type AlipayMethod } from './method.js';
import type { AlipayRoyalty, AlipaySettle } from './objects.js';
import { fenToYuan, yuanToFen } from './params.js';
import { alipayTime } from './time.js';

/**
 * 分账 (profit sharing) on a paid trade: alipay.trade.order.settle moves parts of what the buyer
 * paid from the merchant (`trans_out`, the seller) to other Alipay accounts (`trans_in`), one
 * `royalty_parameters` item each; alipay.trade.order.settle.query says what became of a request.
 *
 *   paid trade ──settle(out_request_no, [{trans_in, amount}…])──▶ settle_no ──query──▶ royalty_detail_list
 *
 * `out_request_no` makes a settle idempotent: the same number with the same items answers the same
 * settle_no again; with other items it is ACQ.CONTEXT_INCONSISTENT. A trade not paid (yet) is
 * ACQ.TRADE_STATUS_ERROR; a trade Alipay does not know is ACQ.TRADE_NOT_EXIST. The items together
 * never exceed what is left to share — paid, less refunded, less settled before — else
 * ACQ.ALLOC_AMOUNT_VALIDATE_ERROR.
 *
 * A split moves the merchant's money to others, not the buyer's: it is kept on the trade and never
 * written to the shared ledger, so the money invariants see the payment alone. Royalties settle at
 * once (`state: SUCCESS`); the asynchronous royalty notification is not simulated.
 */
const TRANS_IN_TYPES: ReadonlySet<string> = new Set(['userId', 'loginName', 'cardAliasNo', 'openId']);
const USER_ID = /^2088\d{12}$/;

export const tradeOrderSettle: AlipayMethod = ({ ctx, biz }) => {
  const outRequestNo = str(biz.out_request_no);
  if (!outRequestNo || outRequestNo.length > 64) return invalid('out_request_no');
  const tradeNo = str(biz.trade_no);
  if (!tradeNo) return invalid('trade_no');
  const t = ctx.state.byTradeNo.get(tradeNo);
  if (!t || !t.scanned) return { fields: failure('ACQ.TRADE_NOT_EXIST'), committed: false };
  const items = royaltiesOf(biz.royalty_parameters, t.currency, ctx.sellerId);
  if (typeof items === 'string') return invalid(items);

  const settles = (t.settles ??= new Map<string, AlipaySettle>());
  const previous = settles.get(outRequestNo);
  if (previous) {
    const same = JSON.stringify(previous.royalties) === JSON.stringify(items);
    return same ? { fields: success({ trade_no: t.tradeNo, settle_no: previous.settleNo }), committed: false } : { fields: failure('ACQ.CONTEXT_INCONSISTENT'), committed: false };
  }
  if (!t.paidAt || t.status === 'WAIT_BUYER_PAY') return { fields: failure('ACQ.TRADE_STATUS_ERROR'), committed: false };
  const settled = [...settles.values()].reduce((sum, s) => sum + s.royalties.reduce((a, r) => a + r.amount, 0), 0);
  const asked = items.reduce((a, r) => a + r.amount, 0);
  const left = t.amount - t.refunded - settled;
  if (asked > left) return { fields: failure('ACQ.ALLOC_AMOUNT_VALIDATE_ERROR', `分账金额超过最大可分账金额: 可分账 ${fenToYuan(Math.max(0, left), t.currency)}`), committed: false };

  const settle: AlipaySettle = { outRequestNo, settleNo: `${t.tradeNo.slice(0, 8)}${ctx.ids.digits(20)}`, at: ctx.now(), royalties: items };
  settles.set(outRequestNo, settle);
  return { fields: success({ trade_no: t.tradeNo, settle_no: settle.settleNo }), committed: true };
};

/** alipay.trade.order.settle.query: by `settle_no`, or `out_request_no` with `trade_no`. */
export const tradeOrderSettleQuery: AlipayMethod = ({ ctx, biz }) => {
  const settleNo = str(biz.settle_no);
  const outRequestNo = str(biz.out_request_no);
  const tradeNo = str(biz.trade_no);
  if (!settleNo && !(outRequestNo && tradeNo)) return invalid('settle_no or out_request_no and trade_no');
  let found: { t: NonNullable<ReturnType<typeof ctx.state.byTradeNo.get>>; s: AlipaySettle } | undefined;
  if (settleNo) {
    for (const t of ctx.state.byTradeNo.values()) {
      const s = [...(t.settles?.values() ?? [])].find((x) => x.settleNo === settleNo);
      if (s) found = { t, s };
    }
  } else {
    const t = ctx.state.byTradeNo.get(tradeNo!);
    const s = t?.settles?.get(outRequestNo!);
    if (t && s) found = { t, s };
  }
  if (!found) return { fields: failure('ACQ.TRADE_SETTLE_NOT_EXIST'), committed: false };
  const { t, s } = found;
  return {
    fields: success({
      out_request_no: s.outRequestNo,
      operation_dt: alipayTime(s.at),
      royalty_detail_list: s.royalties.map((r) => ({
        operation_type: 'transfer',
        execute_dt: alipayTime(s.at),
        trans_out: r.transOut,
        trans_out_type: 'userId',
        trans_in: r.transIn,
        trans_in_type: r.transInType,
        amount: fenToYuan(r.amount, t.currency),
        state: 'SUCCESS',
        ...(r.desc ? { desc: r.desc } : {}),
      })),
    }),
    committed: false,
  };
};

function invalid(field: string) {
  return { fields: failure('ACQ.INVALID_PARAMETER', `参数无效: ${field}`), committed: false };
}

/** The royalty items, or the name of the first field that is wrong (`royalty_parameters[1].amount`). */
function royaltiesOf(raw: unknown, currency: string, seller: string): AlipayRoyalty[] | string {
  if (!Array.isArray(raw) || raw.length === 0) return 'royalty_parameters';
  const out: AlipayRoyalty[] = [];
  for (const [i, item] of raw.entries()) {
    const at = `royalty_parameters[${i}]`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) return at;
    const r = item as Record<string, unknown>;
    const royaltyType = r.royalty_type ?? 'transfer';
    if (royaltyType !== 'transfer') return `${at}.royalty_type`;
    const transInType = str(r.trans_in_type) ?? 'userId';
    if (!TRANS_IN_TYPES.has(transInType)) return `${at}.trans_in_type`;
    const transIn = str(r.trans_in);
    if (!transIn || (transInType === 'userId' && !USER_ID.test(transIn))) return `${at}.trans_in`;
    const transOut = str(r.trans_out) ?? seller;
    if (transOut !== seller) return `${at}.trans_out`;
    const amount = yuanToFen(typeof r.amount === 'number' ? String(r.amount) : r.amount, currency);
    if (amount === undefined || amount <= 0) return `${at}.amount`;
    out.push({ transOut, transIn, transInType, amount, ...(str(r.desc) ? { desc: str(r.desc)! } : {}) });
  }
  return out;
}
