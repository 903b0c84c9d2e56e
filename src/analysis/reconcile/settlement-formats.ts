import { paychaosError } from '../../kernel/index.js';
import { parseCsv } from './csv.js';
import { majorToMinor } from './money.js';
import { paypalStlTable } from './paypal-stl.js';

/**
 * One line of a provider's settlement report, in common terms. Each provider's own format
 * (version 2 of the simulators' `/__sim/settlement.csv`: Stripe's payout reconciliation report,
 * Adyen's settlement details, Alipay's business bill, WeChat Pay's trade bill, PayPal's STL, UnionPay's reconciliation file) is
 * read by a table of its columns below; the format is recognised from its header.
 */
export interface SettlementRecord {
  readonly provider: string;
  /** The provider's payment id (PaymentIntent, pspReference, trade_no, transaction_id, order id). */
  readonly providerRef: string;
  /** The merchant's reference as the provider echoes it (out_trade_no, merchantReference …), when given. */
  readonly merchantRef?: string;
  /** The movement's own id (charge, refund, modification): two lines with the same one are a duplicate. */
  readonly movementRef: string;
  /**
   * Money in (capture, chargeback_reversal: a dispute won) or out (refund, chargeback: a dispute's
   * withdrawal); or a split's movement between the platform and a receiver (SplitKind).
   */
  readonly kind: SettledKind;
  /** Gross, minor units, positive. */
  readonly amount: number;
  /** Upper case. */
  readonly currency: string;
  /** The provider's fee, minor units: positive charged, negative returned. */
  readonly fee: number;
  /** Signed: + for a capture's or reversal's payout, − for a refund's or chargeback's. */
  readonly net: number;
  /** YYYY-MM-DD, when the report says it. */
  readonly settlesOn?: string;
  /** Where it came from: `file:line`. */
  readonly source: string;
}

type Cell = (header: string) => string;

interface Format {
  readonly provider: string;
  /** Headers only this format has, all required: they recognise it. */
  readonly signature: readonly string[];
  /** Every header the reader uses. */
  readonly required: readonly string[];
  read(cell: Cell, money: (header: string, currency: string) => number, where: string): Omit<SettlementRecord, 'provider' | 'source'>;
  /** Lines that are not the shopper's money and not a split either: left out. */
  skip?(cell: Cell): boolean;
  /** The report lists split movements (SplitKind lines): the reconciliation judges splits against it. */
  readonly reportsSplits?: boolean;
}

/**
 * A split's movements, between the platform and the receiver of a marketplace sale (never to or
 * from the shopper): the sale paid over to the receiver (`split`) and its reversal, the
 * platform's commission taken back from it (`commission`) and its refund. Stripe's Connect
 * reporting categories transfer, transfer_reversal, platform_earning, platform_earning_refund.
 */
export type SplitKind = 'split' | 'split_reversal' | 'commission' | 'commission_refund';
export const SPLIT_KINDS: readonly SplitKind[] = Object.freeze(['split', 'split_reversal', 'commission', 'commission_refund']);
export const isSplitKind = (kind: SettledKind): kind is SplitKind => (SPLIT_KINDS as readonly string[]).includes(kind);

export type SettledKind = 'capture' | 'refund' | 'chargeback' | 'chargeback_reversal' | SplitKind;
/** Whether a movement takes money from the payout. */
export const isDebit = (kind: SettledKind): boolean => kind === 'refund' || kind === 'chargeback';

/** The movement a report's type column names, from the format's table of its words. */
const kindOf = (value: string, words: Readonly<Partial<Record<SettledKind, string>>>, where: string): SettledKind => {
  for (const [kind, word] of Object.entries(words)) if (word === value) return kind as SettledKind;
  throw paychaosError('PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', `${where}: expected ${Object.values(words).map((w) => `"${w}"`).join(', ')}, got "${value}"`, { field: where });
};
const optional = (v: string): string | undefined => (v === '' ? undefined : v);
const isoDate = (v: string): string | undefined => (/^\d{8}$/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6)}` : optional(v.slice(0, 10)));
/**
 * The day of an STL date-time (`2026/11/21 10:00:00 +0000`; the simulator writes `-` between the
 * date's parts): the date as written, in the reporting window's zone the stamp states.
 */
function stlDay(v: string, where: string): string {
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[ T]|$)/.exec(v);
  if (!m) throw paychaosError('PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', `${where}: expected a date-time such as "2026/11/21 10:00:00 +0000", got "${v}"`, { source: where });
  return `${m[1]}-${m[2]}-${m[3]}`;
}

const FORMATS: readonly Format[] = [
  {
    provider: 'stripe',
    signature: ['payment_intent_id', 'reporting_category', 'automatic_payout_id'],
    required: ['payment_intent_id', 'reporting_category', 'automatic_payout_id', 'currency', 'gross', 'fee', 'net', 'source_id', 'payment_metadata[order_id]', 'automatic_payout_effective_at_utc'],
    reportsSplits: true,
    read(cell, money, where) {
      const currency = cell('currency').toUpperCase();
      const kind = kindOf(
        cell('reporting_category'),
        { capture: 'charge', refund: 'refund', chargeback: 'dispute', chargeback_reversal: 'dispute_reversal', split: 'transfer', split_reversal: 'transfer_reversal', commission: 'platform_earning', commission_refund: 'platform_earning_refund' },
        `${where} reporting_category`,
      );
      return {
        providerRef: cell('payment_intent_id'),
        ...(optional(cell('payment_metadata[order_id]')) ? { merchantRef: cell('payment_metadata[order_id]') } : {}),
        movementRef: cell('source_id') || cell('payment_intent_id'),
        kind,
        amount: Math.abs(money('gross', currency)),
        currency,
        fee: money('fee', currency),
        net: money('net', currency),
        ...(isoDate(cell('automatic_payout_effective_at_utc')) ? { settlesOn: isoDate(cell('automatic_payout_effective_at_utc'))! } : {}),
      };
    },
  },
  {
    provider: 'adyen',
    signature: ['Psp Reference', 'Merchant Reference', 'Commission (NC)', 'Batch Number'],
    required: ['Psp Reference', 'Merchant Reference', 'Type', 'Modification Reference', 'Gross Currency', 'Gross Debit (GC)', 'Gross Credit (GC)', 'Net Debit (NC)', 'Net Credit (NC)', 'Commission (NC)', 'Batch Number'],
    read(cell, money, where) {
      const currency = cell('Gross Currency').toUpperCase();
      const kind = kindOf(cell('Type'), { capture: 'Settled', refund: 'Refunded', chargeback: 'Chargeback', chargeback_reversal: 'ChargebackReversed' }, `${where} Type`);
      const or0 = (h: string) => (cell(h) === '' ? 0 : money(h, currency));
      return {
        providerRef: cell('Psp Reference'),
        ...(optional(cell('Merchant Reference')) ? { merchantRef: cell('Merchant Reference') } : {}),
        movementRef: cell('Modification Reference') || cell('Psp Reference'),
        kind,
        amount: isDebit(kind) ? or0('Gross Debit (GC)') : or0('Gross Credit (GC)'),
        currency,
        fee: or0('Commission (NC)'),
        net: or0('Net Credit (NC)') - or0('Net Debit (NC)'),
        ...(isoDate(cell('Batch Number')) ? { settlesOn: isoDate(cell('Batch Number'))! } : {}),
      };
    },
  },
  {
    provider: 'alipay',
    signature: ['支付宝交易号', '业务类型', '服务费（元）', '结算日期'],
    required: ['支付宝交易号', '商户订单号', '业务类型', '币种', '订单金额（元）', '商家实收（元）', '服务费（元）', '退款批次号/请求号', '结算日期'],
    // 分账: a royalty of the trade's money to another Alipay account (alipay.trade.order.settle),
    // under its settle's out_request_no; 分账退回 gives one back.
    reportsSplits: true,
    read(cell, money, where) {
      const currency = cell('币种').toUpperCase();
      const kind = kindOf(cell('业务类型'), { capture: '交易', refund: '退款', split: '分账', split_reversal: '分账退回' }, `${where} 业务类型`);
      return {
        providerRef: cell('支付宝交易号'),
        ...(optional(cell('商户订单号')) ? { merchantRef: cell('商户订单号') } : {}),
        movementRef: kind === 'capture' ? cell('支付宝交易号') : cell('退款批次号/请求号') || cell('支付宝交易号'),
        kind,
        amount: Math.abs(money('订单金额（元）', currency)),
        currency,
        fee: money('服务费（元）', currency),
        net: money('商家实收（元）', currency),
        ...(optional(cell('结算日期')) ? { settlesOn: cell('结算日期') } : {}),
      };
    },
  },
  {
    provider: 'wechatpay',
    signature: ['微信订单号', '交易状态', '手续费', '结算日期'],
    required: ['微信订单号', '商户订单号', '交易状态', '货币种类', '应结订单金额', '微信退款单号', '退款金额', '手续费', '结算日期'],
    // 分账: a receiver's part of the order (/v3/profitsharing/orders) in 应结订单金额, under WeChat's
    // 分账单号 (in 微信退款单号); 分账回退 gives one back.
    reportsSplits: true,
    read(cell, money, where) {
      const currency = cell('货币种类').toUpperCase();
      const kind = kindOf(cell('交易状态'), { capture: 'SUCCESS', refund: 'REFUND', split: '分账', split_reversal: '分账回退' }, `${where} 交易状态`);
      const amount = kind === 'refund' ? money('退款金额', currency) : money('应结订单金额', currency);
      const fee = money('手续费', currency);
      // Money out of the merchant's: a refund, a share paid over; in: a payment, a share given back.
      const out = kind === 'refund' || kind === 'split';
      return {
        providerRef: cell('微信订单号'),
        ...(optional(cell('商户订单号')) ? { merchantRef: cell('商户订单号') } : {}),
        movementRef: kind === 'capture' ? cell('微信订单号') : cell('微信退款单号') || cell('微信订单号'),
        kind,
        amount,
        currency,
        fee,
        net: (out ? -amount : amount) - fee,
        ...(optional(cell('结算日期')) ? { settlesOn: cell('结算日期') } : {}),
      };
    },
  },
  {
    provider: 'unionpay',
    signature: ['查询流水号', '原查询流水号', '清算金额', '清算日期'],
    required: ['交易类型', '查询流水号', '原查询流水号', '商户订单号', '交易币种', '交易金额', '手续费', '清算金额', '清算日期'],
    read(cell, money, where) {
      const currency = cell('交易币种').toUpperCase();
      const kind = kindOf(cell('交易类型'), { capture: '消费', refund: '退货' }, `${where} 交易类型`);
      return {
        // A refund line names its consume by 原查询流水号; its own 查询流水号 is the movement's id.
        providerRef: kind === 'refund' ? cell('原查询流水号') : cell('查询流水号'),
        ...(optional(cell('商户订单号')) ? { merchantRef: cell('商户订单号') } : {}),
        movementRef: cell('查询流水号'),
        kind,
        amount: Math.abs(money('交易金额', currency)),
        currency,
        fee: money('手续费', currency),
        net: money('清算金额', currency),
        ...(optional(cell('清算日期')) ? { settlesOn: cell('清算日期') } : {}),
      };
    },
  },
  {
    provider: 'paypal',
    // The STL's section body columns (developer.paypal.com/docs/reports/sftp-reports/settlement-report):
    // it has no settlement-date column — a row settles when its transaction completes (PayPal
    // credits the balance at once), so its day is the date of its Transaction Completion Date.
    signature: ['PayPal Reference ID', 'Transaction Event Code', 'Fee Debit or Credit', 'Transaction Completion Date'],
    required: ['Transaction ID', 'Invoice ID', 'PayPal Reference ID', 'Transaction Event Code', 'Transaction Completion Date', 'Gross Transaction Amount', 'Gross Transaction Currency', 'Fee Debit or Credit', 'Fee Amount'],
    read(cell, money, where) {
      const currency = cell('Gross Transaction Currency').toUpperCase();
      const kind = kindOf(cell('Transaction Event Code'), { capture: 'T0006', refund: 'T1107', chargeback: 'T1201', chargeback_reversal: 'T1202' }, `${where} Transaction Event Code`);
      const amount = Math.abs(money('Gross Transaction Amount', currency));
      // The specification leaves the fee out where none was charged (a blank Fee Amount is 0).
      const feeAbs = cell('Fee Amount') === '' ? 0 : Math.abs(money('Fee Amount', currency));
      const fee = cell('Fee Debit or Credit') === 'CR' ? -feeAbs : feeAbs;
      return {
        providerRef: cell('PayPal Reference ID'),
        ...(optional(cell('Invoice ID')) ? { merchantRef: cell('Invoice ID') } : {}),
        movementRef: cell('Transaction ID') || cell('PayPal Reference ID'),
        kind,
        amount,
        currency,
        fee,
        net: (isDebit(kind) ? -amount : amount) - fee,
        ...(optional(cell('Transaction Completion Date')) ? { settlesOn: stlDay(cell('Transaction Completion Date'), `${where} Transaction Completion Date`) } : {}),
      };
    },
  },
];

/** Providers whose settlement report paychaos reads. */
export const SETTLEMENT_PROVIDERS: readonly string[] = Object.freeze(FORMATS.map((f) => f.provider));
/**
 * Providers whose report lists a split's movements: Stripe's Connect categories, Alipay's 分账
 * rows, WeChat Pay's profit-sharing (分账) rows. Adyen's settlement details list the shopper's
 * money only: a split booked there is not judged against them.
 */
export const SPLIT_REPORTING_PROVIDERS: readonly string[] = Object.freeze(FORMATS.filter((f) => f.reportsSplits === true).map((f) => f.provider));

/**
 * A settlement report's lines. The provider is recognised from the header; `expect` (a provider
 * name) makes a file of another provider an error. `source` names the input in errors.
 */
export function parseSettlement(text: string, source: string, expect?: string): SettlementRecord[] {
  return readSettlement(text, source, expect).records;
}

/** parseSettlement, also saying whose report it is (a report may have no lines at all). */
export function readSettlement(text: string, source: string, expect?: string): { provider: string; records: SettlementRecord[] } {
  const rows = parseCsv(text, source);
  // PayPal's STL as delivered (RH … CH … SB lines, implied-cents amounts) read as one table; every other report is one already.
  const table = paypalStlTable(rows, source) ?? { header: rows[0], body: rows.slice(1), lineOf: rows.slice(1).map((_, n) => n + 2) };
  const header = table.header;
  if (!header) throw paychaosError('PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', `${source}: empty file; expected a settlement report with a header line`, { source });
  const format = FORMATS.find((f) => f.signature.every((h) => header.includes(h)));
  if (!format) {
    throw paychaosError('PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', `${source}: not a settlement report paychaos reads (version 2 of /__sim/settlement.csv from ${SETTLEMENT_PROVIDERS.join(', ')}); header starts "${header.slice(0, 4).join(',')}"`, { source });
  }
  if (expect !== undefined && expect !== format.provider) throw paychaosError('PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', `${source}: given as ${expect}'s report, but it is ${format.provider}'s`, { source });
  const missing = format.required.filter((h) => !header.includes(h));
  if (missing.length > 0) throw paychaosError('PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', `${source}: ${format.provider} report lacks column(s) ${missing.join(', ')}`, { source, missing });
  const index = new Map(header.map((h, i) => [h, i]));
  const records = table.body.flatMap((cells, n) => {
    const where = `${source}:${table.lineOf[n]}`;
    const cell: Cell = (h) => cells[index.get(h)!] ?? '';
    if (format.skip?.(cell)) return [];
    const money = (h: string, currency: string): number => majorToMinor(cell(h), currency, `${where} ${h}`);
    const record = format.read(cell, money, where);
    if (record.providerRef === '') throw paychaosError('PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', `${where}: the line names no provider payment id`, { source: where });
    return [{ provider: format.provider, source: where, ...record }];
  });
  return { provider: format.provider, records };
}

/** One report to read: its text, where it came from (for errors), and whose it must be, if known. */
export interface SettlementSource {
  readonly text: string;
  readonly source: string;
  readonly provider?: string | undefined;
}

/**
 * Several providers' reports read into one list of lines, with the providers that reported: what
 * `reconcile` takes, whether the reports came from files (`paychaos reconcile`) or from the
 * simulators after a run.
 */
export function readSettlements(reports: readonly SettlementSource[]): { records: SettlementRecord[]; reported: string[] } {
  const records: SettlementRecord[] = [];
  const reported: string[] = [];
  for (const report of reports) {
    const read = readSettlement(report.text, report.source, report.provider);
    records.push(...read.records);
    reported.push(read.provider);
  }
  return { records, reported };
}
