import { minorToMajor, settlementDate, toCsv, type FeeModel, type LedgerEntry, type SettlementColumn, type SettlementCycle, type SettlementLine } from '../core/index.js';
import { upopTime } from './time.js';

/**
 * The ledger as UnionPay's merchant reconciliation file lists it (对账文件, one line per
 * transaction): 交易类型 消费 / 退货, 查询流水号 (queryId), 商户订单号, 交易时间, 交易金额 in
 * yuan (refunds negative). Real files are fixed-width GBK text (INN…ZM_ files); ours is UTF-8 CSV
 * with the same columns.
 */
const sign = (kind: string): number => (kind === 'refund' ? -1 : 1);

export function unionPaySettlementColumns(): readonly SettlementColumn[] {
  return Object.freeze([
    { header: '交易类型', value: (e: LedgerEntry) => (e.kind === 'refund' ? '退货' : '消费') },
    { header: '查询流水号', value: (e: LedgerEntry) => (e.kind === 'refund' ? e.reference : e.paymentId) },
    { header: '原查询流水号', value: (e: LedgerEntry) => (e.kind === 'refund' ? e.paymentId : undefined) },
    { header: '商户订单号', value: (e: LedgerEntry) => e.orderId },
    { header: '交易时间', value: (e: LedgerEntry) => upopTime(Date.parse(e.at)) },
    { header: '交易币种', value: (e: LedgerEntry) => e.currency },
    { header: '交易金额', value: (e: LedgerEntry) => minorToMajor(sign(e.kind) * e.amount, e.currency) },
    { header: 'trace_id', value: (e: LedgerEntry) => e.traceId },
  ]);
}

export function unionPaySettlementCsv(entries: readonly LedgerEntry[]): string {
  return toCsv(unionPaySettlementColumns(), entries.filter((e) => e.kind === 'capture' || e.kind === 'refund'));
}

/**
 * A merchant discount rate (商户手续费) of 0.6 % here — UnionPay online rates are set per merchant
 * contract (0.38 %–0.6 % are common figures); configurable by whoever builds the simulator. The
 * fee of a refunded amount is returned in proportion.
 */
export const UNIONPAY_FEES: FeeModel = Object.freeze({ bps: 60, fixedMajor: 0, refunds: 'percentage-returned', source: 'UnionPay online merchant discount rate, per contract; 0.6% assumed' });

/** Funds settle the next day (T+1), days counted in Beijing time. */
export const UNIONPAY_CYCLE: SettlementCycle = Object.freeze({ days: 1, utcOffsetMin: 480 });

/** Version 2: with the fee (手续费), the net (清算金额) and the settlement date (清算日期). */
export function unionPaySettlementReportCsv(lines: readonly SettlementLine[]): string {
  const money = (n: number, l: SettlementLine) => minorToMajor(n, l.entry.currency);
  return toCsv(
    [
      { header: '交易类型', value: (l: SettlementLine) => (l.kind === 'refund' ? '退货' : '消费') },
      { header: '查询流水号', value: (l: SettlementLine) => (l.kind === 'refund' ? l.entry.reference : l.entry.paymentId) },
      { header: '原查询流水号', value: (l: SettlementLine) => (l.kind === 'refund' ? l.entry.paymentId : undefined) },
      { header: '商户订单号', value: (l: SettlementLine) => l.entry.orderId },
      { header: '交易时间', value: (l: SettlementLine) => upopTime(l.committedAt) },
      { header: '交易币种', value: (l: SettlementLine) => l.entry.currency },
      { header: '交易金额', value: (l: SettlementLine) => money(l.kind === 'refund' ? -l.gross : l.gross, l) },
      { header: '手续费', value: (l: SettlementLine) => money(l.fee, l) },
      { header: '清算金额', value: (l: SettlementLine) => money(l.net, l) },
      { header: '清算日期', value: (l: SettlementLine) => settlementDate(l) },
      { header: 'trace_id', value: (l: SettlementLine) => l.entry.traceId },
    ],
    lines,
  );
}
