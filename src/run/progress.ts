import type { PaymentEvent } from '../analysis/index.js';

/** What a run is doing right now, for a live display (src/cli) — never part of the results. */
export interface RunProgress {
  readonly scenario: string;
  /** stack, drive, ground-truth … (the recorder's phases). */
  readonly phase: string;
  readonly elapsedS: number;
  readonly totalS: number;
  /** Arrivals per second the schedule asks for now (a ramp moves), and the run's peak. */
  readonly targetRate: number;
  readonly peakRate: number;
  /** Payments answered per second over the last few seconds. */
  readonly currentRate: number;
  /** Over the whole run so far; null before the first answer. */
  readonly successRate: number | null;
  /** Over the last few seconds; null when nothing was answered. */
  readonly p99Ms: number | null;
  readonly requests: number;
  /** Ids of the fault steps in effect. */
  readonly activeFaults: readonly string[];
}

const WINDOW_S = 5;
/** Latencies kept per second for the live p99: bounded memory whatever the rate. */
const SAMPLES_PER_SECOND = 2000;

/**
 * Live figures from the payments as they are recorded: totals, and the last WINDOW_S seconds of
 * answers by the second they arrived (not their scheduled start: a live view shows what is
 * happening now). Memory is WINDOW_S small buckets.
 */
export class LiveStats {
  #requests = 0;
  #succeeded = 0;
  readonly #buckets = new Map<number, { count: number; latencies: number[] }>();
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  record(event: PaymentEvent): void {
    this.#requests++;
    if (event.outcome === 'succeeded') this.#succeeded++;
    const second = Math.floor(this.#now() / 1000);
    let bucket = this.#buckets.get(second);
    if (!bucket) {
      this.#buckets.set(second, (bucket = { count: 0, latencies: [] }));
      for (const s of this.#buckets.keys()) if (s <= second - WINDOW_S) this.#buckets.delete(s);
    }
    bucket.count++;
    if (bucket.latencies.length < SAMPLES_PER_SECOND) bucket.latencies.push(event.latencyMs);
  }

  snapshot(): Pick<RunProgress, 'currentRate' | 'successRate' | 'p99Ms' | 'requests'> {
    const second = Math.floor(this.#now() / 1000);
    const recent = [...this.#buckets.entries()].filter(([s]) => s > second - WINDOW_S && s <= second).map(([, b]) => b);
    const count = recent.reduce((n, b) => n + b.count, 0);
    const latencies = recent.flatMap((b) => b.latencies).sort((a, b) => a - b);
    const p99 = latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)]! : null;
    return {
      currentRate: Math.round((count / WINDOW_S) * 10) / 10,
      successRate: this.#requests ? this.#succeeded / this.#requests : null,
      p99Ms: p99 === null ? null : Math.round(p99 * 10) / 10,
      requests: this.#requests,
    };
  }
}
