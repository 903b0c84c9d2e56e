import { monitorEventLoopDelay } from 'node:perf_hooks';
import { paychaosError } from '../../src/kernel/index.js';
import type { SheddingSettings, Resolved } from './settings.js';

/**
 * Load shedding: beyond `maxInFlight` payments in flight, a new one is refused at once with 429
 * and Retry-After, before it costs a provider call, a key row or a timer. Past its capacity a
 * gateway that keeps accepting only grows its queue: every payment gets slower, the event loop
 * drowns, and the ones already in flight time out too. Refusing the excess early keeps the rest fast.
 *
 * The server asks `enter()` first on `POST /payments` and calls the slot's `release()` when the
 * answer is sent, on every path (a `finally`).
 */
export type ShedDecision = { readonly admitted: true; release(): void } | { readonly admitted: false; readonly status: 429; readonly retryAfterS: number; readonly inFlight: number };

export class LoadShedder {
  readonly #max: number;
  readonly #retryAfterS: number;
  readonly #maxDelayMs: number | undefined;
  readonly #delayMs: (() => number) | undefined;
  #inFlight = 0;
  #shed = 0;

  /** `eventLoopDelayMs` reads the loop's recent delay (eventLoopDelayProbe), used with `maxEventLoopDelayMs`. */
  constructor(settings: Resolved<Omit<SheddingSettings, 'maxEventLoopDelayMs'>> & Pick<SheddingSettings, 'maxEventLoopDelayMs'>, eventLoopDelayMs?: () => number) {
    this.#max = settings.maxInFlight;
    this.#retryAfterS = settings.retryAfterS;
    this.#maxDelayMs = settings.maxEventLoopDelayMs;
    this.#delayMs = eventLoopDelayMs;
  }

  enter(): ShedDecision {
    const drowning = this.#maxDelayMs !== undefined && this.#delayMs !== undefined && this.#delayMs() > this.#maxDelayMs;
    if (drowning || (this.#max > 0 && this.#inFlight >= this.#max)) {
      this.#shed++;
      return { admitted: false, status: 429, retryAfterS: this.#retryAfterS, inFlight: this.#inFlight };
    }
    this.#inFlight++;
    let released = false;
    return {
      admitted: true,
      // Idempotent: a release on two paths (an error after the answer) must not free two slots.
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight--;
      },
    };
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Payments refused since start. */
  get shed(): number {
    return this.#shed;
  }
}

/**
 * The answer to a shed payment, for the server to send as it is: 429, `Retry-After`, and the
 * coded error body every gateway refusal has.
 */
export function shedAnswer(decision: Extract<ShedDecision, { admitted: false }>): { status: 429; headers: { 'retry-after': string }; body: { error: { code: string; message: string; hint: string } } } {
  const err = paychaosError('PAYCHAOS_ERR_GATEWAY_OVERLOADED', `the gateway is at its bound of payments in flight (${decision.inFlight}); retry after ${decision.retryAfterS} s`);
  return { status: 429, headers: { 'retry-after': String(decision.retryAfterS) }, body: { error: { code: err.code, message: err.message, hint: err.hint } } };
}

/**
 * The event loop's p99 delay over the last `windowMs` (perf_hooks.monitorEventLoopDelay, reset
 * each window so an old stall does not shed forever). Close it with the server.
 */
export function eventLoopDelayProbe(windowMs = 1_000): { read(): number; close(): void } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last = 0;
  const timer = setInterval(() => {
    last = histogram.percentile(99) / 1e6;
    histogram.reset();
  }, windowMs);
  timer.unref();
  return {
    read: () => Math.max(last, histogram.count > 0 ? histogram.percentile(99) / 1e6 : 0),
    close: () => {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
