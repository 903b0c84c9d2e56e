import { createHash } from 'node:crypto';
import type { SettlementFaultWindow } from './behaviour.js';
import { feeFor, type FeeModel } from './fees.js';
import type { LedgerEntry } from './ledger.js';

/**
 * The settlement report (version 2 of `/__sim/settlement.csv`): what the provider tells the
 * merchant it settled, line by line, with fees and the day each line is paid out.
 *
 *   ledger (ground truth) ─► captures, refunds, chargebacks and their reversals ─► fee (the provider's FeeModel), settlement day
 *        (the provider's cycle, in its time zone) ─► settlement faults of the window the movement
 *        was committed in (missing, duplicate, amount off, fee off, late) ─► lines due by the cut-off
 *
 * The cut-off is the file's date: by default the day the newest on-time line settles, so a clean
 * report lists every movement and a late line is exactly one that this file does not yet hold.
 * Fault choices are a hash of the simulator's seed and the entry's id: the same ledger and seed
 * always give the same report, however often it is read.
 */
export interface SettlementCycle {
  /** Days after the commit's day on which a movement is paid out (Stripe 2, Adyen/Alipay/WeChat 1, PayPal 0). */
  readonly days: number;
  /** The provider's reporting time zone as minutes east of UTC (Beijing: 480), which decides "the day". */
  readonly utcOffsetMin: number;
}

/** The movements a settlement report lists: money in (capture, chargeback_reversal) and out (refund, chargeback). */
export type SettledKind = 'capture' | 'refund' | 'chargeback' | 'chargeback_reversal';
const SETTLED: ReadonlySet<string> = new Set<SettledKind>(['capture', 'refund', 'chargeback', 'chargeback_reversal']);
/** Whether a movement takes money from the merchant's payout. */
export const isDebit = (kind: SettledKind): boolean => kind === 'refund' || kind === 'chargeback';

export interface SettlementLine {
  readonly entry: LedgerEntry;
  readonly kind: SettledKind;
  /** Gross amount as reported, minor units, positive (a fault may have shifted it). */
  readonly gross: number;
  /** The provider's fee in minor units: positive charged to the merchant, negative given back. */
  readonly fee: number;
  /** Signed net: what the line adds to (capture, reversal) or takes from (refund, chargeback) the payout: ±gross − fee. */
  readonly net: number;
  /** When the line is paid out, epoch ms (start of the settlement day in the provider's zone). */
  readonly settlesAt: number;
  /** The settlement day as YYYYMMDD in the provider's zone: the batch / payout it belongs to. */
  readonly batch: string;
}

export interface SettlementReportOptions {
  readonly fees: FeeModel;
  readonly cycle: SettlementCycle;
  readonly seed: number;
  /** When settlement faults were on (Behaviour.settlementWindows()). */
  readonly windows?: readonly SettlementFaultWindow[];
  /** The file's cut-off (epoch ms): lines settling later are not in it. Default: the newest on-time line's day. */
  readonly asOf?: number;
}

const DAY_MS = 86_400_000;

export function settlementLines(entries: readonly LedgerEntry[], options: SettlementReportOptions): SettlementLine[] {
  const { fees, cycle, seed } = options;
  const windows = options.windows ?? [];
  const offsetMs = cycle.utcOffsetMin * 60_000;
  const lines: SettlementLine[] = [];
  let lastOnTime = -Infinity;
  for (const entry of entries) {
    if (!SETTLED.has(entry.kind)) continue;
    const kind = entry.kind as SettledKind;
    const t = Date.parse(entry.at);
    const onTime = Math.floor((t + offsetMs) / DAY_MS) * DAY_MS - offsetMs + cycle.days * DAY_MS;
    lastOnTime = Math.max(lastOnTime, onTime);
    const sign = isDebit(kind) ? -1 : 1;
    const faults = windowAt(windows, t)?.faults;
    const pick = (what: string, share: number | undefined): boolean => share !== undefined && share > 0 && unitHash(seed, entry.id, what) < share;
    if (faults && pick('missing', faults.missingLine)) continue;
    const fee = feeFor(fees, kind, entry.amount, entry.currency) + (faults?.feeOff && pick('fee', faults.feeOff.share) ? faults.feeOff.byMinor : 0);
    const gross = entry.amount + (faults?.amountOff && pick('amount', faults.amountOff.share) ? faults.amountOff.byMinor : 0);
    const settlesAt = onTime + (faults?.late && pick('late', faults.late.share) ? faults.late.by : 0);
    const line: SettlementLine = { entry, kind, gross, fee, net: sign * gross - fee, settlesAt, batch: dayOf(settlesAt, offsetMs) };
    lines.push(line);
    if (faults && pick('duplicate', faults.duplicateLine)) lines.push(line);
  }
  const cutOff = options.asOf ?? lastOnTime;
  return lines.filter((l) => l.settlesAt <= cutOff);
}

/** The window a commit time falls in (the newest, should two touch). */
function windowAt(windows: readonly SettlementFaultWindow[], t: number): SettlementFaultWindow | undefined {
  for (let i = windows.length - 1; i >= 0; i--) {
    const w = windows[i]!;
    if (t >= w.from && (w.to === undefined || t < w.to)) return w;
  }
  return undefined;
}

/** A number in [0, 1) fixed by the seed, the entry and the question asked about it. */
function unitHash(seed: number, entryId: string, what: string): number {
  const digest = createHash('sha256').update(`${seed}:${entryId}:${what}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

function dayOf(ms: number, offsetMs: number): string {
  return new Date(ms + offsetMs).toISOString().slice(0, 10).replace(/-/g, '');
}

/** The settlement day as an ISO date (YYYY-MM-DD) in the provider's zone. */
export function settlementDate(line: SettlementLine): string {
  return `${line.batch.slice(0, 4)}-${line.batch.slice(4, 6)}-${line.batch.slice(6, 8)}`;
}
