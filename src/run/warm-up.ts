import type { Results } from '../report/index.js';
import { driveBuiltin, type DriveOptions } from './drive-builtin.js';
import type { Recorder } from './recorder.js';

export type WarmupOptions = Omit<DriveOptions, 'record' | 'placing' | 'overrides' | 'ramp' | 'rate' | 'durationMs'> & {
  /** The first stage's rate: what the measured window starts at. */
  rate: number;
  durationMs: number;
};

/**
 * The warm-up phase: the built-in driver at the first stage's rate for `durationMs`, before the
 * timeline starts and before the measured window opens, so connections, JIT and pools are warm
 * when the figures begin. Its shoppers carry order ids of their own (`<run id>-warmup-…`): the
 * measured shoppers' ids stay what the traffic model gives them, and no two orders share one.
 * Their payments go to the recorder's warm-up tally and to ground truth (the invariants judge
 * every order), never to thresholds, the canary judge or the headline figures. No client faults
 * are played on warm-up shoppers.
 */
export async function warmUp(options: WarmupOptions, recorder: Recorder): Promise<NonNullable<Results['warmup']>> {
  const drove = await driveBuiltin({
    ...options,
    traffic: { ...options.traffic, runId: `${options.traffic.runId}-warmup` },
    record: (event) => recorder.warmupPayment(event),
    placing: (plan) => recorder.placing(plan),
  });
  return recorder.warmup.section({
    durationS: drove.elapsedMs / 1000,
    targetRate: options.rate,
    scheduledIterations: drove.load.scheduledIterations,
    droppedIterations: drove.load.droppedIterations,
  });
}

/** The rate the measured window starts at: the constant rate, or a ramp's first stage (its higher end). */
export function warmupRate(load: { readonly rate: number; readonly ramp?: { readonly startRate: number; readonly stages: ReadonlyArray<{ readonly target: number }> } }): number {
  if (!load.ramp) return load.rate;
  return Math.max(load.ramp.startRate, load.ramp.stages[0]?.target ?? 0);
}
