import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { minorToMajor, send, type LedgerEntry } from '../core/index.js';
import type { WechatContext } from './context.js';
import { wechatTime } from './time.js';

/**
 * Bills (APIv3 "下载账单"):
 *
 *   GET /v3/bill/tradebill?bill_date=yyyy-MM-dd[&bill_type=ALL|SUCCESS|REFUND][&tar_type=GZIP]
 *   GET /v3/bill/fundflowbill?bill_date=yyyy-MM-dd[&account_type=BASIC|OPERATION|FEES][&tar_type=GZIP]
 *     ─▶ 200 {hash_type: "SHA1", hash_value, download_url}   (signed like every APIv3 answer)
 *   GET <download_url> = /v3/billdownload/file?token=…         (an authenticated APIv3 call too)
 *     ─▶ the bill, UTF-8 text (gzip with tar_type=GZIP); `hash_value` is the SHA-1 of the text
 *        before compression. Not signed: WeChat signs no file download, the hash is the check.
 *
 * The text is WeChat's documented format: a header line, one line per record with every field
 * prefixed by a backquote, then a summary header and a summary line (backquoted too). Trade bill
 * records are the day's payments (交易状态 SUCCESS) and refunds (REFUND) from the ledger; the
 * fund-flow bill of the BASIC account lists them as 收入 / 支出 with the running balance.
 * Fees (手续费), coupons and the OPERATION / FEES accounts' flows are not simulated (0.00, no
 * records). A bill exists from the day after (Beijing time); a day with no records, or one not
 * over, is 400 NO_STATEMENT_EXIST, as WeChat answers both. The download URL lives 30 seconds.
 */
const URL_TTL_MS = 30_000;
const bt = (v: string) => `\`${v}`;
const line = (values: readonly string[]) => values.map(bt).join(',');

type Query = { bill_date?: string; bill_type?: string; account_type?: string; tar_type?: string };

const TRADE_HEADERS: Readonly<Record<string, readonly string[]>> = {
  ALL: ['交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态', '付款银行', '货币种类', '应结订单金额', '代金券金额', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态', '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注'],
  SUCCESS: ['交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态', '付款银行', '货币种类', '应结订单金额', '代金券金额', '商品名称', '商户数据包', '手续费', '费率', '订单金额', '费率备注'],
  REFUND: ['交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态', '付款银行', '货币种类', '应结订单金额', '代金券金额', '退款申请时间', '退款成功时间', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态', '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注'],
};
const TRADE_SUMMARY = ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额'];
const FUND_HEADER = ['记账时间', '微信支付业务单号', '资金流水单号', '业务名称', '业务类型', '收支类型', '收支金额（元）', '账户结余（元）', '资金变更提交申请人', '备注', '业务凭证号'];
const FUND_SUMMARY = ['资金流水总笔数', '收入笔数', '收入金额', '支出笔数', '支出金额'];

const beijing = (at: number) => wechatTime(at).slice(0, 19).replace('T', ' ');
const yuan = (fen: number) => minorToMajor(fen, 'CNY');

function dayEntries(entries: readonly LedgerEntry[], billDate: string): LedgerEntry[] {
  return entries.filter((e) => (e.kind === 'capture' || e.kind === 'refund') && beijing(Date.parse(e.at)).slice(0, 10) === billDate);
}

export function tradeBillText(ctx: WechatContext, entries: readonly LedgerEntry[], billType: 'ALL' | 'SUCCESS' | 'REFUND'): string {
  const chosen = entries.filter((e) => billType === 'ALL' || (billType === 'SUCCESS') === (e.kind === 'capture'));
  const rows = chosen.map((e) => {
    const o = ctx.state.orders.get(e.orderId);
    const refund = e.kind === 'refund';
    const total = o ? yuan(o.total) : yuan(e.amount);
    const common = [beijing(Date.parse(e.at)), o?.appid ?? ctx.appid, ctx.mchid, '0', '', e.paymentId, e.orderId, o?.openid ?? '', o?.tradeType ?? '', refund ? 'REFUND' : 'SUCCESS', 'OTHERS', e.currency, refund ? '0.00' : yuan(e.amount), '0.00'];
    const refundRequested = refund ? (o?.refunds.get(e.idempotencyKey ?? '')?.createdAt.getTime() ?? Date.parse(e.at)) : 0;
    switch (billType) {
      case 'SUCCESS':
        return line([...common, o?.description ?? '', o?.attach ?? '', '0.00', '0.00%', total, '']);
      case 'REFUND':
        return line([...common, beijing(refundRequested), beijing(Date.parse(e.at)), e.reference ?? '', e.idempotencyKey ?? '', yuan(e.amount), '0.00', 'ORIGINAL', 'SUCCESS', o?.description ?? '', o?.attach ?? '', '0.00', '0.00%', total, yuan(e.amount), '']);
      default:
        return line([...common, refund ? (e.reference ?? '') : '0', refund ? (e.idempotencyKey ?? '') : '0', yuan(refund ? e.amount : 0), '0.00', refund ? 'ORIGINAL' : '', refund ? 'SUCCESS' : '', o?.description ?? '', o?.attach ?? '', '0.00', '0.00%', total, yuan(refund ? e.amount : 0), '']);
    }
  });
  const paid = chosen.filter((e) => e.kind === 'capture').reduce((a, e) => a + e.amount, 0);
  const refunded = chosen.filter((e) => e.kind === 'refund').reduce((a, e) => a + e.amount, 0);
  const summary = line([String(chosen.length), yuan(paid), yuan(refunded), '0.00', '0.00', yuan(paid), yuan(refunded)]);
  return [TRADE_HEADERS[billType]!.join(','), ...rows, TRADE_SUMMARY.join(','), summary].join('\r\n') + '\r\n';
}

export function fundFlowBillText(ctx: WechatContext, entries: readonly LedgerEntry[], openingBalance: number): string {
  let balance = openingBalance;
  const rows = entries.map((e) => {
    const income = e.kind === 'capture';
    balance += income ? e.amount : -e.amount;
    return line([beijing(Date.parse(e.at)), e.paymentId, `${e.paymentId.slice(-10)}${ctx.ids.digits(18)}`, income ? '交易' : '退款', income ? '交易' : '退款', income ? '收入' : '支出', yuan(e.amount), yuan(balance), income ? '' : ctx.mchid, income ? '' : (e.idempotencyKey ?? ''), income ? e.orderId : (e.reference ?? '')]);
  });
  const income = entries.filter((e) => e.kind === 'capture');
  const outgo = entries.filter((e) => e.kind === 'refund');
  const sum = (l: readonly LedgerEntry[]) => yuan(l.reduce((a, e) => a + e.amount, 0));
  const summary = line([String(entries.length), String(income.length), sum(income), String(outgo.length), sum(outgo)]);
  return [FUND_HEADER.join(','), ...rows, FUND_SUMMARY.join(','), summary].join('\r\n') + '\r\n';
}

function validDate(d: string | undefined): d is string {
  if (!d || !/^\d{4}-\d{2}-\d{2}$/.test(d)) return false;
  const t = Date.parse(`${d}T00:00:00+08:00`);
  return !Number.isNaN(t) && beijing(t).slice(0, 10) === d;
}

export function registerBills(app: FastifyInstance, ctx: WechatContext): void {
  const issue = (req: FastifyRequest, text: string, gzip: boolean) => {
    const token = ctx.ids.next('bill', 40);
    const plain = Buffer.from(text, 'utf8');
    ctx.state.bills.set(token, { bytes: gzip ? gzipSync(plain) : plain, expiresAt: ctx.now().getTime() + URL_TTL_MS });
    const origin = `${req.protocol}://${req.headers.host ?? 'localhost'}`;
    return { hash_type: 'SHA1', hash_value: createHash('sha1').update(plain).digest('hex'), download_url: `${origin}/v3/billdownload/file?token=${token}` };
  };
  /** The checks both bills share; the entries of the day, or the error to answer. */
  const common = (q: Query) => {
    if (!validDate(q.bill_date)) return { error: ctx.signer.error('PARAM_ERROR', '参数错误: bill_date 格式为 yyyy-MM-dd') };
    if (q.tar_type !== undefined && q.tar_type !== 'GZIP') return { error: ctx.signer.error('PARAM_ERROR', '参数错误: tar_type 仅支持 GZIP') };
    // A day's bill exists from the next day on (Beijing time).
    if (beijing(ctx.now().getTime()).slice(0, 10) <= q.bill_date) return { error: ctx.signer.error('NO_STATEMENT_EXIST', '账单文件不存在: 当日账单次日生成') };
    return { entries: dayEntries(ctx.ledger.entries(), q.bill_date) };
  };

  app.get('/v3/bill/tradebill', async (req: FastifyRequest<{ Querystring: Query }>, reply) => {
    const q = req.query;
    const billType = q.bill_type ?? 'ALL';
    if (billType !== 'ALL' && billType !== 'SUCCESS' && billType !== 'REFUND') return send(reply, ctx.signer.error('PARAM_ERROR', '参数错误: bill_type 为 ALL、SUCCESS 或 REFUND'));
    const day = common(q);
    if ('error' in day) return send(reply, day.error!);
    const chosen = day.entries.filter((e) => billType === 'ALL' || (billType === 'SUCCESS') === (e.kind === 'capture'));
    if (chosen.length === 0) return send(reply, ctx.signer.error('NO_STATEMENT_EXIST', '账单文件不存在: 当日无交易'));
    return send(reply, ctx.signer.answer(200, issue(req, tradeBillText(ctx, day.entries, billType), q.tar_type === 'GZIP')));
  });

  app.get('/v3/bill/fundflowbill', async (req: FastifyRequest<{ Querystring: Query }>, reply) => {
    const q = req.query;
    const account = q.account_type ?? 'BASIC';
    if (account !== 'BASIC' && account !== 'OPERATION' && account !== 'FEES') return send(reply, ctx.signer.error('PARAM_ERROR', '参数错误: account_type 为 BASIC、OPERATION 或 FEES'));
    const day = common(q);
    if ('error' in day) return send(reply, day.error!);
    // Only the basic account moves in the simulator; the others have no flows, hence no bill.
    if (account !== 'BASIC' || day.entries.length === 0) return send(reply, ctx.signer.error('NO_STATEMENT_EXIST', '账单文件不存在: 当日无资金流水'));
    const before = ctx.ledger.entries().filter((e) => (e.kind === 'capture' || e.kind === 'refund') && beijing(Date.parse(e.at)).slice(0, 10) < q.bill_date!);
    const opening = before.reduce((a, e) => a + (e.kind === 'capture' ? e.amount : -e.amount), 0);
    return send(reply, ctx.signer.answer(200, issue(req, fundFlowBillText(ctx, day.entries, opening), q.tar_type === 'GZIP')));
  });

  app.get('/v3/billdownload/file', async (req: FastifyRequest<{ Querystring: { token?: string } }>, reply) => {
    const bill = req.query.token ? ctx.state.bills.get(req.query.token) : undefined;
    if (!bill || ctx.now().getTime() > bill.expiresAt) return send(reply, ctx.signer.error('RESOURCE_NOT_EXISTS', '账单下载链接不存在或已过期', 404));
    return reply.code(200).type('application/octet-stream').send(bill.bytes);
  });
}
