import type { Results } from '../report/index.js';
import { driveBuiltin, type DriveOptions } from './drive-builtin.js';
import type { Recorder } from './recorder.js';

export type WarmupOptions = Omit<DriveOptions, 'record' | 'placing' | 'overrides' | 'ramp' | 'rate' | 'durationMs' | 'onScheduled'> & {
  /** The first stage's rate: what the measured window starts at. */
  rate: number;
  durationMs: number;
};

export interface WarmingUp {
  /** The warm-up's last arrival was released: the measured window starts now. */
  readonly handOver: Promise<void>;
  /** Resolves once its last shopper finished: results.warmup (undefined if the driver failed). */
  readonly section: Promise<Results['warmup']>;
}

/**
 * The warm-up phase: the built-in driver at the first stage's rate for `durationMs`, before the
 * timeline starts and before the measured window opens, so connections, JIT and pools are warm
 * when the figures begin. The measured window takes over as soon as the warm-up's last arrival is
 * released (`handOver`), so arrivals go on without a gap; the warm-up's last shoppers finish
 * meanwhile and are still the warm-up's (`section`).
 *
 * Its shoppers carry order ids of their own (`<run id>-warmup-…`): the measured shoppers' ids stay
 * what the traffic model gives them, and no two orders share one. Their payments go to the
 * recorder's warm-up tally and to ground truth (the invariants judge every order), never to
 * thresholds, the canary judge or the headline figures. No client faults are played on them.
 */
export function startWarmUp(options: WarmupOptions, recorder: Recorder): WarmingUp {
  let handOver!: () => void;
  const scheduled = new Promise<void>((resolve) => (handOver = resolve));
  const drove = driveBuiltin({
    ...options,
    traffic: { ...options.traffic, runId: `${options.traffic.runId}-warmup` },
    record: (event) => recorder.warmupPayment(event),
    placing: (plan) => recorder.placing(plan),
    onScheduled: handOver,
  });
  const section = drove.then(
    (d) =>
      recorder.warmup.section({
        durationS: d.elapsedMs / 1000,
        targetRate: options.rate,
        scheduledIterations: d.load.scheduledIterations,
        droppedIterations: d.load.droppedIterations,
      }),
    () => undefined,
  );
  // A driver that failed before its last arrival must not hold the run: hand over anyway.
  return { handOver: Promise.race([scheduled, section.then(() => {})]), section };
}

/** The rate the measured window starts at: the constant rate, or a ramp's first stage (its higher end). */
export function warmupRate(load: { readonly rate: number; readonly ramp?: { readonly startRate: number; readonly stages: ReadonlyArray<{ readonly target: number }> } }): number {
  if (!load.ramp) return load.rate;
  return Math.max(load.ramp.startRate, load.ramp.stages[0]?.target ?? 0);
}
