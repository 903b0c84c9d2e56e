import { z } from 'zod';
import { parseDurationMs, validate, type Problem } from '../../src/kernel/index.js';

/**
 * The behaviour profile: how a simulated provider misbehaves. Set at start (`--profile file`)
 * and replaced live with `PUT /__sim/behaviour`. Validated once, strictly: unknown keys are
 * rejected and every problem is reported with its path, e.g.
 * `latency.median: expected a duration like "250ms" or a number of milliseconds`.
 *
 * Durations are numbers of milliseconds or k6-style strings ("250ms", "30s", "1m30s").
 * Windows (maintenance, bursts) are measured from the moment the profile is applied.
 */

const DURATION_HINT = 'expected a duration like "250ms" or a number of milliseconds';

const duration = z.union([
  z.number({ error: DURATION_HINT }).finite().nonnegative({ error: DURATION_HINT }),
  z.string({ error: DURATION_HINT }).transform((text, ctx) => {
    const ms = parseDurationMs(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `${DURATION_HINT}, got "${text}"` });
      return z.NEVER;
    }
    return ms;
  }),
], { error: DURATION_HINT });

const fraction = z.number({ error: 'expected a number between 0 and 1' }).min(0, { error: 'expected a number between 0 and 1' }).max(1, { error: 'expected a number between 0 and 1' });

const serverStatus = z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)], { error: 'expected one of 500, 502, 503, 504' });

export const latencySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), value: duration }),
  z.strictObject({ kind: z.literal('uniform'), min: duration, max: duration }).refine((v) => v.max >= v.min, { message: 'max must be >= min', path: ['max'] }),
  z.strictObject({ kind: z.literal('lognormal'), median: duration, sigma: z.number().positive().max(5), max: duration.optional() }),
], { error: 'expected kind "fixed", "uniform" or "lognormal"' });

const endpointUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

const webhooksSchema = z.strictObject({
  /**
   * Where events are POSTed: one endpoint, or several (Stripe, Adyen and PayPal let an account
   * register more than one; each gets every event and retries on its own). Without it, events go
   * to the notify_url of their request (Alipay, WeChat Pay), else are recorded but not sent.
   */
  url: z.union([endpointUrl, z.array(endpointUrl).min(1, { error: 'give at least one URL' }).max(16, { error: 'at most 16 endpoints (Stripe\'s limit per account)' })]).optional(),
  /**
   * The event types the endpoints subscribe to (Stripe's `enabled_events`, PayPal's `event_types`,
   * Adyen's event codes); others are not sent at all. Default: every type the provider sends.
   */
  events: z.array(z.string().min(1)).min(1, { error: 'give at least one event type, or leave events out for all' }).optional(),
  /** Extra delay before the first attempt, on the simulator's clock. */
  delay: latencySchema.optional(),
  /** Chance an event is delivered twice (two independent deliveries). */
  duplicate: fraction.default(0),
  /** Events picked (with chance `rate`) are held for `window`, then released newest first. */
  reorder: z.strictObject({ rate: fraction, window: duration }).optional(),
  /** Chance an event is never delivered at all. */
  drop: fraction.default(0),
  /** Chance an attempt carries a signature made with the wrong secret. */
  badSignature: fraction.default(0),
  /** Gaps between attempts, on the simulator's clock; replaces the provider's ladder. */
  retrySchedule: z.array(duration).max(50).optional(),
  /** How long one attempt may take (real time). */
  timeout: duration.default(10_000),
});

/**
 * Settlement-file discrepancies: the report a provider sends the merchant disagrees with what it
 * did. Each share picks, independently and deterministically (the simulator's seed and the ledger
 * entry's id), movements committed while the fault is on; the ledger itself is never touched, so
 * reconciliation can be judged against ground truth. See settlement-report.ts.
 */
const settlementFaultsSchema = z.strictObject({
  /** Chance a movement's line is left out of the report. */
  missingLine: fraction.default(0),
  /** Chance a movement's line is listed twice. */
  duplicateLine: fraction.default(0),
  /** A share of lines whose gross (and net) is off by `byMinor` minor units (negative: short). */
  amountOff: z.strictObject({
    share: fraction,
    byMinor: z.number({ error: 'expected a whole number of minor units, not 0' }).int({ error: 'expected a whole number of minor units, not 0' }).refine((n) => n !== 0, { error: 'expected a whole number of minor units, not 0' }),
  }).optional(),
  /** A share of lines whose fee is misstated by `byMinor` minor units (the net follows): the provider kept more, or less, than its price. */
  feeOff: z.strictObject({
    share: fraction,
    byMinor: z.number({ error: 'expected a whole number of minor units, not 0' }).int({ error: 'expected a whole number of minor units, not 0' }).refine((n) => n !== 0, { error: 'expected a whole number of minor units, not 0' }),
  }).optional(),
  /** A share of lines settles `by` later than the provider's cycle: absent from the file that closes the cycle. */
  late: z.strictObject({ share: fraction, by: duration.refine((ms) => ms > 0, { error: 'expected a duration above 0' }) }).optional(),
});

export function profileSchema(outcomeCodes: readonly string[]) {
  const known = new Set(outcomeCodes);
  return z.strictObject({
    /** Forced outcomes by provider code, as fractions of payments; the rest behave naturally. */
    outcomes: z.record(z.string(), fraction).default({}).superRefine((mix, ctx) => {
      let sum = 0;
      for (const [code, share] of Object.entries(mix)) {
        sum += share;
        if (!known.has(code)) ctx.addIssue({ code: 'custom', path: [code], message: `unknown provider code "${code}"; expected one of ${[...known].join(', ')}` });
      }
      if (sum > 1 + 1e-9) ctx.addIssue({ code: 'custom', message: `shares add up to ${+sum.toFixed(6)}; they must not exceed 1` });
    }),
    /**
     * Outcome chains: a share `rate` of orders fail their first `failures` attempts with `code`,
     * then behave naturally — a card that declines once and succeeds on the retry.
     */
    chain: z.strictObject({ rate: fraction, code: z.string(), failures: z.number().int().min(1).max(10).default(1) })
      .superRefine((c, ctx) => {
        if (!known.has(c.code)) ctx.addIssue({ code: 'custom', path: ['code'], message: `unknown provider code "${c.code}"; expected one of ${[...known].join(', ')}` });
      })
      .optional(),
    /** Processing latency, after the request is accepted and before it is answered. */
    latency: latencySchema.optional(),
    /** Random 5xx, answered before anything is committed. */
    serverErrors: z.strictObject({ rate: fraction, status: serverStatus.default(500) }).optional(),
    /** Periodic 5xx bursts: every `every`, all requests fail for `for`. */
    bursts: z.strictObject({ every: duration, for: duration, status: serverStatus.default(503) })
      .refine((b) => b.every > 0, { message: 'every must be > 0', path: ['every'] })
      .optional(),
    /** 429 with Retry-After: a token bucket of `perSecond`, and/or a random share `rate`. */
    rateLimit: z.strictObject({ perSecond: z.number().positive().optional(), rate: fraction.optional(), retryAfter: duration.default(1000) })
      .refine((r) => r.perSecond !== undefined || r.rate !== undefined, { message: 'give perSecond, rate, or both' })
      .optional(),
    /** A maintenance window: from `after` for `for` (open-ended without it), every request gets 503. */
    maintenance: z.strictObject({ after: duration.default(0), for: duration.optional() }).optional(),
    /** The idempotency store is down: a request carrying a key fails before execution (Adyen: 503 errorCode 703). */
    idempotencyOutage: z.strictObject({ rate: fraction }).optional(),
    /** "Charged, then 500": the payment is committed to the ledger, the caller gets `status`. */
    commitThenError: z.strictObject({ rate: fraction, status: serverStatus.default(500) }).optional(),
    webhooks: webhooksSchema.prefault({}),
    /**
     * Disputes: a share `rate` of captured payments is disputed by the shopper's bank right after
     * the capture (disputes.ts), for `reason`; the card network then decides `outcome` — `lost`
     * (the chargeback stands), `won` (the money comes back), or `open` (it waits for the
     * merchant's evidence or acceptance through the provider's API).
     */
    disputes: z.strictObject({
      rate: fraction,
      reason: z.string().min(1).max(64).default('fraudulent'),
      outcome: z.enum(['lost', 'won', 'open']).default('lost'),
    }).optional(),
    /** Settlement-file discrepancies for movements committed while this profile is on. */
    settlement: settlementFaultsSchema.optional(),
    /**
     * The settlement cycle: a movement is paid out `days` provider days after the day it is
     * committed (T+0 … T+30), on the simulator's clock. Absent: the provider's documented cycle
     * (Stripe T+2, Adyen, Alipay, WeChat Pay and UnionPay T+1, PayPal T+0). It applies to every
     * movement the report lists, whenever committed: the cycle is the merchant's contract.
     */
    settlementCycle: z.strictObject({
      days: z.number({ error: 'expected a whole number of days from 0 to 30 (T+0 … T+30)' }).int({ error: 'expected a whole number of days from 0 to 30 (T+0 … T+30)' }).min(0, { error: 'expected a whole number of days from 0 to 30 (T+0 … T+30)' }).max(30, { error: 'expected a whole number of days from 0 to 30 (T+0 … T+30)' }),
    }).optional(),
  });
}

export type BehaviourProfile = Readonly<z.output<ReturnType<typeof profileSchema>>>;
export type ProfileInput = z.input<ReturnType<typeof profileSchema>>;
export type Latency = z.output<typeof latencySchema>;
export type WebhookSettings = BehaviourProfile['webhooks'];
export type SettlementFaults = NonNullable<BehaviourProfile['settlement']>;

export type ProfileProblem = Problem;

export type ProfileResult = { ok: true; profile: BehaviourProfile } | { ok: false; problems: ProfileProblem[] };

/** Validate a profile; on failure, every problem with its path (`webhooks.drop`, `outcomes.foo`). */
export function parseProfile(input: unknown, outcomeCodes: readonly string[]): ProfileResult {
  const result = validate(profileSchema(outcomeCodes), input ?? {});
  return result.ok ? { ok: true, profile: result.value } : result;
}

