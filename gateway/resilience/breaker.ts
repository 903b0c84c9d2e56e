import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhenResult, type CircuitBreakerPolicy } from 'cockatiel';
import type { ChargeResult } from '../clients/index.js';
import type { BreakerSettings, Resolved } from './settings.js';

/**
 * A circuit breaker per provider, on cockatiel 3.2.1.
 *
 * Why cockatiel rather than opossum: our clients never throw — a 5xx, a refused connection or a
 * timeout is a ChargeResult — and cockatiel counts *results* as failures (`handleWhenResult`)
 * where opossum counts only rejections, so every call would have to be turned into a throw and
 * back. cockatiel is typed TypeScript with no timers of its own (opossum keeps a rolling-stats
 * interval per breaker), and its breaker, retry and bulkhead share one vocabulary. 3.2.1 because
 * 4.x needs Node 22.
 *
 *   closed ──(failureThreshold consecutive failures)──▶ open ──(halfOpenAfterMs)──▶ half-open
 *     ▲                                                   ▲                             │ one probe call
 *     └──────────────────── probe succeeded ──────────────┴──── probe failed ───────────┘
 *
 * While a probe is out, cockatiel makes other callers wait for it; a payment must not wait on a
 * probe that may take a whole provider timeout, so `run` answers them "open" at once (they fail
 * over, or fail fast) — only the probe reaches the provider.
 */

export type BreakerState = 'closed' | 'open' | 'half_open';

/** What running a call through the breaker gave: the provider's answer, or no call at all. */
export type Breakered = { readonly kind: 'called'; readonly result: ChargeResult } | { readonly kind: 'open'; readonly state: Exclude<BreakerState, 'closed'> };

export interface BreakerSnapshot {
  readonly state: BreakerState;
  /** Times the circuit opened (a failed probe reopening it counts too). */
  readonly opened: number;
  /** When (performance.now() ms) it last opened and last closed again. */
  readonly lastOpenedAt?: number;
  readonly lastClosedAt?: number;
}

/**
 * A failure, for the breaker, is a sign the provider is sick — not that the shopper's card was
 * declined: no answer (refused, reset, timed out), a 5xx, or a 503/maintenance. A decline, a
 * 429 (the provider is well and says "slower"), or a wallet waiting for its shopper is health.
 */
export function isProviderFailure(result: ChargeResult): boolean {
  if (result.errorCode === 'network_error' || result.errorCode === 'provider_unavailable' || result.errorCode === 'provider_error') return true;
  if (result.errorCode === 'outcome_unknown') return true;
  return result.providerStatus >= 500;
}

export class ProviderBreaker {
  readonly #policy: CircuitBreakerPolicy;
  #opened = 0;
  #lastOpenedAt: number | undefined;
  #lastClosedAt: number | undefined;

  constructor(settings: Resolved<BreakerSettings>, onChange?: (state: BreakerState) => void) {
    this.#policy = circuitBreaker(handleWhenResult((r) => isProviderFailure(r as ChargeResult)), {
      halfOpenAfter: settings.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(settings.failureThreshold),
    });
    this.#policy.onBreak(() => {
      this.#opened++;
      this.#lastOpenedAt = performance.now();
      onChange?.('open');
    });
    this.#policy.onReset(() => {
      this.#lastClosedAt = performance.now();
      onChange?.('closed');
    });
    this.#policy.onHalfOpen(() => onChange?.('half_open'));
  }

  get state(): BreakerState {
    return stateName(this.#policy.state);
  }

  snapshot(): BreakerSnapshot {
    return {
      state: this.state,
      opened: this.#opened,
      ...(this.#lastOpenedAt !== undefined ? { lastOpenedAt: this.#lastOpenedAt } : {}),
      ...(this.#lastClosedAt !== undefined ? { lastClosedAt: this.#lastClosedAt } : {}),
    };
  }

  /** Run one call: through the breaker when it is closed or due a probe, not at all when open or probing. */
  async run(call: () => Promise<ChargeResult>): Promise<Breakered> {
    if (this.#policy.state === CircuitState.HalfOpen) return { kind: 'open', state: 'half_open' };
    try {
      return { kind: 'called', result: await this.#policy.execute(() => call()) };
    } catch (err) {
      if (err instanceof BrokenCircuitError) return { kind: 'open', state: 'open' };
      throw err;
    }
  }
}

function stateName(state: CircuitState): BreakerState {
  if (state === CircuitState.Closed) return 'closed';
  if (state === CircuitState.HalfOpen) return 'half_open';
  return 'open';
}
