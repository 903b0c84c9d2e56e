import { minorToMajor, settlementDate, toCsv, type FeeModel, type LedgerEntry, type SettlementColumn, type SettlementCycle, type SettlementLine } from '../core/index.js';
import { wechatTime } from './time.js';

/**
 * The ledger as WeChat Pay's trade bill (交易账单, bill_type ALL) lists it: a row per payment
 * (交易状态 SUCCESS) and per refund (REFUND), amounts in yuan, times in Beijing time. Fees are not
 * simulated. The real bill prefixes each field with a backquote and appends summary lines; ours
 * is plain CSV.
 */
export function wechatSettlementColumns(appid: string, mchid: string, describe: (e: LedgerEntry) => string): readonly SettlementColumn[] {
  const refund = (e: LedgerEntry) => e.kind === 'refund';
  return Object.freeze([
    { header: '交易时间', value: (e: LedgerEntry) => wechatTime(Date.parse(e.at)).replace('T', ' ').slice(0, 19) },
    { header: '公众账号ID', value: () => appid },
    { header: '商户号', value: () => mchid },
    { header: '微信订单号', value: (e: LedgerEntry) => e.paymentId },
    { header: '商户订单号', value: (e: LedgerEntry) => e.orderId },
    { header: '交易状态', value: (e: LedgerEntry) => (refund(e) ? 'REFUND' : 'SUCCESS') },
    { header: '货币种类', value: (e: LedgerEntry) => e.currency },
    { header: '应结订单金额', value: (e: LedgerEntry) => (refund(e) ? minorToMajor(0, e.currency) : minorToMajor(e.amount, e.currency)) },
    { header: '微信退款单号', value: (e: LedgerEntry) => (refund(e) ? e.reference : undefined) },
    { header: '商户退款单号', value: (e: LedgerEntry) => (refund(e) ? e.idempotencyKey : undefined) },
    { header: '退款金额', value: (e: LedgerEntry) => minorToMajor(refund(e) ? e.amount : 0, e.currency) },
    { header: '商品名称', value: (e: LedgerEntry) => describe(e) },
    { header: '手续费', value: (e: LedgerEntry) => minorToMajor(0, e.currency) },
  ]);
}

export function wechatSettlementCsv(entries: readonly LedgerEntry[], appid: string, mchid: string, describe: (e: LedgerEntry) => string): string {
  return toCsv(wechatSettlementColumns(appid, mchid, describe), entries.filter((e) => e.kind === 'capture' || e.kind === 'refund'));
}

/**
 * WeChat Pay's rate for most merchant categories: 0.6 % (费率 0.60%), no fixed part, borne by the
 * merchant — assumed, not found in the published docs; a refund returns the fee of the refunded
 * amount in proportion (pay.weixin.qq.com/wechatpay_h5/pages/faq/refund.shtml: "Refunded service
 * fee = Actual refund amount * service fee rate").
 */
export const WECHAT_FEES: FeeModel = Object.freeze({ bps: 60, fixedMajor: 0, refunds: 'percentage-returned', source: 'WeChat Pay 0.6% (assumed, not found in the published docs); returned in proportion on refund (pay.weixin.qq.com refund FAQ)' });

/** Settled to the merchant the next day (T+1), days counted in Beijing time. */
export const WECHAT_CYCLE: SettlementCycle = Object.freeze({ days: 1, utcOffsetMin: 480 });

/** A profit-sharing receiver's part of an order, as the report lists it: WeChat's 分账单号, the merchant's out_order_no, fen. */
export interface WechatShareLine {
  readonly orderId: string;
  readonly outOrderNo: string;
  readonly amount: number;
}

/** A report row: a ledger line, or a profit share moving part of an order's money to a receiver (`share`). */
type ReportLine = Omit<SettlementLine, 'kind'> & { readonly kind: SettlementLine['kind'] | 'share'; readonly share?: WechatShareLine };

/**
 * Version 2: the trade bill with the fee (手续费, negative when a refund returns it), the rate
 * (费率) and the day each line settles (结算日期). An order shared with /v3/profitsharing/orders is
 * followed by a row per receiver's part, as the profit-sharing bill (分账账单) lists it: 交易状态
 * 分账, the amount in 应结订单金额, WeChat's 分账单号 and the merchant's out_order_no in the two
 * order-number columns, no fee, on the order's day.
 */
export function wechatSettlementReportColumns(appid: string, mchid: string, describe: (e: LedgerEntry) => string): readonly SettlementColumn<ReportLine>[] {
  const refund = (l: ReportLine) => l.kind === 'refund';
  const money = (n: number, l: ReportLine) => minorToMajor(n, l.entry.currency);
  return Object.freeze([
    { header: '交易时间', value: (l: ReportLine) => wechatTime(l.committedAt).replace('T', ' ').slice(0, 19) },
    { header: '公众账号ID', value: () => appid },
    { header: '商户号', value: () => mchid },
    { header: '微信订单号', value: (l: ReportLine) => l.entry.paymentId },
    { header: '商户订单号', value: (l: ReportLine) => l.entry.orderId },
    { header: '交易状态', value: (l: ReportLine) => (refund(l) ? 'REFUND' : l.kind === 'share' ? '分账' : 'SUCCESS') },
    { header: '货币种类', value: (l: ReportLine) => l.entry.currency },
    { header: '应结订单金额', value: (l: ReportLine) => money(refund(l) ? 0 : l.gross, l) },
    { header: '微信退款单号', value: (l: ReportLine) => (refund(l) ? l.entry.reference : l.share?.orderId) },
    { header: '商户退款单号', value: (l: ReportLine) => (refund(l) ? l.entry.idempotencyKey : l.share?.outOrderNo) },
    { header: '退款金额', value: (l: ReportLine) => money(refund(l) ? l.gross : 0, l) },
    { header: '商品名称', value: (l: ReportLine) => describe(l.entry) },
    { header: '手续费', value: (l: ReportLine) => money(l.fee, l) },
    { header: '费率', value: () => `${(WECHAT_FEES.bps / 100).toFixed(2)}%` },
    { header: '结算日期', value: (l: ReportLine) => settlementDate(l as SettlementLine) },
  ]);
}

/** The report; `sharesOf` names each order's profit shares (profitsharing.ts), listed right after its payment's line. */
export function wechatSettlementReportCsv(lines: readonly SettlementLine[], appid: string, mchid: string, describe: (e: LedgerEntry) => string, sharesOf: (e: LedgerEntry) => readonly WechatShareLine[] = () => []): string {
  const rows: ReportLine[] = [];
  for (const l of lines) {
    rows.push(l);
    if (l.kind !== 'capture') continue;
    for (const share of sharesOf(l.entry)) rows.push({ ...l, kind: 'share', gross: share.amount, fee: 0, net: -share.amount, share });
  }
  return toCsv(wechatSettlementReportColumns(appid, mchid, describe), rows);
}
