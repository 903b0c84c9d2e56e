import { HEALTHY_LAG_P99_MS, type PaymentEvent, round3 } from '../analysis/index.js';
import { LagMonitor, planShopperWith, playShopper, runConstantArrivalRate, runRampingArrivalRate, type ApiShape, type HttpTarget, type Iteration, type LoadSection, type ShopperPlan, type Stage, type TrafficConfig, type TrafficOverrides } from '../load/index.js';
import type { AssertionResult } from '../report/index.js';
import type { Variant } from '../conventions/index.js';

export { HEALTHY_LAG_P99_MS };

export interface DriveOptions {
  /** Shoppers per second: constant-arrival-rate's rate, or a ramp's peak (what results call the target rate). */
  rate: number;
  durationMs: number;
  /** ramping-arrival-rate (k6 stages): the rate moves linearly from startRate through each stage's target. */
  ramp?: { readonly startRate: number; readonly stages: readonly Stage[] };
  maxInFlight: number;
  targets: Partial<Record<Variant, HttpTarget>>;
  traffic: Readonly<TrafficConfig>;
  /** Client fault steps in force (duplicate submits, double clicks…): read as each shopper is planned. */
  overrides?: TrafficOverrides;
  /** Stops the arrivals (Ctrl-C). */
  signal?: AbortSignal;
  /** Cuts in-flight requests (after the interrupt's grace). */
  cut: AbortSignal;
  record(event: PaymentEvent): void;
  /** An order's first submit is being sent (PlayContext.placing). */
  placing?(plan: ShopperPlan): void;
  /** Your gateway's own API, when it is not the reference gateway's. */
  api?: ApiShape;
  /** The last arrival was released (or the arrivals were stopped); in-flight shoppers may still be running. */
  onScheduled?: () => void;
}

export interface DriveOutcome {
  load: LoadSection;
  elapsedMs: number;
  abortedInFlight: number;
  /** Extra assertions the engine vouches for (the built-in driver: its own health). */
  assertions: AssertionResult[];
}

/** Who a drop is blamed on: the driver when its loop lagged, else the system that held every slot. */
function droppedBecause(dropped: number, lagP99: number, maxInFlight: number): string {
  if (dropped === 0) return '';
  if (lagP99 >= HEALTHY_LAG_P99_MS) return ' (the driver fell behind: its event loop lagged, so the harness was the bottleneck)';
  return ` (the system under test was the bottleneck: all ${maxInFlight} in-flight shoppers were waiting on its answers)`;
}

/** Drive the shared traffic model with the built-in open-model driver. */
export async function driveBuiltin(o: DriveOptions): Promise<DriveOutcome> {
  const lag = new LagMonitor().start();
  let abortedInFlight = 0;
  const t0 = performance.now();
  let stats;
  try {
    const shopper: Iteration = (index, scheduledAt) =>
      playShopper(planShopperWith({ index, timeMs: scheduledAt - t0 }, o.traffic, o.overrides), scheduledAt, { targets: o.targets, t0, cut: o.cut, record: o.record, aborted: () => void abortedInFlight++, ...(o.placing ? { placing: o.placing } : {}), ...(o.api ? { api: o.api } : {}) });
    const stop = { ...(o.signal ? { signal: o.signal } : {}), ...(o.onScheduled ? { onScheduled: o.onScheduled } : {}) };
    stats = o.ramp
      ? await runRampingArrivalRate({ startRate: o.ramp.startRate, stages: o.ramp.stages, maxInFlight: o.maxInFlight, ...stop }, shopper)
      : await runConstantArrivalRate({ rate: o.rate, durationMs: o.durationMs, maxInFlight: o.maxInFlight, ...stop }, shopper);
  } finally {
    lag.stop();
  }
  const elapsedS = stats.elapsedMs / 1000;
  const lagP99 = lag.p99Ms();
  const driverHealthy = stats.dropped === 0 && lagP99 < HEALTHY_LAG_P99_MS;
  return {
    elapsedMs: stats.elapsedMs,
    abortedInFlight,
    load: {
      engine: 'builtin',
      targetRate: o.rate,
      achievedRate: elapsedS > 0 ? round3(stats.started / elapsedS) : 0,
      scheduledIterations: stats.scheduled,
      droppedIterations: stats.dropped,
      maxInFlight: stats.maxInFlightSeen,
      eventLoopLagP99Ms: lagP99,
      driverHealthy,
    },
    // The harness vouches for itself first, as two figures: its own loop's lag (the harness's
    // health), and shoppers dropped — which, with a healthy loop, means every in-flight slot was
    // waiting on the system under test, so the name blames the part that was the bottleneck.
    assertions: [
      { name: `driver_healthy (event-loop lag p99 < ${HEALTHY_LAG_P99_MS} ms)`, passed: lagP99 < HEALTHY_LAG_P99_MS, measured: lagP99, threshold: HEALTHY_LAG_P99_MS },
      { name: `driver_dropped_iterations = 0${droppedBecause(stats.dropped, lagP99, o.maxInFlight)}`, passed: stats.dropped === 0, measured: stats.dropped, threshold: 0 },
      // A shopper that threw measured nothing: the run under-reports, so it cannot pass.
      ...(stats.errors > 0 ? [{ name: 'driver_errors = 0 (shoppers the harness failed to play)', passed: false, measured: stats.errors, threshold: 0 }] : []),
    ],
  };
}
