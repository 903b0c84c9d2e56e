import { minorToMajor, toCsv, type LedgerEntry, type SettlementColumn } from '../core/index.js';
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
