import { runArrivals, type ArrivalStats, type ExecutorOptions, type Iteration } from './executor.js';
import { rampingSchedule, type Stage } from './schedule.js';

/**
 * k6's ramping-arrival-rate executor: from `startRate` (default 0) the arrival rate moves
 * linearly to each stage's `target` over its `duration` (per `timeUnit`, default 1 s), with a
 * concurrency cap (k6's maxVUs analogue). A bad profile is PAYCHAOS_ERR_LOAD_BAD_PROFILE naming
 * every field at fault (schedule.ts). The open-model loop is executor.ts's.
 */
export interface RampingArrivalRateOptions extends ExecutorOptions {
  startRate?: number;
  stages: readonly Stage[];
  timeUnitMs?: number;
}

export async function runRampingArrivalRate(options: RampingArrivalRateOptions, iteration: Iteration): Promise<ArrivalStats> {
  return runArrivals(rampingSchedule(options.startRate ?? 0, options.stages, options.timeUnitMs ?? 1000), options, iteration);
}
