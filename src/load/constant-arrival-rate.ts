import { paychaosError } from '../errors.js';

/**
 * k6's constant-arrival-rate executor, in-process: iteration i is *scheduled* at
 * start + i × (timeUnit / rate), whether or not earlier ones have finished (open model).
 * When `maxInFlight` iterations are already running, a due iteration is not started and is
 * counted in `dropped` — k6's dropped_iterations — instead of silently sending later.
 *
 * Each iteration is given its scheduled time, so latency is measured from when the shopper
 * arrived, not from when the harness got round to sending: no coordinated omission.
 */
export interface ArrivalRateOptions {
  /** Iterations per timeUnit. */
  rate: number;
  /** Defaults to 1000 ms (rate per second). */
  timeUnitMs?: number;
  durationMs: number;
  /** Concurrency cap, k6's maxVUs analogue. */
  maxInFlight: number;
  /** Stops scheduling early (Ctrl-C). */
  signal?: AbortSignal;
  /** Milliseconds on a monotonic clock; injectable for tests. */
  now?: () => number;
}

export interface ArrivalRateStats {
  scheduled: number;
  started: number;
  dropped: number;
  maxInFlightSeen: number;
  /** Actual scheduling window in ms (shorter than durationMs when aborted). */
  elapsedMs: number;
}

/** Called for each started iteration with its index and its scheduled time (same clock as `now`). */
export type Iteration = (index: number, scheduledAt: number) => Promise<void>;

export function validateArrivalRate(options: ArrivalRateOptions): void {
  const problems: string[] = [];
  if (!(options.rate > 0) || !Number.isFinite(options.rate)) problems.push(`rate: expected a positive number, got ${options.rate}`);
  if (!(options.durationMs > 0) || !Number.isFinite(options.durationMs)) problems.push(`durationMs: expected a positive number, got ${options.durationMs}`);
  if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1) problems.push(`maxInFlight: expected an integer >= 1, got ${options.maxInFlight}`);
  if (options.timeUnitMs !== undefined && !(options.timeUnitMs > 0)) problems.push(`timeUnitMs: expected a positive number, got ${options.timeUnitMs}`);
  if (problems.length) throw paychaosError('PAYCHAOS_ERR_LOAD_BAD_PROFILE', `invalid load profile:\n  ${problems.join('\n  ')}`, { problems });
}

export async function runConstantArrivalRate(options: ArrivalRateOptions, iteration: Iteration): Promise<ArrivalRateStats> {
  validateArrivalRate(options);
  const now = options.now ?? (() => performance.now());
  const intervalMs = (options.timeUnitMs ?? 1000) / options.rate;
  const total = Math.floor(options.durationMs / intervalMs);
  const start = now();
  const stats: ArrivalRateStats = { scheduled: 0, started: 0, dropped: 0, maxInFlightSeen: 0, elapsedMs: 0 };
  const running = new Set<Promise<void>>();

  while (stats.scheduled < total && !options.signal?.aborted) {
    const elapsed = now() - start;
    // Everything due by now is released in this tick, even if the timer woke late.
    const due = Math.min(total, Math.floor(elapsed / intervalMs) + 1);
    for (; stats.scheduled < due; stats.scheduled++) {
      if (running.size >= options.maxInFlight) {
        stats.dropped++;
        continue;
      }
      const p: Promise<void> = iteration(stats.scheduled, start + stats.scheduled * intervalMs)
        .catch(() => {})
        .finally(() => running.delete(p));
      running.add(p);
      stats.started++;
      if (running.size > stats.maxInFlightSeen) stats.maxInFlightSeen = running.size;
    }
    if (stats.scheduled >= total) break;
    const nextAt = start + stats.scheduled * intervalMs;
    await sleep(Math.max(0, nextAt - now()), options.signal);
  }
  stats.elapsedMs = Math.min(now() - start, options.durationMs);
  await Promise.all(running);
  return stats;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
