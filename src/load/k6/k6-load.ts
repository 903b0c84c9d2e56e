import type { LoadSection } from '../load-section.js';
import type { K6RunStats } from './k6-events.js';

/** The span the payment samples cover, in seconds (0 when there were none). */
export function k6SpanS(stats: K6RunStats): number {
  if (stats.firstStartMs === undefined || stats.lastEndMs === undefined) return 0;
  return Math.max(0, stats.lastEndMs - stats.firstStartMs) / 1000;
}

/**
 * The seconds the shoppers arrived in — the scenario's duration, not the graceful stop after it,
 * where late shoppers only finish. From the schedule the scenarios' tags record (the longest,
 * as scenarios run side by side); else measured from the first submits' starts: n arrivals
 * evenly spaced span n − 1 gaps, so the window is that span × n / (n − 1).
 */
export function k6ArrivalWindowS(stats: K6RunStats): number {
  if (stats.arrivals.length > 0) return Math.max(...stats.arrivals.map((a) => a.windowS));
  return k6MeasuredArrivalWindowS(stats);
}

/** The arrival window measured from the first submits alone (a run cut short, or untagged output). */
export function k6MeasuredArrivalWindowS(stats: K6RunStats): number {
  const f = stats.firstSubmits;
  if (f.firstStartMs === undefined || f.lastStartMs === undefined || f.count < 2) return k6SpanS(stats);
  return ((f.lastStartMs - f.firstStartMs) / 1000) * (f.count / (f.count - 1));
}

export interface K6LoadOptions {
  /** The rate the run was configured for; else the scenarios' recorded schedule, else estimated. */
  targetRate?: number;
  /** The arrival window in seconds; default k6ArrivalWindowS. */
  windowS?: number;
}

/**
 * results.json's `load` section for a k6 run, from what its samples say. Rates are per second of
 * the arrival window. Unless given, the target is the scenarios' schedule (their tags: scheduled
 * iterations over the window); for output without those tags it is estimated as the executor's
 * offered load — every scheduled iteration either ran or was dropped.
 * k6 has no event loop paychaos can watch: its health is "no dropped iterations".
 */
export function k6LoadSection(stats: K6RunStats, options: K6LoadOptions = {}): LoadSection {
  const windowS = options.windowS ?? k6ArrivalWindowS(stats);
  // k6 counts an iteration when it ends; without those samples, a shopper is a first submit.
  const done = stats.iterations > 0 ? stats.iterations : stats.firstSubmits.count || stats.payments;
  const scheduled = Math.round(done + stats.droppedIterations);
  const perS = (n: number): number => (windowS > 0 ? Math.round((n / windowS) * 1000) / 1000 : 0);
  const recorded = stats.arrivals.length > 0 ? perS(stats.arrivals.reduce((sum, a) => sum + a.scheduled, 0)) : undefined;
  return {
    engine: 'k6',
    targetRate: options.targetRate ?? recorded ?? perS(scheduled),
    achievedRate: perS(done),
    scheduledIterations: scheduled,
    droppedIterations: Math.round(stats.droppedIterations),
    maxInFlight: Math.round(stats.maxVus),
    eventLoopLagP99Ms: 0,
    driverHealthy: stats.droppedIterations === 0,
  };
}
