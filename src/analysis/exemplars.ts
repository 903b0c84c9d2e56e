import type { PaymentEvent } from './event.js';
import { keepSlowest, qualifies } from './slowest.js';

const latencyOf = (x: { readonly latencyMs: number }): number => x.latencyMs;

/**
 * Exemplar payments a run keeps with their trace ids (results.json `exemplars`): the slowest, and
 * the failed ones, so a reader goes from a figure to the trace of a payment behind it in Tempo or
 * Jaeger. Bounded whatever the run's length: the `limit` slowest (ties: the earlier kept), and
 * the first `limit` failed — the onset of a failure is where its cause shows. "Failed" is every
 * answer that was not a success: declined, errored, or left pending (outcome unknown). Only
 * payments that carry a trace id are kept (k6 output carries none). Pure: no I/O.
 */
export interface Exemplar {
  readonly traceId: string;
  readonly orderId: string;
  /** Scheduled start, ms since the run started. */
  readonly t: number;
  readonly variant: string;
  readonly provider: string;
  readonly outcome: PaymentEvent['outcome'];
  readonly errorCode?: string;
  readonly status: number;
  readonly latencyMs: number;
}

export interface ExemplarSet {
  /** Slowest first. */
  readonly slowest: readonly Exemplar[];
  /** In the order they were recorded. */
  readonly failed: readonly Exemplar[];
}

export const EXEMPLAR_LIMIT = 10;

export class Exemplars {
  readonly #limit: number;
  readonly #slowest: Exemplar[] = [];
  readonly #failed: Exemplar[] = [];

  constructor(limit = EXEMPLAR_LIMIT) {
    this.#limit = limit;
  }

  record(e: PaymentEvent): void {
    if (e.traceId === undefined) return;
    const slow = this.#slowest;
    const keepSlow = qualifies(slow, this.#limit, e.latencyMs, latencyOf);
    const keepFailed = e.outcome !== 'succeeded' && this.#failed.length < this.#limit;
    if (!keepSlow && !keepFailed) return;
    const x = exemplarOf(e, e.traceId);
    if (keepFailed) this.#failed.push(x);
    if (keepSlow) keepSlowest(slow, x, this.#limit, latencyOf);
  }

  snapshot(): ExemplarSet {
    return { slowest: [...this.#slowest], failed: [...this.#failed] };
  }
}

function exemplarOf(e: PaymentEvent, traceId: string): Exemplar {
  return {
    traceId,
    orderId: e.orderId,
    t: e.t,
    variant: e.variant,
    provider: e.provider,
    outcome: e.outcome,
    ...(e.errorCode !== undefined ? { errorCode: e.errorCode } : {}),
    status: e.status,
    latencyMs: e.latencyMs,
  };
}
