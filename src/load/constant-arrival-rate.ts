import { paychaosError } from '../kernel/index.js';
import { runArrivals, type ArrivalStats, type Iteration } from './executor.js';
import { constantSchedule } from './schedule.js';

/**
 * k6's constant-arrival-rate executor: `rate` iterations per `timeUnit` for `duration`, with a
 * concurrency cap (k6's maxVUs analogue). See executor.ts for the open-model loop.
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
  /** Called once no further iteration will be released, before the running ones are awaited. */
  onScheduled?: () => void;
  /** Milliseconds on a monotonic clock; injectable for tests. */
  now?: () => number;
}

/** The stats of any arrival-rate run, under the name the demo uses. */
export type ArrivalRateStats = ArrivalStats;

export function validateArrivalRate(options: ArrivalRateOptions): void {
  const problems: string[] = [];
  if (!(options.rate > 0) || !Number.isFinite(options.rate)) problems.push(`rate: expected a positive number, got ${options.rate}`);
  if (!(options.durationMs > 0) || !Number.isFinite(options.durationMs)) problems.push(`durationMs: expected a positive number, got ${options.durationMs}`);
  if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1) problems.push(`maxInFlight: expected an integer >= 1, got ${options.maxInFlight}`);
  if (options.timeUnitMs !== undefined && !(options.timeUnitMs > 0)) problems.push(`timeUnitMs: expected a positive number, got ${options.timeUnitMs}`);
  if (problems.length) throw paychaosError('PAYCHAOS_ERR_LOAD_BAD_PROFILE', `invalid load profile:\n  ${problems.join('\n  ')}`, { problems });
}

export async function runConstantArrivalRate(options: ArrivalRateOptions, iteration: Iteration): Promise<ArrivalStats> {
  validateArrivalRate(options);
  return runArrivals(constantSchedule(options.rate, options.durationMs, options.timeUnitMs ?? 1000), options, iteration);
}
