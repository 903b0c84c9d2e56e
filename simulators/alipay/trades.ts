import { createHash } from 'node:crypto';
import { ALIPAY_SUB_CODES } from './codes.js';
import { markPaid, newTradeNo } from './context.js';
import { parseTimeoutExpress, scheduleLifecycle } from './lifecycle.js';
import { failure, success, type AlipayFields } from './errors.js';
import { str, type AlipayMethod, type MethodCall, type MethodResult } from './method.js';
import type { AlipayCreateMethod, AlipayTrade } from './objects.js';
import { fenToYuan, yuanToFen } from './params.js';
import { alipayTime } from './time.js';

/**
 * alipay.trade.pay (the merchant scans the buyer's code), .precreate (the buyer scans a QR code)
 * and .create (JSAPI / mini program). out_trade_no is the idempotency key:
 *
 *   same number, other parameters or method ─▶ ACQ.CONTEXT_INCONSISTENT
 *   same number, trade paid                  ─▶ ACQ.TRADE_HAS_SUCCESS
 *   same number, trade closed                ─▶ ACQ.TRADE_HAS_CLOSE
 *   same number, still WAIT_BUYER_PAY        ─▶ the trade again (pay: 10003 again)
 *
 * The check and the commit run with no await between them, so concurrent duplicates meet the
 * first one's trade and can never pay twice.
 */
const MAX_YUAN = 100_000_000;

export const tradePay: AlipayMethod = (call) => createTrade(call, 'pay');
export const tradePrecreate: AlipayMethod = (call) => createTrade(call, 'precreate');
export const tradeCreate: AlipayMethod = (call) => createTrade(call, 'create');

/** Create (or meet again) the trade of `out_trade_no`; the cashier (cashier.ts) uses it for page.pay / wap.pay. */
export function createTrade(call: MethodCall, method: AlipayCreateMethod): MethodResult {
  const { ctx, biz } = call;
  const invalid = validate(biz, method);
  if (invalid) return { fields: invalid, committed: false };
  const outTradeNo = biz.out_trade_no as string;
  const currency = str(biz.trans_currency) ?? 'CNY';
  const fingerprint = createHash('sha256').update(JSON.stringify([method, biz.total_amount, biz.subject, currency])).digest('hex');
  const existing = ctx.state.byOutTradeNo.get(outTradeNo);
  if (existing) return { fields: again(existing, method, fingerprint), committed: false };

  const forced = method === 'pay' ? ctx.behaviour.drawOutcome(outTradeNo) : undefined;
  // A system error before anything happened: the trade does not exist; trade.query says so.
  if (forced === 'ACQ.SYSTEM_ERROR') return { fields: failure(forced), committed: false };

  const amount = yuanToFen(biz.total_amount, currency)!;
  const buyerId = str(biz.buyer_id) ?? `2088${ctx.ids.digits(12)}`;
  const trade: AlipayTrade = {
    tradeNo: newTradeNo(ctx),
    outTradeNo,
    method,
    fingerprint,
    amount,
    totalAmount: fenToYuan(amount, currency),
    currency,
    subject: biz.subject as string,
    status: 'WAIT_BUYER_PAY',
    // A QR or cashier trade is invisible to trade.query until the buyer scans or logs in.
    scanned: method === 'pay' || method === 'create',
    buyerId,
    buyerLogonId: `${buyerId.slice(-3)}***@example.com`,
    notifyUrl: call.params.notify_url,
    createdAt: ctx.now(),
    refunded: 0,
    refunds: new Map(),
    traceId: call.traceId,
  };
  ctx.state.add(trade);
  if (method !== 'pay' || forced === '10003') scheduleLifecycle(ctx, trade, parseTimeoutExpress(biz.timeout_express, trade.createdAt));
  if (method === 'precreate') return { fields: success({ out_trade_no: outTradeNo, qr_code: qrCodeOf(trade) }), committed: true };
  if (method !== 'pay') return { fields: success({ out_trade_no: outTradeNo, trade_no: trade.tradeNo }), committed: true };

  if (forced === undefined) {
    markPaid(ctx, trade);
    return { fields: success(paidFields(trade)), committed: true };
  }
  if (forced === '10003') return { fields: success(waitingFields(trade), '10003'), committed: true };
  // Declined: the trade is closed and the out_trade_no spent; a retry needs a new order.
  trade.status = 'TRADE_CLOSED';
  trade.closedAt = ctx.now();
  return { fields: { ...failure(forced), out_trade_no: outTradeNo, buyer_user_id: trade.buyerId }, committed: true };
}

function validate(biz: Readonly<Record<string, unknown>>, method: AlipayCreateMethod): AlipayFields | undefined {
  const outTradeNo = str(biz.out_trade_no);
  if (!outTradeNo || outTradeNo.length > 64 || !/^[A-Za-z0-9_]+$/.test(outTradeNo)) return failure('ACQ.INVALID_PARAMETER', '参数无效: out_trade_no (1-64 letters, digits or _)');
  const fen = yuanToFen(biz.total_amount, str(biz.trans_currency) ?? 'CNY');
  if (fen === undefined || fen <= 0) return failure('ACQ.INVALID_PARAMETER', '参数无效: total_amount (yuan, at most two decimals, > 0)');
  if (fen > MAX_YUAN * 100) return failure('ACQ.TOTAL_FEE_EXCEED');
  if (!str(biz.subject)) return failure('ACQ.INVALID_PARAMETER', '参数无效: subject');
  if (biz.timeout_express !== undefined && parseTimeoutExpress(biz.timeout_express, new Date()) === undefined) return failure('ACQ.INVALID_PARAMETER', '参数无效: timeout_express (1m–15d, e.g. 90m, 2h, 1d, 1c)');
  if (method === 'pay' && !/^\d{16,24}$/.test(str(biz.auth_code) ?? '')) return failure('ACQ.PAYMENT_AUTH_CODE_INVALID', `${ALIPAY_SUB_CODES['ACQ.PAYMENT_AUTH_CODE_INVALID']!.subMsg}: auth_code`);
  if (method === 'create' && !str(biz.buyer_id) && !str(biz.buyer_open_id)) return failure('ACQ.INVALID_PARAMETER', '参数无效: buyer_id or buyer_open_id');
  return undefined;
}

function again(t: AlipayTrade, method: AlipayCreateMethod, fingerprint: string): AlipayFields {
  if (t.method !== method || t.fingerprint !== fingerprint) return failure('ACQ.CONTEXT_INCONSISTENT');
  if (t.status === 'TRADE_SUCCESS' || t.status === 'TRADE_FINISHED') return failure('ACQ.TRADE_HAS_SUCCESS');
  if (t.status === 'TRADE_CLOSED') return failure('ACQ.TRADE_HAS_CLOSE');
  if (method === 'pay') return success(waitingFields(t), '10003');
  if (method === 'precreate') return success({ out_trade_no: t.outTradeNo, qr_code: qrCodeOf(t) });
  return success({ out_trade_no: t.outTradeNo, trade_no: t.tradeNo });
}

/** The code the buyer scans; the same for every precreate of the trade. */
function qrCodeOf(t: AlipayTrade): string {
  return `https://qr.alipay.com/${t.tradeNo}`;
}

function waitingFields(t: AlipayTrade): AlipayFields {
  return { trade_no: t.tradeNo, out_trade_no: t.outTradeNo, buyer_logon_id: t.buyerLogonId, total_amount: t.totalAmount, buyer_user_id: t.buyerId };
}

export function paidFields(t: AlipayTrade): AlipayFields {
  const paid = fenToYuan(t.amount, t.currency);
  return {
    ...waitingFields(t),
    receipt_amount: paid,
    buyer_pay_amount: paid,
    point_amount: '0.00',
    invoice_amount: paid,
    gmt_payment: t.paidAt ? alipayTime(t.paidAt) : undefined,
    fund_bill_list: [{ fund_channel: 'ALIPAYACCOUNT', amount: paid }],
  };
}
