import { NORMALISED_CODES } from '../../src/conventions/index.js';
import type { ChargeResult } from '../clients/index.js';
import type { RetrySettings, Resolved } from './settings.js';

/**
 * When the gateway calls the same provider again for one payment, and how long it waits.
 *
 * Only where the normalised code's advice is `back_off` AND the charge certainly did not happen
 * (outcome `failed`: refused at connect, 429, a 503 before execution, an issuer not reachable).
 * Never for `query_first` (provider_error, outcome_unknown — a timeout after sending): the charge
 * may exist, so it is settled by a status query, not by calling again. Every retry carries the
 * same provider key as the first call, so even a retry the gateway got wrong cannot charge twice.
 */
export function mayRetry(result: ChargeResult): boolean {
  if (result.outcome !== 'failed' || result.errorCode === undefined) return false;
  return NORMALISED_CODES[result.errorCode] === 'back_off';
}

/**
 * A timed-out call: sent, no answer in time. Only the `retryWithNewKey` regression retries it —
 * under a fresh key, which is the classic double charge.
 */
export function timedOut(result: ChargeResult): boolean {
  return result.outcome === 'pending' && result.errorCode === 'outcome_unknown';
}

/**
 * Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): the n-th retry (n ≥ 1)
 * waits a uniform random time in [0, min(cap, base·2ⁿ⁻¹)], so clients that failed together do
 * not come back together.
 */
export function fullJitterMs(retry: number, settings: Pick<Resolved<RetrySettings>, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The retry budget (as Finagle's RetryBudget and gRPC's retry throttling do): over a sliding
 * window, retries may be at most `budgetRatio` of first attempts plus `budgetMinRetries`. When a
 * provider fails everything, retries add at most that share of load instead of doubling it.
 * Counted in one-second buckets, so memory is bounded by the window, not by traffic.
 */
export class RetryBudget {
  readonly #ratio: number;
  readonly #minRetries: number;
  readonly #bucketMs: number;
  readonly #buckets: Array<{ at: number; requests: number; retries: number }>;
  readonly #now: () => number;

  constructor(settings: Pick<Resolved<RetrySettings>, 'budgetRatio' | 'budgetMinRetries' | 'budgetWindowMs'>, now: () => number = () => performance.now()) {
    this.#ratio = settings.budgetRatio;
    this.#minRetries = settings.budgetMinRetries;
    const count = Math.max(1, Math.ceil(settings.budgetWindowMs / 1000));
    this.#bucketMs = settings.budgetWindowMs / count;
    this.#buckets = Array.from({ length: count }, () => ({ at: -Infinity, requests: 0, retries: 0 }));
    this.#now = now;
  }

  /** A first attempt was made: it earns `budgetRatio` of a retry. */
  recordRequest(): void {
    this.#bucket().requests++;
  }

  /** Take one retry from the budget; false when it is spent (the caller must not retry). */
  tryWithdraw(): boolean {
    const { requests, retries } = this.totals();
    if (retries + 1 > this.#minRetries + this.#ratio * requests) return false;
    this.#bucket().retries++;
    return true;
  }

  totals(): { requests: number; retries: number } {
    const oldest = this.#slot() - this.#buckets.length + 1;
    let requests = 0;
    let retries = 0;
    for (const b of this.#buckets) {
      if (b.at >= oldest) {
        requests += b.requests;
        retries += b.retries;
      }
    }
    return { requests, retries };
  }

  #slot(): number {
    return Math.floor(this.#now() / this.#bucketMs);
  }

  #bucket(): { at: number; requests: number; retries: number } {
    const slot = this.#slot();
    const b = this.#buckets[((slot % this.#buckets.length) + this.#buckets.length) % this.#buckets.length]!;
    if (b.at !== slot) {
      b.at = slot;
      b.requests = 0;
      b.retries = 0;
    }
    return b;
  }
}
