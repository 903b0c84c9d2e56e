import type { FastifyInstance, FastifyRequest } from 'fastify';
import { encodeGbk, minorToMajor, zipArchive, type LedgerEntry } from '../core/index.js';
import type { AlipayContext } from './context.js';
import { failure, success } from './errors.js';
import { str, type AlipayMethod } from './method.js';
import { alipayTime } from './time.js';

/**
 * The 对账单 (trade bill): `alipay.data.dataservice.bill.downloadurl.query` with
 * `bill_type: trade` and `bill_date` (a day `yyyy-MM-dd` or a month `yyyy-MM`, Beijing time)
 * answers `bill_download_url`; a GET of that URL (valid 30 seconds, as Alipay's) serves
 * `{userId}_{date}.csv.zip`, holding, in GBK:
 *
 * - `{userId}_{date}_业务明细.csv`: `#` header lines (account, period), one row per payment
 *   (交易) and refund (退款) completed in the period — every value followed by a tab, as Alipay
 *   writes them so spreadsheet programs keep long numbers as text — then `#` totals and the
 *   export time;
 * - `{userId}_{date}_业务明细(汇总).csv`: the same period summed (one 合计 row; the simulator
 *   has no stores).
 *
 * A bill exists once its period is over (a day's from the next day on, a month's from the next
 * month); before that, and for a malformed date, Alipay's `isp.bill_not_exist` /
 * `isv.invalid-parameter`. `bill_type: signcustomer` (the account's fund flow) is not
 * simulated: answered `isv.invalid-parameter` saying so. Amounts are yuan (the trade's currency
 * for trans_currency trades); service fees, coupons and red packets are 0.00 (not simulated).
 */
const URL_TTL_MS = 30_000;
const DETAIL_HEADER = [
  '支付宝交易号', '商户订单号', '业务类型', '商品名称', '创建时间', '完成时间', '门店编号', '门店名称', '操作员', '终端号', '对方账户',
  '订单金额（元）', '商家实收（元）', '支付宝红包（元）', '集分宝（元）', '支付宝优惠（元）', '商家优惠（元）', '券核销金额（元）', '券名称',
  '商家红包消费金额（元）', '卡消费金额（元）', '退款批次号/请求号', '服务费（元）', '分润（元）', '备注',
];
const SUMMARY_HEADER = ['门店编号', '门店名称', '交易订单总笔数', '退款订单总笔数', '订单金额（元）', '商家实收（元）', '支付宝优惠（元）', '商家优惠（元）', '卡消费金额（元）', '服务费（元）', '分润（元）', '实收净额（元）'];

const cn = (beijing: string) => `${beijing.slice(0, 4)}年${beijing.slice(5, 7)}月${beijing.slice(8, 10)}日 ${beijing.slice(11)}`;
const row = (values: readonly string[]) => values.map((v) => `${v.replace(/[\r\n,]/g, ' ')}\t`).join(',');

/** The period of a bill_date, as Beijing `yyyy-MM-dd HH:mm:ss` bounds, or undefined when malformed. */
function periodOf(billDate: string): { from: string; to: string; compact: string } | undefined {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(billDate);
  const month = /^(\d{4})-(\d{2})$/.exec(billDate);
  if (day) {
    const start = Date.parse(`${billDate}T00:00:00+08:00`);
    if (Number.isNaN(start) || alipayTime(start).slice(0, 10) !== billDate) return undefined;
    return { from: alipayTime(start), to: alipayTime(start + 86_400_000), compact: billDate.replace(/-/g, '') };
  }
  if (month) {
    const m = Number(month[2]);
    if (m < 1 || m > 12) return undefined;
    const next = m === 12 ? `${Number(month[1]) + 1}-01` : `${month[1]}-${String(m + 1).padStart(2, '0')}`;
    return { from: `${billDate}-01 00:00:00`, to: `${next}-01 00:00:00`, compact: billDate.replace(/-/g, '') };
  }
  return undefined;
}

export function tradeBill(ctx: AlipayContext, entries: readonly LedgerEntry[], billDate: string, exportedAt: Date): { fileName: string; bytes: Buffer } | undefined {
  const period = periodOf(billDate);
  if (!period) return undefined;
  const account = `${ctx.sellerId}0156`;
  const inPeriod = entries.filter((e) => (e.kind === 'capture' || e.kind === 'refund') && alipayTime(Date.parse(e.at)) >= period.from && alipayTime(Date.parse(e.at)) < period.to);
  const money = (n: number, currency: string) => minorToMajor(n, currency);
  const rows = inPeriod.map((e) => {
    const t = ctx.state.byTradeNo.get(e.paymentId);
    const signed = e.kind === 'refund' ? -e.amount : e.amount;
    const zero = money(0, e.currency);
    return row([
      e.paymentId, e.orderId, e.kind === 'refund' ? '退款' : '交易', t?.subject ?? '', t ? alipayTime(t.createdAt) : '', alipayTime(Date.parse(e.at)), '', '', '', '', t?.buyerLogonId ?? '',
      t ? t.totalAmount : money(e.amount, e.currency), money(signed, e.currency), zero, zero, zero, zero, zero, '', zero, zero, e.kind === 'refund' ? (e.reference ?? '') : '', zero, zero, '',
    ]);
  });
  const payments = inPeriod.filter((e) => e.kind === 'capture');
  const refunds = inPeriod.filter((e) => e.kind === 'refund');
  // Totals in yuan; the simulator's bills mix currencies only when trans_currency trades do.
  const sum = (list: readonly LedgerEntry[]) => list.reduce((a, e) => a + e.amount, 0);
  const yuan = (fen: number) => minorToMajor(fen, 'CNY');
  const exported = cn(alipayTime(exportedAt));
  const heading = (title: string, list: string) => [
    `#支付宝${title}查询`,
    `#账号：[${account}]`,
    `#起始日期：[${cn(period.from)}]   终止日期：[${cn(period.to)}]`,
    `#-----------------------------------------${list}----------------------------------------`,
  ];
  const detail = [
    ...heading('业务明细', '业务明细列表'),
    DETAIL_HEADER.join(','),
    ...rows,
    '#-----------------------------------------业务明细列表结束------------------------------------',
    `#交易合计：${payments.length}笔，商家实收：${yuan(sum(payments))}元，商家优惠：0.00元`,
    `#退款合计：${refunds.length}笔，商家实收：${yuan(-sum(refunds))}元，商家优惠：0.00元`,
    `#导出时间：[${exported}]`,
  ].join('\r\n');
  const summary = [
    ...heading('业务汇总', '业务汇总列表'),
    SUMMARY_HEADER.join(','),
    row(['合计', '', String(payments.length), String(refunds.length), yuan(sum(payments)), yuan(sum(payments) - sum(refunds)), '0.00', '0.00', '0.00', '0.00', '0.00', yuan(sum(payments) - sum(refunds))]),
    '#-----------------------------------------业务汇总列表结束------------------------------------',
    `#导出时间：[${exported}]`,
  ].join('\r\n');
  const base = `${ctx.sellerId}_${period.compact}`;
  const bytes = zipArchive(
    [
      { name: encodeGbk(`${base}_业务明细.csv`), data: encodeGbk(`${detail}\r\n`) },
      { name: encodeGbk(`${base}_业务明细(汇总).csv`), data: encodeGbk(`${summary}\r\n`) },
    ],
    new Date(exportedAt.getTime() + 8 * 3_600_000),
  );
  return { fileName: `${base}.csv.zip`, bytes };
}

/** Is the period of `billDate` over, in Beijing time, at `now`? */
function periodOver(billDate: string, now: Date): boolean {
  const period = periodOf(billDate);
  return period !== undefined && alipayTime(now) >= period.to;
}

export const billDownloadUrlQuery: AlipayMethod = ({ ctx, biz, origin }) => {
    const billType = str(biz.bill_type);
    const billDate = str(biz.bill_date);
    if (!billType) return { fields: failure('isv.invalid-parameter', '参数无效: bill_type (trade)'), committed: false };
    if (billType === 'signcustomer') return { fields: failure('isv.invalid-parameter', '参数无效: bill_type signcustomer (账务明细) 不在模拟范围内，请用 trade'), committed: false };
    if (billType !== 'trade') return { fields: failure('isv.invalid-parameter', `参数无效: bill_type ${billType}`), committed: false };
    if (!billDate || !periodOf(billDate)) return { fields: failure('isv.invalid-parameter', '参数无效: bill_date (yyyy-MM-dd or yyyy-MM)'), committed: false };
    const now = ctx.now();
    if (!periodOver(billDate, now)) return { fields: failure('isp.bill_not_exist'), committed: false };
    const bill = tradeBill(ctx, ctx.ledger.entries(), billDate, now)!;
    const token = ctx.ids.next('bill', 32);
    ctx.state.bills.set(token, { ...bill, expiresAt: now.getTime() + URL_TTL_MS });
    const compact = billDate.replace(/-/g, '');
    const url = `${origin ?? ''}/downloadBillFile.resource?bizType=trade&userId=${ctx.sellerId}&fileType=csv.zip&bizDates=${compact}&downloadFileName=${encodeURIComponent(bill.fileName)}&fileId=${encodeURIComponent(`/trade/${ctx.sellerId}/${compact}`)}&timestamp=${now.getTime()}&token=${token}`;
    return { fields: success({ bill_download_url: url }), committed: false };
};

export function registerBillDownload(app: FastifyInstance, ctx: AlipayContext): void {
  app.get('/downloadBillFile.resource', async (req: FastifyRequest<{ Querystring: { token?: string } }>, reply) => {
    const bill = req.query.token ? ctx.state.bills.get(req.query.token) : undefined;
    if (!bill || ctx.now().getTime() > bill.expiresAt) {
      return reply.code(404).type('text/html;charset=utf-8').send('<html><body><h1>404</h1><p>下载链接不存在或已过期</p></body></html>');
    }
    return reply.type('application/oct-stream').header('content-disposition', `attachment;filename=${encodeURIComponent(bill.fileName)}`).send(bill.bytes);
  });
}
