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
 * WeChat Pay's standard rate for most merchant categories: 0.6 % (费率 0.60%), no fixed part,
 * borne by the merchant; a refund returns the fee of the refunded amount in proportion
 * (pay.weixin.qq.com, 费率 / 手续费说明).
 */
export const WECHAT_FEES: FeeModel = Object.freeze({ bps: 60, fixedMajor: 0, refunds: 'percentage-returned', source: 'pay.weixin.qq.com standard rate: 0.6%, returned in proportion on refund' });

/** Settled to the merchant the next day (T+1), days counted in Beijing time. */
export const WECHAT_CYCLE: SettlementCycle = Object.freeze({ days: 1, utcOffsetMin: 480 });

/**
 * Version 2: the trade bill with the fee (手续费, negative when a refund returns it), the rate
 * (费率) and the day each line settles (结算日期).
 */
export function wechatSettlementReportColumns(appid: string, mchid: string, describe: (e: LedgerEntry) => string): readonly SettlementColumn<SettlementLine>[] {
  const refund = (l: SettlementLine) => l.kind === 'refund';
  const money = (n: number, l: SettlementLine) => minorToMajor(n, l.entry.currency);
  return Object.freeze([
    { header: '交易时间', value: (l: SettlementLine) => wechatTime(l.committedAt).replace('T', ' ').slice(0, 19) },
    { header: '公众账号ID', value: () => appid },
    { header: '商户号', value: () => mchid },
    { header: '微信订单号', value: (l: SettlementLine) => l.entry.paymentId },
    { header: '商户订单号', value: (l: SettlementLine) => l.entry.orderId },
    { header: '交易状态', value: (l: SettlementLine) => (refund(l) ? 'REFUND' : 'SUCCESS') },
    { header: '货币种类', value: (l: SettlementLine) => l.entry.currency },
    { header: '应结订单金额', value: (l: SettlementLine) => money(refund(l) ? 0 : l.gross, l) },
    { header: '微信退款单号', value: (l: SettlementLine) => (refund(l) ? l.entry.reference : undefined) },
    { header: '商户退款单号', value: (l: SettlementLine) => (refund(l) ? l.entry.idempotencyKey : undefined) },
    { header: '退款金额', value: (l: SettlementLine) => money(refund(l) ? l.gross : 0, l) },
    { header: '商品名称', value: (l: SettlementLine) => describe(l.entry) },
    { header: '手续费', value: (l: SettlementLine) => money(l.fee, l) },
    { header: '费率', value: () => `${(WECHAT_FEES.bps / 100).toFixed(2)}%` },
    { header: '结算日期', value: (l: SettlementLine) => settlementDate(l) },
  ]);
}

export function wechatSettlementReportCsv(lines: readonly SettlementLine[], appid: string, mchid: string, describe: (e: LedgerEntry) => string): string {
  return toCsv(wechatSettlementReportColumns(appid, mchid, describe), lines);
}
