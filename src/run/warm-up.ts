import type { Results } from '../report/index.js';
import { driveBuiltin, type DriveOptions } from './drive-builtin.js';
import type { Recorder } from './recorder.js';
import { WarmupSettle } from './warm-up-settle.js';

export type WarmupOptions = Omit<DriveOptions, 'record' | 'placing' | 'overrides' | 'ramp' | 'rate' | 'durationMs' | 'onScheduled'> & {
  /** The first stage's rate: what the measured window starts at. */
  rate: number;
  /** The nominal warm-up: a ramp to `rate` over its first half, then `rate`. */
  durationMs: number;
  /** How long it may go on at `rate` past `durationMs` until its latency is flat (default: maxExtensionMs(durationMs)). */
  maxExtendMs?: number;
};

/** Where a ramped warm-up starts, as a share of its rate: a cold stack is not hit at full rate at once. */
export const WARMUP_START_SHARE = 0.1;

/** The longest a warm-up goes past its nominal length to settle: as long again (its cost stays bounded and foreseeable). */
export function maxExtensionMs(durationMs: number): number {
  return durationMs;
}

export interface WarmingUp {
  /** The warm-up's last arrival was released: the measured window starts now. */
  readonly handOver: Promise<void>;
  /** Resolves once its last shopper finished: results.warmup (undefined if the driver failed). */
  readonly section: Promise<Results['warmup']>;
}

/**
 * The warm-up phase: the built-in driver before the timeline starts and before the measured window
 * opens, so connections, JIT and pools are warm when the figures begin. Like a k6 ramp-up stage it
 * starts at WARMUP_START_SHARE of the first stage's rate and reaches it at half of `durationMs`,
 * then holds it — a cold stack hit at full rate builds a queue its spare capacity takes many
 * seconds to drain. At `durationMs` it ends once it has settled (warm-up-settle.ts: the system keeps
 * up and its latency is flat, neither draining a queue nor building one); until then it holds the
 * rate for up to `maxExtendMs` more, and results.warmup says how long it went on and whether it
 * settled.
 *
 *   0 ── ramp 10 % → 100 % ──▶ d/2 ── rate ──▶ d ── rate, until settled (≤ d + maxExtendMs) ──▶ hand over
 *
 * The measured window takes over as soon as the warm-up's last arrival is released (`handOver`),
 * so arrivals go on without a gap; the warm-up's last shoppers finish meanwhile and are still the
 * warm-up's (`section`).
 *
 * Its shoppers carry order ids of their own (`<run id>-warmup-…`): the measured shoppers' ids stay
 * what the traffic model gives them, and no two orders share one. Their payments go to the
 * recorder's warm-up tally and to ground truth (the invariants judge every order), never to
 * thresholds, the canary judge or the headline figures. No client faults are played on them.
 */
export function startWarmUp(options: WarmupOptions, recorder: Recorder): WarmingUp {
  const { maxExtendMs = maxExtensionMs(options.durationMs), ...drive } = options;
  let handOver!: () => void;
  const scheduled = new Promise<void>((resolve) => (handOver = resolve));
  const settle = new WarmupSettle(options.rate);
  // Ends the arrivals once settled past the nominal length; the run's own stop ends them too.
  const stop = new AbortController();
  const origin = performance.now();
  let settled = false;
  const watch = setInterval(() => {
    const now = performance.now() - origin;
    if (now < options.durationMs || !settle.settled(now)) return;
    settled = true;
    clearInterval(watch);
    stop.abort();
  }, 100);
  const rampMs = options.durationMs / 2;
  const drove = driveBuiltin({
    ...drive,
    ramp: { startRate: options.rate * WARMUP_START_SHARE, stages: [{ target: options.rate, durationMs: rampMs }, { target: options.rate, durationMs: options.durationMs - rampMs + maxExtendMs }] },
    signal: options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal,
    traffic: { ...options.traffic, runId: `${options.traffic.runId}-warmup` },
    record: (event) => {
      settle.record(performance.now() - origin, event.latencyMs);
      recorder.warmupPayment(event);
    },
    placing: (plan) => recorder.placing(plan),
    onScheduled: () => {
      clearInterval(watch);
      handOver();
    },
  });
  const section = drove.then(
    (d) =>
      recorder.warmup.section({
        durationS: d.elapsedMs / 1000,
        targetRate: options.rate,
        rampS: rampMs / 1000,
        extendedS: Math.max(0, d.elapsedMs - options.durationMs) / 1000,
        // A warm-up the run stopped early did not settle; one that ran out its extension did not either.
        settled: settled && !options.signal?.aborted,
        scheduledIterations: d.load.scheduledIterations,
        droppedIterations: d.load.droppedIterations,
      }),
    () => undefined,
  );
  const cleanUp = (): void => clearInterval(watch);
  drove.then(cleanUp, cleanUp);
  // A driver that failed before its last arrival must not hold the run: hand over anyway.
  return { handOver: Promise.race([scheduled, section.then(() => {})]), section };
}

/** The rate the measured window starts at: the constant rate, or a ramp's first stage (its higher end). */
export function warmupRate(load: { readonly rate: number; readonly ramp?: { readonly startRate: number; readonly stages: ReadonlyArray<{ readonly target: number }> } }): number {
  if (!load.ramp) return load.rate;
  return Math.max(load.ramp.startRate, load.ramp.stages[0]?.target ?? 0);
}
