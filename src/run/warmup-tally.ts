import { LatencyHistogram, round3, type PaymentEvent } from '../analysis/index.js';
import type { Results } from '../report/index.js';

/**
 * What the warm-up phase measured, kept apart from the run's aggregate: the first seconds open
 * connections, warm the JIT and fill pools, and their latencies describe start-up, not the
 * system under load. They are reported on their own (results.warmup) so nobody reads them as the
 * system's p99, and so nobody wonders where they went. Pure: no I/O, no clock.
 */
export class WarmupTally {
  readonly #latency = new LatencyHistogram();
  #requests = 0;
  #succeeded = 0;
  #failed = 0;
  #pending = 0;

  record(event: PaymentEvent): void {
    this.#requests++;
    if (event.outcome === 'succeeded') this.#succeeded++;
    else if (event.outcome === 'failed') this.#failed++;
    else this.#pending++;
    this.#latency.record(event.latencyMs);
  }

  get requests(): number {
    return this.#requests;
  }

  /** results.warmup, given how the driver did during the phase. */
  section(driven: { durationS: number; targetRate: number; rampS: number; extendedS: number; settled: boolean; scheduledIterations: number; droppedIterations: number }): NonNullable<Results['warmup']> {
    const { count: _count, ...latencyMs } = this.#latency.summary();
    return {
      durationS: round3(driven.durationS),
      targetRate: driven.targetRate,
      rampS: round3(driven.rampS),
      extendedS: round3(driven.extendedS),
      settled: driven.settled,
      scheduledIterations: driven.scheduledIterations,
      droppedIterations: driven.droppedIterations,
      requests: this.#requests,
      succeeded: this.#succeeded,
      failed: this.#failed,
      pending: this.#pending,
      successRate: this.#requests === 0 ? 0 : this.#succeeded / this.#requests,
      latencyMs,
    };
  }
}
