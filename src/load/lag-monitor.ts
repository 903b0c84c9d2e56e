import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * Watches the event loop while the driver runs. A loop that lags is a driver that sends late:
 * the open model then measures the harness, not the system. The lag is reported in results and
 * feeds the `driverHealthy` verdict.
 */
export class LagMonitor {
  readonly #h: IntervalHistogram;

  constructor(resolutionMs = 10) {
    this.#h = monitorEventLoopDelay({ resolution: resolutionMs });
  }

  start(): this {
    this.#h.enable();
    return this;
  }

  stop(): void {
    this.#h.disable();
  }

  /** p99 of the event-loop delay in ms (0 before any sample). */
  p99Ms(): number {
    return this.#h.count === 0 ? 0 : Math.round(this.#h.percentile(99) / 1e4) / 100;
  }

  maxMs(): number {
    return this.#h.count === 0 ? 0 : Math.round(this.#h.max / 1e4) / 100;
  }
}
