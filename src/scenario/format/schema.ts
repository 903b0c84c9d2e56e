import { z } from 'zod';
import { NORMALISED_CODES } from '../../conventions/index.js';
import { breakerSchema, feeOverridesSchema, retrySchema, routesSchema, sheddingSchema } from '../../stack/index.js';
import { durationMs, positiveDurationMs, providerName, share } from './fields.js';

/**
 * The scenario file: what QA and SREs write (docs/scenarios.md). YAML, validated once and
 * strictly — unknown keys are errors, every problem is reported at once with its path — and
 * turned into scenarios/schema.json (editors autocomplete it through
 * `# yaml-language-server: $schema=…`). Defaults live in defaults.ts, nowhere else.
 *
 *   name, description
 *   stack      providers, the reference gateway (or a --target), a canary, seeds, time scale
 *   load       k6's executors and vocabulary; the traffic mix and shoppers' behaviours
 *   timeline   fault steps of every layer (src/chaos/faults, CREATING_FAULTS.md)
 *   expect     k6-style thresholds (windowable by step), money invariants, the canary verdict
 */

/** A deliberate bug in the reference gateway: what a bad release would do (negative controls, canary rehearsals). */
export const regressionSchema = z
  .strictObject({
    extraLatencyMs: z.number().min(0).max(60_000).optional().meta({ description: 'Added to every answer, as a slow new code path would.' }),
    providerErrorRate: z.number().min(0).max(1).optional().meta({ description: 'Share of payments failed with provider_error before the provider is called.' }),
    skipOrderGuard: z.boolean().optional().meta({ description: 'The double-charge bug: a paid order retried under a new key is charged again.' }),
    retryWithNewKey: z.boolean().optional().meta({ description: 'Retries a timed-out provider call under a fresh provider key: the provider may charge twice.' }),
    failoverOnUnknown: z.boolean().optional().meta({ description: 'Fails over a payment whose outcome at the primary is unknown: two providers may both charge it.' }),
    noFailover: z.boolean().optional().meta({ description: 'Never fails over: payments stay on a dead primary.' }),
    timeoutMs: z.number().int().positive().optional().meta({ description: 'A shorter provider timeout for every provider (a bad setting shipped with a release).' }),
    noRecovery: z.boolean().optional().meta({ description: 'Never queries pending payments: they stay unknown.' }),
    ignoreWebhookSignature: z.boolean().optional().meta({ description: 'Accepts provider notifications without checking their signature.' }),
    refundKeyPerRequest: z.boolean().optional().meta({ description: 'The double-refund bug: each refund request gets a fresh provider key, so a refund retried after an unknown answer is applied again.' }),
    raceBlind: z.boolean().optional().meta({ description: 'The void-racing-capture bug: a cancel of a payment whose capture is in flight answers the void succeeded without waiting for the capture (no per-payment guard), though the capture may land.' }),
    threeDSecureAsPaid: z.boolean().optional().meta({ description: 'The 3-D Secure bug: a card payment waiting for its challenge (requires_action with a page) is answered and booked succeeded, though nothing was captured.' }),
    splitOff: z.boolean().optional().meta({ description: 'The unsent-split bug: a marketplace order\'s split is booked but never sent to the provider, so the receiver is paid nothing and the reconciliation\'s split check must turn red.' }),
    ignoreDisputeFees: z.boolean().optional().meta({ description: "Books chargebacks without the provider's dispute fee: the fees the providers kept are missing from the books (fee-mismatch)." }),
    threeDSecureFallbackCard: z.boolean().optional().meta({ description: "The 3-D Secure fallback bug: when Stripe reports a card payment's challenge failed (payment_intent_authentication_failure), the gateway confirms the same PaymentIntent again with a card that needs no challenge (pm_card_visa), as Stripe's error invites ('provide a new PaymentMethod'), so money its shopper never authenticated is captured. An abandoned challenge is untouched: nothing reports it." }),
    threeDSecureAbandonedFallback: z.boolean().optional().meta({ description: "The abandoned 3-D Secure fallback bug: a card payment handed a challenge page that nobody answers within the gateway's wait (3 s) and that Stripe still holds in requires_action is confirmed again with a card that needs no challenge (pm_card_visa), so money its shopper never authenticated is captured. Challenges answered in time, passed or failed, are untouched." }),
    ignoreDisputes: z.boolean().optional().meta({ description: 'Acknowledges dispute notifications but never books them: chargebacks the providers took are missing from the books.' }),
    seed: z.number().int().nonnegative().optional(),
  })
  .meta({ description: 'A realistic bug the harness must catch.' });

const gatewaySchema = z.strictObject({
  mode: z.enum(['child', 'in-process']).optional().meta({ description: 'child (default): its own process, so a kill -9 is real; in-process: inside the harness.' }),
  providerTimeout: positiveDurationMs.optional().meta({ description: 'Timeout of one provider call.' }),
  version: z.string().min(1).optional(),
  regression: regressionSchema.optional(),
  routes: routesSchema.optional().meta({ description: 'Per payment method (or prefix*), the channels in order: the first is the primary, the rest its failover (e.g. pm_card_*: [stripe, adyen]).' }),
  breaker: breakerSchema.optional().meta({ description: 'Circuit breaker per provider: failureThreshold consecutive failures open it, halfOpenAfterMs later one probe.' }),
  retry: retrySchema.optional().meta({ description: 'Retries by the normalised code\'s advice, same provider key, full jitter, a budget.' }),
  shedding: sheddingSchema.optional().meta({ description: 'Payments in flight beyond maxInFlight are answered 429 with Retry-After.' }),
});

const canarySchema = z.strictObject({
  weight: share.meta({ description: 'Share of shoppers sent to the canary gateway.' }),
  version: z.string().min(1).optional(),
  providerTimeout: positiveDurationMs.optional(),
  regression: regressionSchema.optional(),
});

const stackSchema = z.strictObject({
  providers: z.array(providerName).min(1).optional().meta({ description: 'Providers to start; default: every provider the traffic mix names.' }),
  gateway: gatewaySchema.optional(),
  canary: canarySchema.optional(),
  target: z.url({ protocol: /^https?$/ }).optional().meta({ description: 'Drive your own gateway at this URL instead of the reference one (see load.request).' }),
  seed: z.number().int().nonnegative().optional().meta({ description: 'Seed of shoppers and simulators: the same seed replays the same run.' }),
  timeScale: z.number().positive().max(86_400).optional().meta({ description: 'Simulated provider time per real time: 60 runs a webhook retry ladder a minute per second; 86400 a settlement day per second, so T+1 and T+7 cycles elapse within a run (the reconciliation waits up to 10 s for the last one).' }),
  shopperApprovesAfter: durationMs.optional().meta({ description: 'How long a wallet shopper takes to confirm on their phone.' }),
  fees: feeOverridesSchema.optional().meta({ description: "The merchant's contract rate per provider, over its list price: { bps, fixed }, e.g. unionpay: { bps: 38 } (UnionPay's merchant discount rate; default 60 = 0.6 %). The simulator's settlement report charges it and the reference gateway books it." }),
});

const stageSchema = z.strictObject({ duration: positiveDurationMs, target: z.number().nonnegative() });

const BEHAVIOURS = ['pay', 'duplicate_submit', 'new_key_retry', 'double_click', 'abandon_resume', 'retry_on_timeout', 'refund_full', 'refund_partial', 'refund_partials', 'pay_cancel', 'pay_other_currency', 'three_ds_passed', 'three_ds_failed', 'three_ds_abandoned', 'pay_capture', 'void_race_capture'] as const;
/** A marketplace channel's split (load/lib/config.js MixSplit; the gateway's POST /payments `split`). */
const mixSplitSchema = z
  .strictObject({
    destination: z
      .string()
      .regex(/^[A-Za-z0-9_]{1,64}$/, { error: 'expected the provider\'s id of the account owed the sale, 1–64 letters, digits or _, such as "acct_seller1"' })
      .meta({ description: 'The provider\'s id of the account owed the sale: a Stripe connected account (acct_…), an Adyen balance account.' }),
    platformFee: z
      .strictObject({
        percent: z.number().min(0).max(100).optional().meta({ description: 'Percentage of the amount the platform keeps, rounded to the minor unit (default 0).' }),
        fixed: z.number().int().min(0).optional().meta({ description: 'Minor units the platform keeps on top (default 0). The commission never exceeds the amount.' }),
      })
      .optional()
      .meta({ description: 'The platform\'s commission: percent of the amount plus fixed; the receiver is owed the rest.' }),
  })
  .meta({ description: 'A marketplace order: the shopper pays the platform, the provider pays the receiver its part and the platform keeps its commission (Stripe transfer_data + application_fee_amount, Adyen splits[]). The gateway books both; the reconciliation judges the split where the provider reports it.' });

const mixEntrySchema = z.strictObject({
  provider: providerName,
  method: z.string().min(1),
  weight: z.number().positive(),
  paymentMethods: z.array(z.tuple([z.string().min(1), z.number().positive()])).min(1),
  currencies: z.array(z.tuple([z.string().regex(/^[a-z]{3}$/), z.number().positive()])).min(1),
  amount: z.strictObject({ min: z.number().int().positive(), max: z.number().int().positive() }),
  manualCapture: z.boolean().optional().meta({ description: 'The channel holds an authorisation (the reference gateway: stripe, adyen cards, paypal): its pay_cancel, pay_capture and void_race_capture shoppers authorise only (capture: manual): a cancel voids the hold, a capture takes it.' }),
  threeDSecure: z.string().min(1).optional().meta({ description: 'The channel hands its shopper a 3-D Secure page (the reference gateway: stripe): the card its three_ds_* shoppers pay with, one that always asks for a challenge (pm_card_threeDSecure2Required).' }),
  behaviours: z.partialRecord(z.enum(BEHAVIOURS), z.number().nonnegative()).optional().meta({ description: 'This channel\'s shoppers behave by these weights, given over load.behaviours (a journey left out keeps that weight): how a channel leaves out a refund or cancel its provider cannot give (PAYCHAOS_ERR_LOAD_JOURNEY_UNSUPPORTED names them).' }),
  split: mixSplitSchema.optional(),
});


const requestTemplateSchema = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH']).meta({ description: 'The HTTP method.' }),
  path: z.string().regex(/^\//, 'expected a path starting with /, e.g. /api/checkout/${orderId}').meta({ description: 'Placeholders ${orderId} ${amount} ${currency} ${idempotencyKey} ${paymentMethod} ${provider} are URL-encoded.' }),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'expected an HTTP header name'), z.string()).optional().meta({ description: 'Header values may use the placeholders (Idempotency-Key: ${idempotencyKey}).' }),
  body: z.unknown().optional().meta({ description: 'A JSON body; a string that is exactly "${amount}" becomes the number.' }),
});

const readAt = z.strictObject({ path: z.string().min(1).meta({ description: 'A dot path into the JSON answer: result.state, items[0].id.' }) });

const classifySchema = z.strictObject({
  outcome: z.strictObject({
    path: z.string().min(1),
    succeeded: z.array(z.string()).min(1),
    failed: z.array(z.string()).min(1),
    pending: z.array(z.string()).optional(),
  }).meta({ description: 'Where the payment state is and which values mean succeeded, failed, pending; any other answer is read from its HTTP status.' }),
  errorCode: z.strictObject({ path: z.string().min(1), map: z.record(z.string(), z.enum(Object.keys(NORMALISED_CODES) as [string, ...string[]])).optional() }).optional().meta({ description: 'Where the reason is, and your codes mapped to the normalised ones.' }),
  providerCode: readAt.optional(),
  providerPaymentId: readAt.optional().meta({ description: "The provider's payment id in your answer: joins the provider's ledger to the order." }),
  providerReference: readAt.optional().meta({ description: 'The merchant order number your gateway sent the provider.' }),
  provider: readAt.optional(),
  failoverFrom: readAt.optional().meta({ description: 'The provider your gateway failed over from, for expect.failover.' }),
});

const loadCommon = {
  engine: z.enum(['builtin', 'k6']).optional().meta({ description: 'builtin (default): the open-model driver; k6: load/payments.js on k6.' }),
  maxInFlight: z.number().int().positive().optional().meta({ description: 'Shoppers in flight at most (k6 maxVUs); a shopper due beyond it is a dropped iteration.' }),
  mix: z.union([z.enum(['cards', 'double11', 'all']), z.array(mixEntrySchema).min(1)]).optional().meta({ description: 'Who shops: a named mix or entries by provider, method, currency and amount.' }),
  behaviours: z.partialRecord(z.enum(BEHAVIOURS), z.number().nonnegative()).optional().meta({ description: 'Weights of shopper behaviours (load/lib/config.js BEHAVIOURS).' }),
  request: requestTemplateSchema.optional().meta({ description: "Your gateway's payment request (with stack.target or --target); needs load.classify." }),
  query: requestTemplateSchema.optional().meta({ description: "Your gateway's order query, for shoppers who check their order's status." }),
  classify: classifySchema.optional().meta({ description: "How to read your gateway's answers; needs load.request." }),
  warmup: durationMs.optional().meta({ description: "Traffic at the first stage's rate before the measured window (default 0; a ramp to that rate over its first half, then going on at it — up to as long again — until the latency settles): kept in events.jsonl and results.warmup, excluded from thresholds, the canary judge and the headline figures; the money invariants still judge its orders. Built-in engine only." }),
};

const loadSchema = z.discriminatedUnion('executor', [
  z.strictObject({
    executor: z.literal('constant-arrival-rate'),
    rate: z.number().positive().meta({ description: 'Shoppers arriving per second.' }),
    duration: positiveDurationMs,
    ...loadCommon,
  }),
  z.strictObject({
    executor: z.literal('ramping-arrival-rate'),
    startRate: z.number().nonnegative().optional(),
    stages: z.array(stageSchema).min(1),
    ...loadCommon,
  }),
]);

const thresholdItemSchema = z.union([
  z.string(),
  z.strictObject({
    threshold: z.string(),
    during: z.string().optional().meta({ description: 'Judge only payments scheduled while this timeline step was active.' }),
    after: z.string().optional().meta({ description: 'Judge only payments scheduled after this timeline step ended.' }),
    abortOnFail: z.boolean().optional().meta({ description: 'Stop the run as soon as the threshold fails (checked live).' }),
    delayAbortEval: durationMs.optional().meta({ description: 'Wait this long into the run before checking abortOnFail.' }),
  }),
]);

export const INVARIANTS = ['no-double-charge', 'captures-within-orders', 'orders-settled', 'refunds-within-captures', 'void-never-captured', 'reconciliation-clean', 'ledger-balances', 'disputes-booked', 'webhooks-forged-rejected', 'journeys-end-state'] as const;

const expectSchema = z.strictObject({
  thresholds: z
    .record(z.string(), z.array(thresholdItemSchema).min(1))
    .optional()
    .meta({ description: "k6-style thresholds: 'success_rate{variant:baseline}': ['rate>=0.97'], 'latency{provider:alipay}': ['p(99)<800']." }),
  invariants: z.array(z.enum(INVARIANTS)).optional().meta({ description: 'Money invariants to check (default: no-double-charge and captures-within-orders; orders-settled asks the gateway to settle every order it left pending; refunds-within-captures and void-never-captured judge the providers\' ledgers; reconciliation-clean matches the gateway\'s books (GET /ledger) with every provider\'s settlement report, and ledger-balances checks those books balance; disputes-booked checks every chargeback in a provider\'s ledger is booked by the gateway for its amount; webhooks-forged-rejected checks no notification with a bad signature was acknowledged; journeys-end-state judges every order\'s end state at its provider against its shopper\'s journey: each refund answered succeeded applied once, an unknown one at most once, none unasked, nothing captured after a cancel answered succeeded).' }),
  settleWithin: positiveDurationMs.optional().meta({ description: 'orders-settled: how long after the load the gateway has to settle what it left pending (default 15s).' }),
  canary: z.unknown().optional().meta({ description: 'The canary judge config (docs/canary.md); judged when stack.canary is set.' }),
  failover: z
    .array(
      z.strictObject({
        step: z.string().min(1).meta({ description: 'The timeline step that takes the primary provider away (its target is that provider).' }),
        timeToDetect: positiveDurationMs.optional().meta({ description: "At most this long from the step's start to the first payment failed over from its target." }),
        timeToSwitchBack: positiveDurationMs.optional().meta({ description: "At most this long from the step's end to the first payment its target answered again." }),
      }),
    )
    .optional()
    .meta({ description: 'Failover drill bounds per fault step (docs/scenarios.md "Failover").' }),
});

/** The whole file; `timeline` items are the fault-step union from src/chaos, passed in. */
export function scenarioSchema(timelineStep: z.ZodType) {
  return z.strictObject({
    $schema: z.string().optional(),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a name of lower-case letters, digits and -'),
    description: z.string().optional(),
    stack: stackSchema.optional(),
    load: loadSchema,
    timeline: z.array(timelineStep).optional(),
    expect: expectSchema.optional(),
  });
}

export type ScenarioInput = z.input<ReturnType<typeof scenarioSchema>>;
export type ScenarioFile = z.output<ReturnType<typeof scenarioSchema>>;
export type Regression = z.output<typeof regressionSchema>;
