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
 * Alipay's service fee for online payments (电脑网站支付, 当面付): 0.6 % of the amount, no fixed
 * part, borne by the merchant; refunding returns the fee of the refunded amount in proportion.
 * Both assumed, not found in the published docs (no rate page in the stored docs; Alipay's
 * cross-border docs, docs.antom.com "Refund Flow", keep the fee unless the contract says
 * otherwise). docs/gateway-lifecycle.md lists what was checked.
 */
export const ALIPAY_FEES: FeeModel = Object.freeze({ bps: 60, fixedMajor: 0, refunds: 'percentage-returned', source: 'Alipay 0.6%, returned in proportion on refund: both assumed, not found in the published docs (docs/gateway-lifecycle.md)' });

/** Funds reach the merchant's Alipay balance the next day (T+1), days counted in Beijing time. */
export const ALIPAY_CYCLE: SettlementCycle = Object.freeze({ days: 1, utcOffsetMin: 480 });

/** A 分账 (royalty) of a trade, as the report lists it: its settle's out_request_no and the amount moved, fen. */
export interface AlipayRoyaltyLine {
  readonly outRequestNo: string;
  readonly amount: number;
}

/** A report row: a ledger line, or a 分账 moving part of a trade's money to another account (`royalty`). */
type ReportLine = Omit<SettlementLine, 'kind'> & { readonly kind: SettlementLine['kind'] | 'royalty'; readonly requestNo?: string };

/**
 * Version 2: the business detail bill with the service fee (服务费, negative when returned),
 * what the merchant really receives (商家实收 = amount − fee, negative for a refund) and the
 * day the line is settled (结算日期). A trade shared with alipay.trade.order.settle is followed by
 * a 分账 row per royalty, as the account bill (账务明细) lists royalties: the amount out of the
 * merchant's money (negative), no fee, under the settle's out_request_no, on the trade's day.
 */
export function alipaySettlementReportColumns(subjectOf: (e: LedgerEntry) => string): readonly SettlementColumn<ReportLine>[] {
  const money = (n: number, l: ReportLine) => minorToMajor(n, l.entry.currency);
  const out = (l: ReportLine) => l.kind === 'refund' || l.kind === 'royalty';
  return Object.freeze([
    { header: '支付宝交易号', value: (l: ReportLine) => l.entry.paymentId },
    { header: '商户订单号', value: (l: ReportLine) => l.entry.orderId },
    { header: '业务类型', value: (l: ReportLine) => (l.kind === 'refund' ? '退款' : l.kind === 'royalty' ? '分账' : '交易') },
    { header: '商品名称', value: (l: ReportLine) => subjectOf(l.entry) },
    { header: '完成时间', value: (l: ReportLine) => alipayTime(l.committedAt) },
    { header: '币种', value: (l: ReportLine) => l.entry.currency },
    { header: '订单金额（元）', value: (l: ReportLine) => money(out(l) ? -l.gross : l.gross, l) },
    { header: '商家实收（元）', value: (l: ReportLine) => money(l.net, l) },
    { header: '服务费（元）', value: (l: ReportLine) => money(l.fee, l) },
    { header: '退款批次号/请求号', value: (l: ReportLine) => (l.kind === 'refund' ? l.entry.reference : l.kind === 'royalty' ? l.requestNo : undefined) },
    { header: '结算日期', value: (l: ReportLine) => settlementDate(l as SettlementLine) },
    { header: 'trace_id', value: (l: ReportLine) => l.entry.traceId },
  ]);
}

/** The report; `royaltiesOf` names each trade's 分账 (settle.ts), listed right after its payment's line. */
export function alipaySettlementReportCsv(lines: readonly SettlementLine[], subjectOf: (e: LedgerEntry) => string, royaltiesOf: (e: LedgerEntry) => readonly AlipayRoyaltyLine[] = () => []): string {
  const rows: ReportLine[] = [];
  for (const l of lines) {
    rows.push(l);
    if (l.kind !== 'capture') continue;
    for (const r of royaltiesOf(l.entry)) rows.push({ ...l, kind: 'royalty', gross: r.amount, fee: 0, net: -r.amount, requestNo: r.outRequestNo });
  }
  return toCsv(alipaySettlementReportColumns(subjectOf), rows);
}

/** A trade's royalties as the report lists them: one line per royalty item of each settle. */
export function royaltyLines(settles: Iterable<{ readonly outRequestNo: string; readonly royalties: readonly { readonly amount: number }[] }> | undefined): AlipayRoyaltyLine[] {
  return [...(settles ?? [])].flatMap((s) => s.royalties.map((r) => ({ outRequestNo: s.outRequestNo, amount: r.amount })));
}
