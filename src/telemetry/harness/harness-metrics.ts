import { metrics, type Attributes, type Counter, type Gauge, type Histogram, type Meter } from '@opentelemetry/api';
import type { PaymentEvent } from '../../analysis/index.js';
import { ATTR, DURATION_BUCKETS_S } from '../../conventions/index.js';
import { pullMeter, type PullMeter } from '../../kernel/index.js';
import { RecoveryWatch } from './recovery-watch.js';

/**
 * The harness's own metrics (DESIGN.md "Telemetry conventions"): what the load driver saw, and
 * when faults were on, so a dashboard can put the two side by side and shade the fault windows.
 *
 *   paychaos.client.requests  counter    → paychaos_client_requests_total
 *   paychaos.client.duration  histogram  → paychaos_client_duration_seconds_bucket|_sum|_count
 *   paychaos.fault.active     gauge      → paychaos_fault_active{fault, target} (1 on, 0 off)
 *   paychaos.recovery         gauge, s   → paychaos_recovery_seconds{fault, target}: time to
 *                                          recover after a step (RecoveryWatch), set once the
 *                                          step's target answers a payment itself again
 *
 * Every point goes to two meters, as the gateway's do (gateway/metrics.ts): the global one, for
 * OTLP when the user started an SDK (the collector's exporter appends the unit), and a private
 * pull meter (the kernel's pullMeter) behind the run's own GET /metrics, whose histogram carries
 * `_seconds` in its name because the OTel Prometheus exporter does not add it.
 *
 * Labels are bounded: provider, method, variant, outcome, normalised error code (empty on
 * success), and on every series (fault windows too) the run measured: paychaos_scenario and
 * paychaos_run, the same labels the run's gateways put on theirs, so a dashboard's scenario and
 * run variables pick one run's driver, gateways and fault windows together. Without them (a
 * HarnessMetrics outside a run) the two are left out, as a standalone gateway leaves them out. Latency is the driver's open-model latency (from the scheduled start), in seconds,
 * on the conventions' second-scale buckets.
 */
/** The run these metrics measure: paychaos_scenario and paychaos_run on every point. */
export interface HarnessRun {
  readonly scenario?: string;
  readonly runId?: string;
}

export interface FaultWindow {
  /** The step's id (results.faults[].id): the `fault` label. */
  readonly id: string;
  readonly target: string;
}

interface Instruments {
  readonly requests: Counter;
  readonly duration: Histogram;
  readonly faultActive: Gauge;
  readonly recovery: Gauge;
}

/** Distinct provider label values kept before the rest are labelled `other` (a user's gateway may answer anything). */
const MAX_PROVIDERS = 64;

export class HarnessMetrics {
  readonly #pull: PullMeter;
  readonly #own: Instruments;
  readonly #global: Instruments;
  readonly #providers = new Set<string>();
  readonly #run: Attributes;
  readonly #recovery = new RecoveryWatch();

  constructor(run: HarnessRun = {}, scope = 'paychaos-harness') {
    this.#run = {
      ...(run.scenario !== undefined ? { [ATTR.scenario]: run.scenario } : {}),
      ...(run.runId !== undefined ? { [ATTR.run]: run.runId } : {}),
    };
    this.#pull = pullMeter(scope);
    this.#own = instruments(this.#pull.meter, '_seconds');
    this.#global = instruments(metrics.getMeter(scope), '');
  }

  /** One payment submit as the driver saw it (one PaymentEvent). */
  recordPayment(e: PaymentEvent): void {
    const attrs: Attributes = {
      [ATTR.provider]: this.#provider(e.provider),
      [ATTR.method]: e.method ?? 'unknown',
      [ATTR.variant]: e.variant,
      [ATTR.outcome]: e.outcome,
      [ATTR.errorCode]: e.errorCode ?? '',
      ...this.#run,
    };
    const seconds = e.latencyMs / 1000;
    this.#own.requests.add(1, attrs);
    this.#global.requests.add(1, attrs);
    this.#own.duration.record(seconds, attrs);
    this.#global.duration.record(seconds, attrs);
    for (const r of this.#recovery.record(e)) {
      const at = { fault: r.fault, target: r.target, ...this.#run };
      this.#own.recovery.record(r.seconds, at);
      this.#global.recovery.record(r.seconds, at);
    }
  }

  /** A fault step was applied: its series reads 1 until faultEnded. */
  faultStarted(step: FaultWindow): void {
    this.#fault(step, 1);
  }

  /**
   * A fault step was undone (or failed): its series reads 0, so the window's end is visible too.
   * With `atMs` (the payments' clock, PaymentEvent.t) the step's time to recover is watched for.
   */
  faultEnded(step: FaultWindow, atMs?: number): void {
    this.#fault(step, 0);
    if (atMs !== undefined) this.#recovery.ended(step.id, step.target, atMs);
  }

  /** The Prometheus text exposition of everything recorded so far. */
  text(): Promise<string> {
    return this.#pull.text();
  }

  close(): Promise<void> {
    return this.#pull.close();
  }

  #fault(step: FaultWindow, value: 0 | 1): void {
    const attrs = { fault: step.id, target: step.target, ...this.#run };
    this.#own.faultActive.record(value, attrs);
    this.#global.faultActive.record(value, attrs);
  }

  #provider(p: string): string {
    if (this.#providers.has(p)) return p;
    if (this.#providers.size >= MAX_PROVIDERS) return 'other';
    this.#providers.add(p);
    return p;
  }
}

/** `unitSuffix`: `_seconds` for the pull meter, whose exporter does not append the unit; '' for OTLP. */
function instruments(meter: Meter, unitSuffix: '_seconds' | ''): Instruments {
  return {
    requests: meter.createCounter('paychaos.client.requests', { description: 'Payment submits the load driver made, by what it saw (outcome and normalised error code)' }),
    duration: meter.createHistogram(`paychaos.client.duration${unitSuffix}`, { description: 'Payment latency as the load driver saw it, from the scheduled start (open model)', unit: 's', advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_S] } }),
    faultActive: meter.createGauge('paychaos.fault.active', { description: '1 while a fault step is active, 0 once it ended; labels fault (the step id) and target' }),
    recovery: meter.createGauge(`paychaos.recovery${unitSuffix}`, { description: "Time to recover after a fault step: from the step's end to the first payment its target answered itself again", unit: 's' }),
  };
}
