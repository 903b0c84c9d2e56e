import type { LoadSection } from '../load-section.js';
import type { K6RunStats } from './k6-events.js';

/** The span the payment samples cover, in seconds (0 when there were none). */
export function k6SpanS(stats: K6RunStats): number {
  if (stats.firstStartMs === undefined || stats.lastEndMs === undefined) return 0;
  return Math.max(0, stats.lastEndMs - stats.firstStartMs) / 1000;
}

/**
 * results.json's `load` section for a k6 run, from what its samples say. k6's output does not
 * carry the configured rate, so unless given, the target is estimated as the arrival-rate
 * executor's offered load: every scheduled iteration either ran or was dropped.
 * k6 has no event loop paychaos can watch: its health is "no dropped iterations".
 */
export function k6LoadSection(stats: K6RunStats, targetRate?: number): LoadSection {
  const spanS = k6SpanS(stats);
  const done = stats.iterations > 0 ? stats.iterations : stats.payments;
  const scheduled = Math.round(done + stats.droppedIterations);
  const perS = (n: number): number => (spanS > 0 ? Math.round((n / spanS) * 1000) / 1000 : 0);
  return {
    engine: 'k6',
    targetRate: targetRate ?? perS(scheduled),
    achievedRate: perS(done),
    scheduledIterations: scheduled,
    droppedIterations: Math.round(stats.droppedIterations),
    maxInFlight: Math.round(stats.maxVus),
    eventLoopLagP99Ms: 0,
    driverHealthy: stats.droppedIterations === 0,
  };
}
