// @ts-check
/**
 * The traffic model: one shopper per iteration. Pure and engine-neutral — no I/O, no clock,
 * no Math.random — so the built-in driver and k6 run the same shoppers from the same seed:
 *
 *   iteration {index, timeMs} ──► planShopper ──► ShopperPlan {order, variant, steps[]}
 *                                                     │
 *   engine: for each step ── stepShouldRun? ── requestFor ──► HTTP ──► classifyResponse
 *
 * A plan is data: the engine owns the waiting and the sending, the model owns the decisions.
 */
import { BEHAVIOURS, CAPTURE_BEHAVIOURS, THREE_DS_BEHAVIOURS, resolveTrafficConfig, splitFor } from './config.js';
import { createRandom, iterationSeed, logUniformInt, pickWeighted } from './random.js';

/** @typedef {import('./config.js').TrafficConfig} TrafficConfig */
/** @typedef {import('./config.js').ShopperBehaviour} ShopperBehaviour */
/** @typedef {import('./random.js').Random} Random */
/** @typedef {'baseline' | 'canary'} Variant */

/**
 * What the shopper does at this step — the `behaviour` of the resulting event:
 *   first         the shopper's first submit
 *   duplicate     the same request again, same key, after the first answer
 *   new_key       the same order under a new idempotency key
 *   double_click  an extra concurrent submit of a burst, same key
 *   query         GET /payments/{orderId}: "did my payment go through?"
 *   await_paid    GET /payments/{orderId} again while a payment answered 202 waits for its bank or
 *                 wallet (a redirect's webhook): a refund journey asks until it is paid, a few times
 *   resume        the submit of a shopper who came back
 *   retry         the same key again after a timeout
 *   refund        POST /payments/{orderId}/refunds: money back, all or part
 *   refund_retry  the same refund (same key, same amount) again after an unknown answer
 *   cancel        POST /payments/{orderId}/cancel: stop a held or waiting payment before capture
 *   cancel_retry  the same cancel again after an unknown answer
 *   capture       POST /payments/{orderId}/capture: take the money of a held authorisation
 *   capture_retry the same capture again after an unknown answer
 *   race_capture  a capture sent at the same instant as a cancel (race_cancel) of the same hold
 *   race_cancel   the cancel of that race
 *   challenge     GET the 3-D Secure page the payment's 202 named (nextAction.url), passing or failing it
 * @typedef {'first' | 'duplicate' | 'new_key' | 'double_click' | 'query' | 'await_paid' | 'resume' | 'retry' | 'refund' | 'refund_retry' | 'cancel' | 'cancel_retry' | 'capture' | 'capture_retry' | 'race_capture' | 'race_cancel' | 'challenge'} StepLabel
 */

/**
 * When a step runs:
 *   always         unconditionally
 *   after_unknown  only if the last submit's outcome is unknown (timeout, no answer)
 *   unless_paid    only if no submit or query so far shows the order paid or in progress
 *   if_paid        only if the last submit succeeded, or a query since shows the order
 *                  succeeded (there is captured money to give back)
 *   while_waiting  only if the last submit was accepted and waits (202 pending) and no query
 *                  so far shows the order ended (succeeded or failed)
 *   if_held        only if the last submit was accepted but not captured (202 pending: an
 *                  authorisation held, a wallet waiting for the shopper) — what a cancel stops
 *   if_authorised  what a capture needs: held as for if_held, or the last submit's outcome unknown
 *                  (a timeout, a 5xx after sending): the provider may hold it all the same
 *                  ("charged, then 500"), and a merchant that authorised captures what it holds —
 *                  the gateway must find out (query) rather than refuse it as not held
 *   after_lifecycle_unknown  only if the last refund or cancel's outcome is unknown
 *   if_challenged  only if the last submit was answered 202 with a 3-D Secure page to visit
 * @typedef {'always' | 'after_unknown' | 'unless_paid' | 'if_paid' | 'while_waiting' | 'if_held' | 'if_authorised' | 'after_lifecycle_unknown' | 'if_challenged'} StepCondition
 */

/**
 * @typedef {object} Step
 * @property {'pay' | 'query' | 'refund' | 'cancel' | 'capture' | 'challenge'} kind
 * @property {StepLabel} label
 * @property {string} idempotencyKey  for `pay`, `refund`, `cancel` and `capture`; '' for `query` and `challenge`
 * @property {number} [amount]  `refund`: minor units to give back; `capture`: minor units to take
 * @property {'succeed' | 'fail'} [outcome]  `challenge` only: what the shopper does on the page
 * @property {number} delayMs  sequential step: wait this long after the previous step's answer;
 *   concurrent step: start this long after the step that opened the burst
 * @property {boolean} concurrent  part of a burst: does not wait for the previous answer
 * @property {StepCondition} when
 */

/**
 * @typedef {object} ShopperPlan
 * @property {number} index
 * @property {number} timeMs  when the shopper arrives, ms since the run started (virtual time)
 * @property {string} orderId
 * @property {Variant} variant
 * @property {string} provider
 * @property {string} method
 * @property {string} paymentMethod
 * @property {number} amount  minor units
 * @property {string} currency
 * @property {ShopperBehaviour} behaviour
 * @property {Step[]} steps  never empty; steps[0] is not concurrent
 * @property {ExpectedEnd} expect  the end state the journey aims at, judged against the providers' ledgers
 * @property {'manual'} [capture]  authorise only (a `pay_cancel`, `pay_capture` or
 *   `void_race_capture` shopper on a channel with `manualCapture`): the payment is held, and a
 *   cancel voids the hold or a capture takes it
 * @property {'challenge'} [threeDSecure]  a `three_ds_*` shopper: the payment asks for a 3-D
 *   Secure page (202 with nextAction) rather than failing authentication_required
 * @property {{ destination: string, platformFee: number }} [split]  a marketplace order (a mix
 *   entry with `split`): the receiver and the platform's commission in minor units
 */

/**
 * The end state a shopper's journey should leave at its provider, whatever faults happen — the
 * journeys-end-state invariant holds every order to it:
 *   - `refunds`: the refunds the shopper asks for once paid, minor units each (empty: none). Each
 *     is applied exactly once if answered succeeded, never if answered failed, at most once if
 *     its outcome stayed unknown; and an order whose journey asks none is never refunded.
 *   - `cancel`: the shopper cancels a held payment; once the cancel is answered succeeded the
 *     order is never captured.
 *   - `challenge` (3-D Secure journeys only): `pass` — captured exactly once once the page
 *     answered the shopper through; `fail` and `abandon` — never captured.
 *   - `capture` (pay_capture): the minor units the shopper captures of its hold; once the capture
 *     is answered succeeded the order is captured exactly once, for that amount — never more
 *     than once whatever the answers.
 *   - `race` (void_race_capture): a capture and a cancel raced; the order ends in one state —
 *     captured at most once and then never voided, or voided and never captured — and a capture
 *     answered succeeded means captured, a cancel answered succeeded means nothing captured.
 * @typedef {object} ExpectedEnd
 * @property {number[]} refunds
 * @property {boolean} cancel
 * @property {'pass' | 'fail' | 'abandon'} [challenge]
 * @property {number} [capture]
 * @property {boolean} [race]
 */

/**
 * @typedef {object} Iteration
 * @property {number} index  unique within the run (k6: exec.scenario.iterationInTest)
 * @property {number} [timeMs]  virtual arrival time, ms since the run started; default 0
 * @property {Random} [random]  default: a stream seeded from the config's seed and the index
 */

/**
 * Plan one shopper. Draws are taken in a fixed order, so a given (seed, index) always yields
 * the same shopper, whichever engine, VU or pod asks.
 * @param {Iteration} iteration
 * @param {Readonly<TrafficConfig>} config  from resolveTrafficConfig
 * @returns {ShopperPlan}
 */
export function planShopper(iteration, config) {
  const index = iteration.index;
  const random = iteration.random || createRandom(iterationSeed(config.seed, index));
  const t = tablesOf(config);
  const variant = pickWeighted(t.variants, random());
  let entry = pickWeighted(t.mix, random());
  let paymentMethod = pickWeighted(entry.paymentMethods, random());
  let currency = pickWeighted(entry.currencies, random());
  let amount = logUniformInt(entry.amount.min, entry.amount.max, random());
  const behaviour = pickWeighted(t.behavioursOf.get(entry) || t.behaviours, random());
  // Drawn only for this journey, after the others' draws: every other shopper stays as it was.
  if (behaviour === 'pay_other_currency') currency = otherCurrency(entry.currencies, currency, random());
  const threeDs = THREE_DS_BEHAVIOURS.indexOf(behaviour) >= 0;
  if (threeDs) {
    // A channel that hands out 3-D Secure pages, and its challenge card (config.js checks one exists).
    entry = pickWeighted(t.threeDs, random());
    paymentMethod = /** @type {string} */ (entry.threeDSecure);
    currency = pickWeighted(entry.currencies, random());
    amount = logUniformInt(entry.amount.min, entry.amount.max, random());
  }
  const capturing = CAPTURE_BEHAVIOURS.indexOf(behaviour) >= 0;
  if (capturing) {
    // A channel that holds authorisations (config.js checks one exists), its method, currency and amount drawn again.
    entry = pickWeighted(t.holds, random());
    paymentMethod = pickWeighted(entry.paymentMethods, random());
    currency = pickWeighted(entry.currencies, random());
    amount = logUniformInt(entry.amount.min, entry.amount.max, random());
  }
  const orderId = `${config.runId}-${index.toString(36)}`;
  const steps = stepsFor(behaviour, orderId, amount, config, random, entry.manualCapture === true);
  const expect = expectedEnd(steps);
  if (threeDs) expect.challenge = behaviour === 'three_ds_passed' ? 'pass' : behaviour === 'three_ds_failed' ? 'fail' : 'abandon';
  /** @type {ShopperPlan} */
  const plan = {
    index,
    timeMs: iteration.timeMs || 0,
    orderId,
    variant,
    provider: entry.provider,
    method: entry.method,
    paymentMethod,
    amount,
    currency,
    behaviour,
    steps,
    expect,
  };
  if ((behaviour === 'pay_cancel' && entry.manualCapture === true) || capturing) plan.capture = 'manual';
  if (threeDs) plan.threeDSecure = 'challenge';
  if (entry.split) plan.split = splitFor(entry.split, amount);
  return plan;
}

/**
 * @typedef {object} Tables
 * @property {Array<[Variant, number]>} variants
 * @property {Array<[import('./config.js').MixEntry, number]>} mix
 * @property {Array<[ShopperBehaviour, number]>} behaviours
 * @property {Map<import('./config.js').MixEntry, Array<[ShopperBehaviour, number]>>} behavioursOf  the tables of entries with their own `behaviours`
 * @property {Array<[import('./config.js').MixEntry, number]>} threeDs  the entries with `threeDSecure`
 * @property {Array<[import('./config.js').MixEntry, number]>} holds  the entries with `manualCapture`
 */

/**
 * The weighted choice tables of a config, built once per (frozen) config: planning is on the
 * load driver's hot path, tens of thousands of shoppers a second.
 * @type {WeakMap<object, Tables>}
 */
const TABLES = new WeakMap();

/**
 * @param {Readonly<TrafficConfig>} config
 * @returns {Tables}
 */
function tablesOf(config) {
  let t = TABLES.get(config);
  if (!t) {
    t = {
      variants: [['baseline', config.variants.baseline], ['canary', config.variants.canary]],
      mix: config.mix.map((e) => /** @type {[typeof e, number]} */ ([e, e.weight])),
      behaviours: BEHAVIOURS.map((b) => /** @type {[ShopperBehaviour, number]} */ ([b, config.behaviours[b]])),
      behavioursOf: new Map(config.mix.filter((e) => e.behaviours !== undefined).map((e) => [e, BEHAVIOURS.map((b) => /** @type {[ShopperBehaviour, number]} */ ([b, /** @type {Record<ShopperBehaviour, number>} */ (e.behaviours)[b]]))])),
      threeDs: config.mix.filter((e) => e.threeDSecure !== undefined).map((e) => /** @type {[typeof e, number]} */ ([e, e.weight])),
      holds: config.mix.filter((e) => e.manualCapture === true).map((e) => /** @type {[typeof e, number]} */ ([e, e.weight])),
    };
    TABLES.set(config, t);
  }
  return t;
}

/**
 * @param {ShopperBehaviour} behaviour
 * @param {string} orderId
 * @param {number} amount  minor units of the order
 * @param {Readonly<TrafficConfig>} config
 * @param {Random} random
 * @param {boolean} holds  the channel authorises only (its mix entry's manualCapture)
 * @returns {Step[]}
 */
function stepsFor(behaviour, orderId, amount, config, random, holds) {
  const key1 = `${orderId}-k1`;
  const first = pay('first', key1, 0);
  const between = (/** @type {{minMs: number, maxMs: number}} */ r) => Math.round(r.minMs + random() * (r.maxMs - r.minMs));
  switch (behaviour) {
    case 'duplicate_submit':
      return [first, pay('duplicate', key1, between(config.duplicateAfter))];
    case 'new_key_retry':
      return [first, pay('new_key', `${orderId}-k2`, between(config.duplicateAfter))];
    case 'double_click': {
      const dc = config.doubleClick;
      const clicks = dc.minClicks + Math.floor(random() * (dc.maxClicks - dc.minClicks + 1));
      /** @type {Step[]} */
      const burst = [first];
      for (let i = 1; i < clicks; i++) burst.push(pay('double_click', key1, Math.round(random() * dc.spreadMs), true));
      return burst;
    }
    case 'abandon_resume':
      return [
        { kind: 'query', label: 'query', idempotencyKey: '', delayMs: between(config.resumeAfter), concurrent: false, when: 'always' },
        pay('resume', key1, 0, false, 'unless_paid'),
      ];
    case 'retry_on_timeout':
      // A timeout leaves the charge unknown: ask first, then retry with the *same* key (DESIGN.md:
      // outcome_unknown means "query before any retry, never a new key").
      return [
        first,
        { kind: 'query', label: 'query', idempotencyKey: '', delayMs: config.retry.backoffMs, concurrent: false, when: 'after_unknown' },
        pay('retry', key1, 0, false, 'after_unknown'),
      ];
    case 'refund_full':
      return [first].concat(awaitPaid(config), refund(orderId, 1, amount, between(config.lifecycleAfter), config));
    case 'refund_partial':
      return [first].concat(awaitPaid(config), refund(orderId, 1, part(amount, 0.1 + 0.8 * random()), between(config.lifecycleAfter), config));
    case 'refund_partials': {
      // Two or three parts, each under a third of the order: together less than the whole, so
      // a part applied twice still fits in the capture — only the per-order judge can see it.
      const parts = 2 + Math.floor(random() * 2);
      /** @type {Step[]} */
      let steps = [first].concat(awaitPaid(config));
      for (let i = 1; i <= parts; i++) steps = steps.concat(refund(orderId, i, part(amount, 0.05 + 0.25 * random()), between(config.lifecycleAfter), config));
      return steps;
    }
    case 'pay_cancel':
      return [
        first,
        // On a channel that holds, the authorisation is voided even when its answer was lost (the
        // provider may hold it); elsewhere only a payment answered waiting is cancelled.
        lifecycle('cancel', 'cancel', `${orderId}-c1`, between(config.lifecycleAfter), holds ? 'if_authorised' : 'if_held'),
        lifecycle('cancel', 'cancel_retry', `${orderId}-c1`, config.retry.backoffMs, 'after_lifecycle_unknown'),
      ];
    case 'pay_capture': {
      const ask = lifecycle('capture', 'capture', `${orderId}-p1`, between(config.lifecycleAfter), 'if_authorised');
      const again = lifecycle('capture', 'capture_retry', `${orderId}-p1`, config.retry.backoffMs, 'after_lifecycle_unknown');
      ask.amount = amount;
      again.amount = amount;
      return [first, ask, again];
    }
    case 'void_race_capture': {
      // Both at the same instant, once held: the cancel is a concurrent step of the capture's burst.
      const capture = lifecycle('capture', 'race_capture', `${orderId}-p1`, between(config.lifecycleAfter), 'if_authorised');
      capture.amount = amount;
      const cancel = lifecycle('cancel', 'race_cancel', `${orderId}-c1`, 0, 'if_authorised');
      cancel.concurrent = true;
      return [first, capture, cancel];
    }
    case 'three_ds_passed':
    case 'three_ds_failed':
      // The shopper at the issuer's page a moment after the 202 named it.
      return [first, { kind: 'challenge', label: 'challenge', idempotencyKey: '', outcome: behaviour === 'three_ds_passed' ? 'succeed' : 'fail', delayMs: between(config.lifecycleAfter), concurrent: false, when: 'if_challenged' }];
    default:
      // three_ds_abandoned too: the page is never visited.
      return [first];
  }
}

/** How many times a refund journey asks whether a waiting payment got paid before it gives up (and asks no refund). */
export const AWAIT_PAID_TRIES = 5;

/**
 * The refund journeys' wait for a payment answered 202 pending — a redirect (iDEAL, GrabPay) or a
 * wallet waiting for its shopper, paid only when the provider's webhook reaches the gateway: the
 * shopper asks GET /payments/{orderId} up to AWAIT_PAID_TRIES times, `lifecycleAfter.maxMs` apart,
 * stopping once an answer shows it ended. Paid → the refund steps run (if_paid); never paid in
 * time → no refund is asked, so none is expected. A payment answered succeeded at once skips
 * every one of these steps. No random draw: every other choice of the plan stays as it was.
 * @param {Readonly<TrafficConfig>} config
 * @returns {Step[]}
 */
function awaitPaid(config) {
  /** @type {Step[]} */
  const steps = [];
  for (let i = 0; i < AWAIT_PAID_TRIES; i++) steps.push({ kind: 'query', label: 'await_paid', idempotencyKey: '', delayMs: config.lifecycleAfter.maxMs, concurrent: false, when: 'while_waiting' });
  return steps;
}

/**
 * A refund of `amount` once paid, and its one retry under the same key if its answer left the
 * outcome unknown (DESIGN.md: outcome_unknown means "same key, never a new one").
 * @param {string} orderId
 * @param {number} n  which refund of the order, from 1
 * @param {number} amount
 * @param {number} delayMs
 * @param {Readonly<TrafficConfig>} config
 * @returns {Step[]}
 */
function refund(orderId, n, amount, delayMs, config) {
  const key = `${orderId}-r${n}`;
  const ask = lifecycle('refund', 'refund', key, delayMs, 'if_paid');
  const again = lifecycle('refund', 'refund_retry', key, config.retry.backoffMs, 'after_lifecycle_unknown');
  ask.amount = amount;
  again.amount = amount;
  return [ask, again];
}

/**
 * A currency of the channel other than its main one (the heaviest; the first of equals), by the
 * others' weights; the drawn one when the channel has no other.
 * @param {Array<[string, number]>} currencies
 * @param {string} drawn
 * @param {number} draw
 * @returns {string}
 */
function otherCurrency(currencies, drawn, draw) {
  let main = 0;
  for (let i = 1; i < currencies.length; i++) if (/** @type {[string, number]} */ (currencies[i])[1] > /** @type {[string, number]} */ (currencies[main])[1]) main = i;
  const others = currencies.filter((c, i) => i !== main && c[1] > 0);
  return others.length === 0 ? drawn : pickWeighted(others, draw);
}

/**
 * A share of an order, in whole minor units, at least 1 and at most the order.
 * @param {number} amount
 * @param {number} share
 * @returns {number}
 */
function part(amount, share) {
  return Math.min(amount, Math.max(1, Math.round(amount * share)));
}

/**
 * @param {'refund' | 'cancel' | 'capture'} kind
 * @param {StepLabel} label
 * @param {string} key
 * @param {number} delayMs
 * @param {StepCondition} when
 * @returns {Step}
 */
function lifecycle(kind, label, key, delayMs, when) {
  return { kind, label, idempotencyKey: key, delayMs, concurrent: false, when };
}

/**
 * What the plan's steps aim at: the refunds it asks (once each, retries excluded), whether it
 * cancels, what it captures, whether a capture races a cancel.
 * @param {Step[]} steps
 * @returns {ExpectedEnd}
 */
function expectedEnd(steps) {
  /** @type {number[]} */
  const refunds = [];
  let cancel = false;
  /** @type {ExpectedEnd} */
  const end = { refunds, cancel };
  for (const s of steps) {
    if (s.label === 'refund') refunds.push(/** @type {number} */ (s.amount));
    else if (s.label === 'cancel') end.cancel = true;
    else if (s.label === 'capture') end.capture = /** @type {number} */ (s.amount);
    else if (s.label === 'race_capture') end.race = true;
  }
  return end;
}

/**
 * @param {StepLabel} label
 * @param {string} key
 * @param {number} delayMs
 * @param {boolean} [concurrent]
 * @param {Step['when']} [when]
 * @returns {Step}
 *
 * Parameters rather than `{ ...pay(), when }`: k6 v0.48 cannot parse object spread (load/README.md).
 */
function pay(label, key, delayMs, concurrent = false, when = 'always') {
  return { kind: 'pay', label, idempotencyKey: key, delayMs, concurrent, when };
}

/** Re-exported so a caller needs one import for the whole model. */
export { resolveTrafficConfig };
