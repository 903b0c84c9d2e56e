import { z } from 'zod';

/**
 * The resilience settings of the gateway config (docs/gateway-resilience.md): routes, breakers,
 * retries and load shedding. The schemas live here, beside the code that reads them; config.ts
 * adds them to the gateway config. Every default is in DEFAULTS below, in one place.
 */

/**
 * A payment method as the traffic model names it (pm_card_visa, pm_alipay, pm_wechat_pay,
 * pm_paypal), or a prefix ending in `*` (pm_card_*, pm_wechat*) for a family of them.
 */
export const ROUTE_KEY = /^[A-Za-z0-9_-]{1,64}\*?$/;
const PROVIDER_NAME = /^[a-z0-9:_-]{1,64}$/;

export const breakerSchema = z.strictObject({
  /** Consecutive failed calls (5xx, refused, timed out) that open the circuit. */
  failureThreshold: z.number().int().min(1).max(1000).optional(),
  /** How long an open circuit stays open before one half-open probe call is let through. */
  halfOpenAfterMs: z.number().int().min(10).max(600_000).optional(),
});

export const retrySchema = z.strictObject({
  /** Calls to one provider per payment, the first included (1: never retry). */
  maxAttempts: z.number().int().min(1).max(10).optional(),
  /** Full jitter: the n-th retry waits a uniform random time in [0, min(maxDelayMs, baseDelayMs·2ⁿ⁻¹)]. */
  baseDelayMs: z.number().int().min(0).max(60_000).optional(),
  maxDelayMs: z.number().int().min(0).max(60_000).optional(),
  /**
   * The retry budget: retries may be at most this share of first attempts over the last
   * `budgetWindowMs`, plus `budgetMinRetries` — so a provider in trouble gets a trickle of retries,
   * never a storm that multiplies its load.
   */
  budgetRatio: z.number().min(0).max(1).optional(),
  budgetMinRetries: z.number().int().min(0).max(100_000).optional(),
  budgetWindowMs: z.number().int().min(100).max(600_000).optional(),
});

export const sheddingSchema = z.strictObject({
  /** Payments in flight beyond which a new one is answered 429 at once. 0 turns shedding off. */
  maxInFlight: z.number().int().min(0).max(1_000_000).optional(),
  /**
   * Also shed while the event loop's recent p99 delay is above this (ms): the loop itself is
   * drowning, whatever the count in flight. Absent: off (the in-flight bound alone).
   */
  maxEventLoopDelayMs: z.number().int().min(1).max(60_000).optional(),
  /** The Retry-After (seconds) a shed payment is told. */
  retryAfterS: z.number().int().min(1).max(3600).optional(),
});

/** Per payment method, the channels (provider names) to try in order: the first is the primary. */
export const routesSchema = z.record(
  z.string().regex(ROUTE_KEY, 'a payment method such as pm_alipay, or a prefix ending in * such as pm_card_*'),
  z.array(z.string().regex(PROVIDER_NAME, 'a provider name such as stripe or adyen')).min(1, 'name at least one provider (the primary channel)'),
);

/** The regressions this part adds to `regression` (each a realistic bug a suite must catch). */
export const resilienceRegressionShape = {
  /** Retries a timed-out call under a fresh provider key: the provider sees two payments (double charge). */
  retryWithNewKey: z.boolean().optional(),
  /** Fails over a payment whose outcome at the primary is unknown: two providers may both charge it. */
  failoverOnUnknown: z.boolean().optional(),
  /** Never fails over: every payment stays on its primary channel, down or not. */
  noFailover: z.boolean().optional(),
  /** A shorter provider timeout for every provider (a bad timeout setting shipped with a release). */
  timeoutMs: z.number().int().positive().optional(),
};

export type BreakerSettings = z.output<typeof breakerSchema>;
export type RetrySettings = z.output<typeof retrySchema>;
export type SheddingSettings = z.output<typeof sheddingSchema>;
export type Routes = z.output<typeof routesSchema>;

/** The resilience regressions as parsed: derived from their schema, so the two cannot drift. */
export type ResilienceRegression = z.output<z.ZodObject<typeof resilienceRegressionShape>>;

/** Every default of this part. */
export const DEFAULTS = Object.freeze({
  breaker: Object.freeze({ failureThreshold: 5, halfOpenAfterMs: 5_000 }),
  retry: Object.freeze({ maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 1_000, budgetRatio: 0.1, budgetMinRetries: 10, budgetWindowMs: 10_000 }),
  shedding: Object.freeze({ maxInFlight: 2_048, retryAfterS: 1 }),
});

/** A settings object with every default filled in. */
export type Resolved<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };

export function breakerWithDefaults(...layers: Array<BreakerSettings | undefined>): Resolved<BreakerSettings> {
  return Object.assign({}, DEFAULTS.breaker, ...layers.map(definedOnly)) as Resolved<BreakerSettings>;
}

export function retryWithDefaults(settings: RetrySettings | undefined): Resolved<RetrySettings> {
  return Object.assign({}, DEFAULTS.retry, definedOnly(settings)) as Resolved<RetrySettings>;
}

/** The shedding settings with defaults; `maxEventLoopDelayMs` stays optional (absent: off). */
export function sheddingWithDefaults(settings: SheddingSettings | undefined): Resolved<Omit<SheddingSettings, 'maxEventLoopDelayMs'>> & Pick<SheddingSettings, 'maxEventLoopDelayMs'> {
  return Object.assign({}, DEFAULTS.shedding, definedOnly(settings)) as Resolved<Omit<SheddingSettings, 'maxEventLoopDelayMs'>> & Pick<SheddingSettings, 'maxEventLoopDelayMs'>;
}

function definedOnly(o: object | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));
}
