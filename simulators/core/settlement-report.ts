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
 * Days are counted on the provider's clock (`providerTime`: the simulator's scaled clock, so a
 * scenario can compress T+1 or T+7 into seconds), and the file's cut-off (`asOf`) is a time on that
 * clock — the simulator's own now unless asked for another: a line is in the file only once its day
 * has come. A movement whose day has not come is not yet due: it is in `pending` (the provider's
 * pending balance, with the day it is scheduled for), not in the file. A late line (the `late`
 * fault) is one whose scheduled day has passed at the cut-off but which the file does not hold yet:
 * it is in neither list, which is exactly what makes it overdue.
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
  /**
   * When the movement happened on the provider's clock, epoch ms: the ledger's wall-clock stamp
   * through Clock.fromReal, so that a report's transaction time and its settlement day are on one
   * calendar whatever the time scale (the entry's own `at` stays wall-clock).
   */
  readonly committedAt: number;
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
  /** The file's cut-off, epoch ms on the provider's clock: lines settling later are not in it (the simulator passes its clock's now unless asked for another). */
  readonly asOf: number;
  /** A ledger time (wall clock, epoch ms) on the provider's clock (Clock.fromReal); default: the same. */
  readonly providerTime?: (realMs: number) => number;
}

/** The longest cycle a provider may be configured with (T+30), and the shortest (T+0: same day). */
export const MAX_CYCLE_DAYS = 30;

/** What a report holds at its cut-off, and what the provider has scheduled for later. */
export interface SettlementSchedule {
  /** Lines whose day has come by the cut-off: the file. */
  readonly due: SettlementLine[];
  /** Movements not yet due at the cut-off, each at its scheduled day (the provider's pending balance); never a fault's duplicate. */
  readonly pending: SettlementLine[];
}

const DAY_MS = 86_400_000;

/** The lines of the file at `options.asOf`. */
export function settlementLines(entries: readonly LedgerEntry[], options: SettlementReportOptions): SettlementLine[] {
  return settlementSchedule(entries, options).due;
}

export function settlementSchedule(entries: readonly LedgerEntry[], options: SettlementReportOptions): SettlementSchedule {
  const { fees, cycle, seed, asOf } = options;
  const windows = options.windows ?? [];
  const providerTime = options.providerTime ?? ((ms: number) => ms);
  const offsetMs = cycle.utcOffsetMin * 60_000;
  const due: SettlementLine[] = [];
  const pending: SettlementLine[] = [];
  for (const entry of entries) {
    if (!SETTLED.has(entry.kind)) continue;
    const kind = entry.kind as SettledKind;
    // Faults are picked by the wall-clock commit time (their windows are wall-clock); days by the provider's.
    const t = Date.parse(entry.at);
    const committed = providerTime(t);
    // Committed after the cut-off (a file asked for an earlier day): not even pending then.
    if (committed > asOf) continue;
    const onTime = dayStart(committed, offsetMs) + cycle.days * DAY_MS;
    const sign = isDebit(kind) ? -1 : 1;
    const faults = windowAt(windows, t)?.faults;
    const pick = (what: string, share: number | undefined): boolean => share !== undefined && share > 0 && unitHash(seed, entry.id, what) < share;
    if (faults && pick('missing', faults.missingLine)) continue;
    const fee = feeFor(fees, kind, entry.amount, entry.currency) + (faults?.feeOff && pick('fee', faults.feeOff.share) ? faults.feeOff.byMinor : 0);
    const gross = entry.amount + (faults?.amountOff && pick('amount', faults.amountOff.share) ? faults.amountOff.byMinor : 0);
    if (onTime > asOf) {
      pending.push({ entry, kind, gross, fee, net: sign * gross - fee, committedAt: committed, settlesAt: onTime, batch: dayOf(onTime, offsetMs) });
      continue;
    }
    const settlesAt = onTime + (faults?.late && pick('late', faults.late.share) ? faults.late.by : 0);
    // Past its day but held back (late): in neither list, so the reader sees it overdue.
    if (settlesAt > asOf) continue;
    const line: SettlementLine = { entry, kind, gross, fee, net: sign * gross - fee, committedAt: committed, settlesAt, batch: dayOf(settlesAt, offsetMs) };
    due.push(line);
    if (faults && pick('duplicate', faults.duplicateLine)) due.push(line);
  }
  return { due, pending };
}

/** The start of the provider's day (its time zone) holding `ms`. */
function dayStart(ms: number, offsetMs: number): number {
  return Math.floor((ms + offsetMs) / DAY_MS) * DAY_MS - offsetMs;
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
