import type { ChargeResult } from './clients/index.js';
import { failoverReasonOf, type RoutedResult } from './resilience/index.js';
import type { AttemptDone, GatewayStore } from './store/index.js';

/**
 * The attempts rows of one routed payment: one row per call the router made or skipped
 * (`RoutedResult.attempts`), each begun before its call so a crash mid-call leaves the evidence.
 *
 * The first call's row is begun with the payment (one commit fewer on the common path); a retry
 * or a failover begins its own. When a call goes to another provider than the row names, the row
 * is moved there first (recordFailover): the recovery loop must query the provider the payment
 * was actually sent to, even if this process dies during that call.
 */
export class RoutedAttempts {
  readonly #rows = new Map<number, number>();
  readonly #done = new Map<number, AttemptDone>();
  #rowProvider: string;
  #last: ChargeResult | undefined;

  constructor(
    private readonly store: GatewayStore,
    readonly paymentId: string,
    /** The payment's first channel, which its row names at creation. */
    readonly primary: string,
    /** The row begun with the payment for the first call, if any. */
    private readonly firstRow: number | undefined,
    private readonly referenceOf: (provider: string) => string,
  ) {
    this.#rowProvider = primary;
  }

  /** Before a call: the attempts row it is recorded in, committed (with the failover it records) before it resolves. */
  async begin(provider: string, providerKey: string, attempt: number): Promise<number> {
    if (attempt === 1 && provider === this.primary && this.firstRow !== undefined) {
      this.#rows.set(attempt, this.firstRow);
      return this.firstRow;
    }
    const now = this.store.now();
    if (provider !== this.#rowProvider) {
      // Provisional: the router's own reason replaces it once it answers (settle).
      const reason = this.#last === undefined ? 'circuit_open' : (failoverReasonOf(this.#last) ?? 'outcome_unknown');
      this.store.payments.recordFailover(this.paymentId, this.primary, provider, reason, now, this.referenceOf(provider));
      this.#rowProvider = provider;
    }
    const id = this.store.attempts.begin(this.paymentId, 'charge', provider, providerKey, now);
    this.#rows.set(attempt, id);
    await this.store.durable();
    return id;
  }

  /** After a call: its answer, to complete its row. */
  done(attempt: number, done: AttemptDone): void {
    this.#done.set(attempt, done);
    this.#last = done.result as ChargeResult;
  }

  /**
   * Once the router has answered: every row but the last completed (skipped calls included, as
   * `skipped:<breaker state>`), the failover recorded as the router decided it, and the last
   * row's completion returned for the settle's transaction.
   */
  close(routed: RoutedResult): AttemptDone | undefined {
    const store = this.store;
    // The common path — one call at the primary, no failover — writes nothing here: its row
    // completes with the settle (no extra transaction per payment).
    const only = routed.attempts.length === 1 ? this.#done.get(routed.attempts[0]!.attempt) : undefined;
    if (only && !routed.failover && routed.provider === this.#rowProvider) return only;
    let last: AttemptDone | undefined;
    store.phase(() => {
      routed.attempts.forEach((a, i) => {
        let done = this.#done.get(a.attempt);
        if (!done) {
          // No call was made (the breaker was open or probing): a row all the same, so the record shows why.
          const id = this.#rows.get(a.attempt) ?? (a.attempt === 1 && a.provider === this.primary && this.firstRow !== undefined ? this.firstRow : store.attempts.begin(this.paymentId, 'charge', a.provider, a.providerKey ?? '', store.now()));
          done = { id, result: { outcome: 'skipped', providerCode: `breaker_${a.skipped ?? 'open'}`, providerStatus: 0 }, durationMs: a.durationMs };
        }
        if (i === routed.attempts.length - 1) last = done;
        else store.attempts.finish(done.id, done.result, store.now(), done.durationMs);
      });
      if (routed.failover && routed.failoverFrom !== undefined) {
        store.payments.recordFailover(this.paymentId, routed.failoverFrom, routed.provider, routed.failoverReason ?? 'circuit_open', store.now(), this.referenceOf(routed.provider));
      } else if (routed.provider !== this.#rowProvider) {
        // Only a payment that left its channel may name another provider; anything else is a bug worth seeing.
        throw new Error(`payment ${this.paymentId} answered by ${routed.provider} without a failover from ${this.#rowProvider}`);
      }
    });
    return last;
  }
}
