import type { Logger } from '../src/kernel/index.js';
import type { ChargeResult, ProviderClient, QueryResult } from './clients/index.js';
import { outcomeUpdate, paymentAnswer } from './payment-answer.js';
import type { GatewayStore, PaymentRecord } from './store/index.js';

export interface RecoveryOptions {
  /** How often the loop looks for unsettled payments (default 5 s). It also runs once at start. */
  intervalMs?: number;
  /**
   * How long after its charge was sent a payment the provider says it has never seen is believed
   * absent and failed (default 60 s: Stripe's search can take up to a minute to show a new
   * PaymentIntent, and a charge still in flight at the provider must have time to land).
   */
  absentAfterMs?: number;
  /** Payments looked at per pass (default 200), oldest first; the rest wait for the next pass. */
  batch?: number;
}

const DEFAULTS = { intervalMs: 5_000, absentAfterMs: 60_000, batch: 200 } as const;

/** Wraps each status query (the server's: a client span and a provider-call metric point). */
export type QueryObserver = (provider: string, query: () => Promise<QueryResult>) => Promise<QueryResult>;
/** Queries in flight at once within a pass: enough to drain a backlog, few enough not to crowd out payments. */
const PARALLEL = 8;

/**
 * The recovery loop: every payment left pending or outcome_unknown — a timeout after sending, a
 * wallet the shopper had not approved yet, a request that died with its process — is settled by
 * asking its provider (ProviderClient.query), never by charging again.
 *
 *   start ─▶ pass ─▶ every intervalMs ─▶ pass …        pass: unsettled payments of dead requests,
 *                                                             oldest first ─▶ query ─▶ settle
 *
 * A payment a live request of this process is charging is never touched (`working`, and the row's
 * in_flight_boot). A provider without a query (Adyen) is left to its notification.
 */
export class Recovery {
  readonly #store: GatewayStore;
  readonly #clients: ReadonlyMap<string, ProviderClient>;
  readonly #working: Set<string>;
  readonly #options: Required<RecoveryOptions>;
  readonly #log: Logger | undefined;
  readonly #afterPass: (() => void) | undefined;
  readonly #observe: QueryObserver;
  readonly #shareSplits: ((limit: number) => Promise<number>) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<number> | undefined;
  #stopped = false;

  constructor(store: GatewayStore, clients: ReadonlyMap<string, ProviderClient>, working: Set<string>, options: RecoveryOptions = {}, hooks: { log?: Logger; afterPass?: () => void; observe?: QueryObserver; shareSplits?: (limit: number) => Promise<number> } = {}) {
    this.#store = store;
    this.#clients = clients;
    this.#working = working;
    this.#options = { ...DEFAULTS, ...definedOnly(options) };
    this.#log = hooks.log;
    this.#afterPass = hooks.afterPass;
    this.#observe = hooks.observe ?? ((_, query) => query());
    this.#shareSplits = hooks.shareSplits;
  }

  /** Run a pass now, then every intervalMs until stop(). */
  start(): void {
    if (this.#stopped || this.#timer) return;
    // A pass that fails (the file busy beyond its timeout) is logged and the next one tries again:
    // never an unhandled rejection that would take the gateway down.
    const pass = (): void => void this.runPass().catch((err: unknown) => this.#log?.warn({ err }, 'recovery pass failed'));
    pass();
    this.#timer = setInterval(pass, this.#options.intervalMs);
    // The loop alone must not keep a process alive.
    this.#timer.unref();
  }

  /** Stop the timer and wait for a pass in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#pass?.catch(() => {});
  }

  #closedStore(): boolean {
    return !this.#store.db.open;
  }

  /** One pass (never two at once): how many payments it settled. */
  runPass(): Promise<number> {
    this.#pass ??= this.#runPass().finally(() => {
      this.#pass = undefined;
      if (!this.#closedStore()) this.#afterPass?.();
    });
    return this.#pass;
  }

  async #runPass(): Promise<number> {
    const due = this.#store.payments.unsettled(this.#store.boot, this.#store.now(), this.#options.batch);
    let settled = 0;
    for (let i = 0; i < due.length && !this.#stopped; i += PARALLEL) {
      const results = await Promise.all(due.slice(i, i + PARALLEL).map((p) => this.settle(p).catch(() => p)));
      settled += results.filter((r) => r.status !== 'pending').length;
    }
    // Splits shared after their payment (Alipay 分账, WeChat profit sharing) still unconfirmed: resumed, query first.
    if (this.#shareSplits && !this.#stopped) await this.#shareSplits(this.#options.batch).catch((err: unknown) => this.#log?.warn({ err }, 'split sharing failed'));
    return settled;
  }

  /**
   * Ask the provider about one pending payment and record what it said. Returns the payment as it
   * now stands (unchanged when nothing was learned, or when someone else is working on it).
   */
  async settle(payment: PaymentRecord): Promise<PaymentRecord> {
    const client = this.#clients.get(payment.provider);
    if (payment.status !== 'pending' || !client?.query || this.#working.has(payment.paymentId)) return payment;
    this.#working.add(payment.paymentId);
    try {
      const store = this.#store;
      const started = performance.now();
      const attempt = store.attempts.begin(payment.paymentId, 'query', payment.provider, payment.providerKey, store.now());
      // The query's row commits before the query goes out (a failed commit throws: nothing was asked).
      await store.durable();
      let answer: QueryResult;
      try {
        const query = client.query.bind(client);
        answer = await this.#observe(payment.provider, () => query({
          orderId: payment.orderId,
          providerReference: payment.providerReference,
          providerKey: payment.providerKey,
          amount: payment.amount,
          currency: payment.currency,
          ...(payment.providerPaymentId !== undefined ? { providerPaymentId: payment.providerPaymentId } : {}),
        }));
      } catch (err) {
        answer = { kind: 'unknown', reason: (err as Error).message };
      }
      const result = this.#decide(payment, answer);
      store.attempts.finish(attempt, attemptOutcome(answer), store.now(), performance.now() - started);
      if (result === undefined) {
        store.payments.touch(payment.paymentId, store.now());
        return store.payments.get(payment.paymentId) ?? payment;
      }
      // A final outcome answers the keys its dead requests left; a still-waiting one leaves them to resume.
      const settled = store.settlePayment(payment.paymentId, outcomeUpdate(result), result.outcome === 'pending' ? undefined : paymentAnswer);
      if (settled.status !== 'pending') this.#log?.info({ orderId: settled.orderId, paymentId: settled.paymentId, provider: settled.provider, status: settled.status, errorCode: settled.errorCode, providerCode: settled.providerCode }, 'payment recovered');
      return settled;
    } finally {
      this.#working.delete(payment.paymentId);
    }
  }

  /** What a query's answer makes of the payment: a new state, or nothing (undefined). */
  #decide(payment: PaymentRecord, answer: QueryResult): ChargeResult | undefined {
    if (answer.kind === 'final' || answer.kind === 'waiting') return answer.result;
    if (answer.kind === 'unknown') return undefined;
    // Absent: believed only once the provider has had absentAfterMs to record the charge.
    const sentAt = this.#store.attempts.lastChargeStartedAt(payment.paymentId) ?? payment.createdAt;
    if (this.#store.now() - sentAt < this.#options.absentAfterMs) return undefined;
    return { outcome: 'failed', errorCode: 'network_error', providerCode: 'not_found_at_provider', providerStatus: answer.providerStatus };
  }
}

function attemptOutcome(answer: QueryResult): { outcome: string; errorCode?: string; providerCode?: string; providerStatus: number } {
  if (answer.kind === 'final' || answer.kind === 'waiting') return { outcome: answer.result.outcome, errorCode: answer.result.errorCode, providerCode: answer.result.providerCode, providerStatus: answer.result.providerStatus };
  if (answer.kind === 'absent') return { outcome: 'absent', providerStatus: answer.providerStatus };
  return { outcome: 'unknown', providerCode: answer.reason.slice(0, 200), providerStatus: 0 };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
