import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ATTR } from '../../src/conventions/index.js';
import { Random } from '../../src/kernel/index.js';
import type { ChargeRequest, ChargeResult, ProviderClient } from '../clients/index.js';
import { ProviderBreaker, type BreakerSnapshot, type BreakerState } from './breaker.js';
import { failoverReasonOf, outcomeUnknown, type FailoverReason } from './failover.js';
import { mayRetry, RetryBudget, fullJitterMs, timedOut } from './retry.js';
import { channelsFor } from './routes.js';
import { breakerWithDefaults, retryWithDefaults, type BreakerSettings, type ResilienceRegression, type RetrySettings, type Routes } from './settings.js';

/**
 * The router: one payment, its channels in order, each behind its provider's breaker, with
 * retries where the code allows, failing over only where the charge certainly did not happen.
 *
 *   charge(order) ─▶ channels = route(method, provider)          e.g. [stripe, adyen]
 *        │
 *        ├─▶ stripe: breaker ─ open? ───────────────────────────────────────▶ next (circuit_open)
 *        │           call ─▶ failed & back_off & budget ─▶ wait (full jitter) ─▶ call again, same key
 *        │                ─▶ certainly not charged (refused, 503-before, 429) ─▶ next channel
 *        │                ─▶ anything else (succeeded, declined, pending/unknown) ─▶ answer, stop
 *        └─▶ adyen:  the same
 *
 * Switching back needs no code of its own: every payment starts at its primary, so once the
 * primary's breaker closes (its half-open probe succeeded) payments go there again.
 */

/** A provider client as the router needs it (fakes in tests implement just this). */
export type RoutableClient = Pick<ProviderClient, 'provider' | 'charge'>;

/** One call the router made or skipped, for the payment's attempts record (one row each). */
export interface RoutedAttempt {
  readonly provider: string;
  /** 1-based, per payment, across channels: what `payment.attempt` carries. */
  readonly attempt: number;
  /** The provider key this call carried (undefined when no call was made). */
  readonly providerKey?: string;
  /** The provider's answer; absent when the breaker let no call through. */
  readonly result?: ChargeResult;
  /** Set when no call was made: the breaker's state. */
  readonly skipped?: Exclude<BreakerState, 'closed'>;
  readonly startedAt: number;
  readonly durationMs: number;
}

export interface RoutedResult extends ChargeResult {
  /** The provider that gave this answer. */
  readonly provider: string;
  /** Whether the payment left its primary channel. */
  readonly failover: boolean;
  /** The primary it left (only when failover). */
  readonly failoverFrom?: string;
  readonly failoverReason?: FailoverReason;
  /** The provider key of the call that gave this answer: what the provider's ledger records. */
  readonly providerKey?: string;
  readonly attempts: readonly RoutedAttempt[];
}

export interface RouterSettings {
  routes?: Readonly<Routes>;
  /** Defaults for every provider; `breakers[name]` overrides per provider. */
  breaker?: BreakerSettings;
  breakers?: Readonly<Record<string, BreakerSettings | undefined>>;
  retry?: RetrySettings;
  regression?: ResilienceRegression;
  /** Seed for the jitter, so a test replays. */
  seed?: number;
}

export interface RouterOptions {
  /**
   * Wraps each provider call (the server's client span and provider-call metric point). `role`
   * says what the call is to the payment: its first call, a retry of the same provider, or the
   * first call on a later channel (a failover) — what a trace alone cannot tell.
   */
  observe?: (client: RoutableClient, req: ChargeRequest, attempt: number, role: CallRole) => Promise<ChargeResult>;
  /** Told when a provider's breaker changes state (logs, a gauge). */
  onBreakerChange?: (provider: string, state: BreakerState) => void;
  /**
   * Told each time a payment leaves a channel for the next (a counter): `from` the channel left,
   * `to` the next, `reason` why it left that one — not only the primary, so a route of three
   * counts each hop.
   */
  onFailover?: (from: string, to: string, reason: FailoverReason) => void;
  /** How the router waits between retries (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** What one provider call is to its payment (RouterOptions.observe). */
export type CallRole = 'first' | 'retry' | 'failover';

export interface Router {
  /**
   * Charge one order. `provider` is what the payment named (undefined: the route's, else the first
   * configured). Never throws for a provider's failure: a client that throws is an unknown outcome.
   */
  charge(req: ChargeRequest, provider?: string): Promise<RoutedResult>;
  /** Every provider's breaker, for /healthz, logs and tests. */
  state(): Readonly<Record<string, BreakerSnapshot>>;
}

export function createRouter(settings: RouterSettings, clients: ReadonlyMap<string, RoutableClient>, options: RouterOptions = {}): Router {
  const defaultProvider = clients.keys().next().value;
  if (defaultProvider === undefined) throw new TypeError('createRouter needs at least one client');
  const regression = settings.regression ?? {};
  const retry = retryWithDefaults(settings.retry);
  const now = options.now ?? (() => performance.now());
  const budget = new RetryBudget(retry, now);
  const rng = new Random(settings.seed ?? 1);
  const random = (): number => rng.next();
  const wait = options.sleep ?? ((ms: number) => sleep(ms));
  const breakers = new Map<string, ProviderBreaker>();
  for (const name of clients.keys()) {
    breakers.set(name, new ProviderBreaker(breakerWithDefaults(settings.breaker, settings.breakers?.[name]), (s) => options.onBreakerChange?.(name, s)));
  }
  const call = (client: RoutableClient, req: ChargeRequest, attempt: number, role: CallRole): Promise<ChargeResult> => (options.observe ? options.observe(client, req, attempt, role) : client.charge(req));

  async function charge(req: ChargeRequest, provider?: string): Promise<RoutedResult> {
    const all = channelsFor(settings.routes, req.paymentMethod, provider, defaultProvider!);
    const channels = regression.noFailover ? all.slice(0, 1) : all;
    const attempts: RoutedAttempt[] = [];
    let reason: FailoverReason | undefined;
    let last: RoutedResult | undefined;
    /** Why the previous channel was left. */
    let left: FailoverReason | undefined;
    budget.recordRequest();
    for (let i = 0; i < channels.length; i++) {
      const name = channels[i]!;
      const client = clients.get(name);
      const breaker = breakers.get(name);
      if (!client || !breaker) throw new TypeError(`no client for provider "${name}"`);
      if (i > 0 && left !== undefined) options.onFailover?.(channels[i - 1]!, name, left);
      const outcome = await atChannel(client, breaker, req, attempts, i > 0);
      const failoverFields = i > 0 ? { failover: true, failoverFrom: channels[0]!, ...(reason ? { failoverReason: reason } : {}) } : { failover: false };
      if (outcome.kind === 'open') {
        reason ??= 'circuit_open';
        left = 'circuit_open';
        // Nothing was sent anywhere on this channel: certainly not charged. A fast, honest failure.
        last = { outcome: 'failed', errorCode: 'provider_unavailable', providerCode: 'circuit_open', providerStatus: 0, provider: name, ...failoverFields, attempts };
        continue;
      }
      const { result, providerKey } = outcome;
      last = { ...result, provider: name, providerKey, ...failoverFields, attempts };
      const next = failoverReasonOf(result) ?? (regression.failoverOnUnknown && outcomeUnknown(result) ? 'outcome_unknown' : undefined);
      if (next === undefined) return last;
      reason ??= next;
      left = next;
    }
    return last!;
  }

  /** Call one channel, retrying where allowed. `open` when its breaker let no call through. */
  async function atChannel(client: RoutableClient, breaker: ProviderBreaker, req: ChargeRequest, attempts: RoutedAttempt[], laterChannel: boolean): Promise<{ kind: 'open' } | { kind: 'called'; result: ChargeResult; providerKey: string }> {
    let providerKey = req.providerKey;
    for (let n = 1; ; n++) {
      const startedAt = now();
      const attempt = attempts.length + 1;
      const keyed = { ...req, providerKey };
      const role: CallRole = n > 1 ? 'retry' : laterChannel ? 'failover' : 'first';
      const ran = await breaker.run(() => call(client, keyed, attempt, role).catch(clientThrew));
      if (ran.kind === 'open') {
        attempts.push({ provider: client.provider, attempt, skipped: ran.state, startedAt, durationMs: now() - startedAt });
        // A retry that finds the breaker open has its earlier answer; the first call has none.
        return n === 1 ? { kind: 'open' } : { kind: 'called', result: attempts[attempts.length - 2]!.result!, providerKey: attempts[attempts.length - 2]!.providerKey! };
      }
      const result = ran.result;
      attempts.push({ provider: client.provider, attempt, providerKey, result, startedAt, durationMs: now() - startedAt });
      if (n >= retry.maxAttempts) return { kind: 'called', result, providerKey };
      const buggyRetry = regression.retryWithNewKey === true && timedOut(result);
      if (!mayRetry(result) && !buggyRetry) return { kind: 'called', result, providerKey };
      if (!budget.tryWithdraw()) return { kind: 'called', result, providerKey };
      // The regression's bug: a fresh key makes the retry a new payment to the provider.
      if (buggyRetry) providerKey = `${req.providerKey}-retry-${randomUUID().slice(0, 8)}`;
      await wait(fullJitterMs(n, retry, random));
    }
  }

  return {
    charge,
    state: () => Object.fromEntries([...breakers].map(([name, b]) => [name, b.snapshot()])),
  };
}

/** A client that threw may have thrown after sending: the charge may exist (as server.ts's clientThrew). */
function clientThrew(): ChargeResult {
  return { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'client_error', providerStatus: 0 };
}

/** The routing fields a payment record and its span carry (DESIGN.md "Telemetry conventions"). */
export function failoverAttributes(result: Pick<RoutedResult, 'failover'>): Record<string, boolean> {
  return { [ATTR.failover]: result.failover };
}

/** The fields the payment record keeps: `failover`, and when it happened, from where and why. */
export function failoverRecord(result: Pick<RoutedResult, 'failover' | 'failoverFrom' | 'failoverReason'>): { failover: boolean; failoverFrom?: string; failoverReason?: FailoverReason } {
  return { failover: result.failover, ...(result.failoverFrom !== undefined ? { failoverFrom: result.failoverFrom } : {}), ...(result.failoverReason !== undefined ? { failoverReason: result.failoverReason } : {}) };
}
