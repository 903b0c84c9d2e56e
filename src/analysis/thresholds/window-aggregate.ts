import type { PaymentEvent } from '../event.js';
import { LatencyHistogram } from '../latency-histogram.js';

/** What one threshold needs of the payments in a span of time: counts, hits, and (for a trend) latencies. */
export class Tally {
  events = 0;
  hits = 0;
  readonly latency: LatencyHistogram | undefined;

  constructor(withLatency: boolean, digits = 3) {
    this.latency = withLatency ? new LatencyHistogram({ digits }) : undefined;
  }

  add(event: PaymentEvent, hit: boolean): void {
    this.events++;
    if (hit) this.hits++;
    this.latency?.record(event.latencyMs);
  }

  merge(other: Tally): void {
    this.events += other.events;
    this.hits += other.hits;
    if (other.latency) this.latency?.add(other.latency);
  }
}

/**
 * A threshold's payments by second of their scheduled start, so it can be judged over any window
 * (`during` a fault step, `after` it) once the fault's actual start and end are known. Memory is
 * one small tally per second of the run (a 2-digit histogram only for trends): bounded by the
 * run's length, not its rate.
 */
export class PerSecond {
  readonly #seconds = new Map<number, Tally>();
  readonly #withLatency: boolean;

  constructor(withLatency: boolean) {
    this.#withLatency = withLatency;
  }

  add(event: PaymentEvent, hit: boolean): void {
    const s = Math.max(0, Math.floor(event.t / 1000));
    let tally = this.#seconds.get(s);
    if (!tally) this.#seconds.set(s, (tally = new Tally(this.#withLatency, 2)));
    tally.add(event, hit);
  }

  /** Everything scheduled in [fromS, toS). */
  over(fromS: number, toS: number): Tally {
    const out = new Tally(this.#withLatency, 2);
    for (const [s, tally] of this.#seconds) if (s >= Math.floor(fromS) && s < Math.ceil(toS)) out.merge(tally);
    return out;
  }
}
