import { minorToMajor, settlementDate, toCsv, type FeeModel, type LedgerEntry, type SettlementColumn, type SettlementCycle, type SettlementLine } from '../core/index.js';
import { alipayTime } from './time.js';

/**
 * The ledger as Alipay's business detail bill (业务明细) lists it: a row per payment (交易) and
 * per refund (退款), amounts in yuan, refunds negative, times in Beijing time. Alipay's service
 * fee is not simulated (0.00). Real bills are GBK with `#` comment lines; ours is UTF-8 CSV with
 * only the table.
 */
const sign = (e: LedgerEntry): number => (e.kind === 'refund' ? -1 : 1);

export function alipaySettlementColumns(subjectOf: (e: LedgerEntry) => string): readonly SettlementColumn[] {
  return Object.freeze([
    { header: '支付宝交易号', value: (e: LedgerEntry) => e.paymentId },
    { header: '商户订单号', value: (e: LedgerEntry) => e.orderId },
    { header: '业务类型', value: (e: LedgerEntry) => (e.kind === 'refund' ? '退款' : '交易') },
    { header: '商品名称', value: (e: LedgerEntry) => subjectOf(e) },
    { header: '完成时间', value: (e: LedgerEntry) => alipayTime(Date.parse(e.at)) },
    { header: '币种', value: (e: LedgerEntry) => e.currency },
    { header: '订单金额（元）', value: (e: LedgerEntry) => minorToMajor(sign(e) * e.amount, e.currency) },
    { header: '商家实收（元）', value: (e: LedgerEntry) => minorToMajor(sign(e) * e.amount, e.currency) },
    { header: '服务费（元）', value: (e: LedgerEntry) => minorToMajor(0, e.currency) },
    { header: '退款批次号/请求号', value: (e: LedgerEntry) => (e.kind === 'refund' ? e.reference : undefined) },
    { header: 'trace_id', value: (e: LedgerEntry) => e.traceId },
  ]);
}

export function alipaySettlementCsv(entries: readonly LedgerEntry[], subjectOf: (e: LedgerEntry) => string): string {
  return toCsv(alipaySettlementColumns(subjectOf), entries.filter((e) => e.kind === 'capture' || e.kind === 'refund'));
}

/**
 * Alipay's standard service fee for online payments (电脑网站支付, 当面付): 0.6 % of the amount,
 * no fixed part, borne by the merchant; refunding returns the fee of the refunded amount in
 * proportion (opendocs.alipay.com, 服务费 / 费率说明).
 */
export const ALIPAY_FEES: FeeModel = Object.freeze({ bps: 60, fixedMajor: 0, refunds: 'percentage-returned', source: 'Alipay open platform standard rate: 0.6%, returned in proportion on refund' });

/** Funds reach the merchant's Alipay balance the next day (T+1), days counted in Beijing time. */
export const ALIPAY_CYCLE: SettlementCycle = Object.freeze({ days: 1, utcOffsetMin: 480 });

/**
 * Version 2: the business detail bill with the service fee (服务费, negative when returned),
 * what the merchant really receives (商家实收 = amount − fee, negative for a refund) and the
 * day the line is settled (结算日期).
 */
export function alipaySettlementReportColumns(subjectOf: (e: LedgerEntry) => string): readonly SettlementColumn<SettlementLine>[] {
  const money = (n: number, l: SettlementLine) => minorToMajor(n, l.entry.currency);
  return Object.freeze([
    { header: '支付宝交易号', value: (l: SettlementLine) => l.entry.paymentId },
    { header: '商户订单号', value: (l: SettlementLine) => l.entry.orderId },
    { header: '业务类型', value: (l: SettlementLine) => (l.kind === 'refund' ? '退款' : '交易') },
    { header: '商品名称', value: (l: SettlementLine) => subjectOf(l.entry) },
    { header: '完成时间', value: (l: SettlementLine) => alipayTime(l.committedAt) },
    { header: '币种', value: (l: SettlementLine) => l.entry.currency },
    { header: '订单金额（元）', value: (l: SettlementLine) => money(l.kind === 'refund' ? -l.gross : l.gross, l) },
    { header: '商家实收（元）', value: (l: SettlementLine) => money(l.net, l) },
    { header: '服务费（元）', value: (l: SettlementLine) => money(l.fee, l) },
    { header: '退款批次号/请求号', value: (l: SettlementLine) => (l.kind === 'refund' ? l.entry.reference : undefined) },
    { header: '结算日期', value: (l: SettlementLine) => settlementDate(l) },
    { header: 'trace_id', value: (l: SettlementLine) => l.entry.traceId },
  ]);
}

export function alipaySettlementReportCsv(lines: readonly SettlementLine[], subjectOf: (e: LedgerEntry) => string): string {
  return toCsv(alipaySettlementReportColumns(subjectOf), lines);
}
