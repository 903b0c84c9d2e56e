import { minorToMajor, toCsv, type LedgerEntry, type SettlementColumn } from '../core/index.js';
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
