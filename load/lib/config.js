// @ts-check
/**
 * The traffic model's configuration: who shops (provider, method, currency, amount), which
 * variant they hit, and how they behave. One defaults object; `resolveTrafficConfig` merges a
 * partial config over it, rejects unknown keys, reports every problem at once with its path,
 * and freezes the result — the same rules on both engines.
 */

/**
 * @typedef {'pay' | 'duplicate_submit' | 'new_key_retry' | 'double_click' | 'abandon_resume' | 'retry_on_timeout' | 'refund_full' | 'refund_partial' | 'refund_partials' | 'pay_cancel' | 'pay_other_currency' | 'three_ds_passed' | 'three_ds_failed' | 'three_ds_abandoned' | 'pay_capture' | 'void_race_capture'} ShopperBehaviour
 *   pay               one submit.
 *   duplicate_submit  the same request again after the first answer (same key): must replay.
 *   new_key_retry     the same order with a new idempotency key: the double-charge trap that
 *                     only an order-level guard stops.
 *   double_click      a burst of concurrent submits with the same key: one charge, 409s or replays.
 *   abandon_resume    leaves, comes back: queries the order (404 expected), then pays.
 *   retry_on_timeout  pays; if the answer is a timeout (outcome unknown) queries, then retries
 *                     with the same key after a back-off — never a new key.
 *   refund_full       pays; once paid, refunds the whole amount.
 *   refund_partial    pays; once paid, refunds part of it (10–90 %).
 *   refund_partials   pays; once paid, refunds two or three parts, together less than the whole.
 *   pay_cancel        pays; if the payment waits (authorised and held, or a wallet waiting for
 *                     the shopper: 202 pending), cancels it before it is captured — on a channel
 *                     that holds (manualCapture), also once the authorisation's answer was lost
 *                     (5xx, timeout): the provider may hold it, and a hold is never left open.
 *   pay_other_currency  pays once, in a currency of its channel other than the channel's main
 *                     one (its heaviest): a shopper abroad. Its capture must be in that currency.
 *   three_ds_passed   pays with the channel's 3-D Secure card asking for a challenge
 *                     (`threeDSecure: "challenge"`); answered 202 with the page, visits it and
 *                     passes (`?outcome=succeed`): captured exactly once.
 *   three_ds_failed   the same, and fails the challenge (`?outcome=fail`): never captured.
 *   three_ds_abandoned  the same, and never visits the page: never captured.
 *                     The three pay on a mix entry with `threeDSecure` (redrawn among those).
 *   pay_capture       authorises only (`capture: "manual"`); once held (202) — or once its
 *                     answer was lost (5xx, timeout: the provider may hold it) — pauses, then
 *                     captures the whole amount: captured exactly once, for that amount.
 *   void_race_capture authorises only; once held (or its answer lost), sends the capture and the
 *                     cancel at the same instant: exactly one wins — captured once and never
 *                     voided, or voided and never captured — and the answers agree with what the
 *                     provider did. Neither leaves a hold open once answered (journeys-end-state).
 *                     The two pay on a mix entry with `manualCapture` (redrawn among those).
 * Every refund or cancel whose answer leaves its outcome unknown is sent again once, after
 * `retry.backoffMs`, under the same key: it must be applied once.
 */

/**
 * @typedef {object} MixEntry
 * @property {string} provider      payment.provider tag, e.g. stripe, alipay
 * @property {string} method        payment.method tag: card, wallet, bank_redirect, …
 * @property {number} weight        share of shoppers (relative)
 * @property {Array<[string, number]>} paymentMethods  [paymentMethod id, weight]: what is sent
 * @property {Array<[string, number]>} currencies      [ISO 4217 code, weight]
 * @property {{ min: number, max: number }} amount     minor units, log-uniform between
 * @property {boolean} [manualCapture]  the channel holds an authorisation (the reference gateway:
 *   Stripe and Adyen cards): its `pay_cancel` shoppers pay with `capture: "manual"`, so there is a
 *   hold to void, and the capture journeys pay on it
 * @property {Record<ShopperBehaviour, number>} [behaviours]  this channel's shoppers behave by these
 *   weights, given over the config's `behaviours` (a key left out keeps the config's weight): a
 *   channel leaves out the journeys it cannot take (no refund at a wallet the gateway cannot
 *   refund), or weighs its own (more cancels where there is a hold to void)
 * @property {string} [threeDSecure]  the channel hands its shopper a 3-D Secure page (the reference
 *   gateway: Stripe): the test card its `three_ds_*` shoppers pay with, one that always asks for a
 *   challenge (Stripe's `pm_card_threeDSecure2Required`, 4000 0000 0000 3220: authenticate, then succeed)
 * @property {MixSplit} [split]  a marketplace channel: every order is split between a receiver and
 *   the platform (splitFor), sent as POST /payments `split`
 */

/**
 * A marketplace order's split, as a mix entry states it: the provider's id of the account owed
 * the sale (Stripe `acct_…`, an Adyen balance account) and the platform's commission as a
 * percentage of the amount plus a fixed part (minor units) — how marketplaces price their cut.
 * @typedef {object} MixSplit
 * @property {string} destination
 * @property {{ percent: number, fixed: number }} platformFee
 */

/**
 * @typedef {object} TrafficConfig
 * @property {string} runId        prefix of every order id and key: unique per run
 * @property {number} seed         run seed; each iteration derives its own stream from it
 * @property {{ baseline: number, canary: number }} variants  traffic split by weight
 * @property {MixEntry[]} mix
 * @property {Record<ShopperBehaviour, number>} behaviours    weights
 * @property {{ minClicks: number, maxClicks: number, spreadMs: number }} doubleClick
 * @property {{ minMs: number, maxMs: number }} duplicateAfter   pause before the duplicate submit
 * @property {{ minMs: number, maxMs: number }} resumeAfter      how long an abandoning shopper is away
 * @property {{ minMs: number, maxMs: number }} lifecycleAfter   pause between a paid answer and a refund or cancel
 * @property {{ backoffMs: number }} retry
 */

/** @type {ShopperBehaviour[]} */
export const BEHAVIOURS = ['pay', 'duplicate_submit', 'new_key_retry', 'double_click', 'abandon_resume', 'retry_on_timeout', 'refund_full', 'refund_partial', 'refund_partials', 'pay_cancel', 'pay_other_currency', 'three_ds_passed', 'three_ds_failed', 'three_ds_abandoned', 'pay_capture', 'void_race_capture'];

/** The capture journeys: they authorise only, on a mix entry with `manualCapture`. */
export const CAPTURE_BEHAVIOURS = ['pay_capture', 'void_race_capture'];

/** The 3-D Secure journeys: they pay on a mix entry with `threeDSecure`, with its card. */
export const THREE_DS_BEHAVIOURS = ['three_ds_passed', 'three_ds_failed', 'three_ds_abandoned'];

/** Stripe's test card that always asks for a 3-D Secure challenge, then succeeds (docs.stripe.com/testing#regulatory-cards). */
const STRIPE_CHALLENGE_CARD = 'pm_card_threeDSecure2Required';

/**
 * Cards through the Stripe-style simulator: what the reference gateway serves today. About 9 %
 * of shoppers are declined for a reason a real issuer gives (PROVIDERS.md's test triggers).
 * @type {MixEntry[]}
 */
const CARD_MIX = [
  {
    provider: 'stripe',
    method: 'card',
    weight: 1,
    paymentMethods: [
      ['pm_card_visa', 60],
      ['pm_card_mastercard', 31],
      ['pm_card_chargeDeclined', 3],
      ['pm_card_chargeDeclinedInsufficientFunds', 2],
      ['pm_card_chargeDeclinedExpiredCard', 1],
      ['pm_card_chargeDeclinedIncorrectCvc', 1],
      ['pm_card_chargeDeclinedProcessingError', 1],
      ['pm_card_authenticationRequired', 1],
    ],
    currencies: [['eur', 45], ['usd', 30], ['cny', 15], ['gbp', 10]],
    amount: { min: 100, max: 50000 },
    threeDSecure: STRIPE_CHALLENGE_CARD,
  },
];

/**
 * A copy of an entry for another channel, without the Stripe-only `threeDSecure` (the reference
 * gateway hands out 3-D Secure pages at Stripe only).
 * @param {MixEntry} entry
 * @param {Partial<MixEntry>} changes
 * @returns {MixEntry}
 */
function otherChannel(entry, changes) {
  const copy = Object.assign({}, entry, changes);
  delete copy.threeDSecure;
  return copy;
}

/**
 * Singles' Day is mostly wallets paying in CNY. The gateway routes each payment to the provider
 * its body names; the ids are the ones paychaos' wallet simulators accept.
 * @type {MixEntry[]}
 */
const DOUBLE11_MIX = [
  { provider: 'alipay', method: 'wallet', weight: 55, paymentMethods: [['pm_alipay', 1]], currencies: [['cny', 1]], amount: { min: 990, max: 200000 } },
  { provider: 'wechatpay', method: 'wallet', weight: 30, paymentMethods: [['pm_wechat_pay', 1]], currencies: [['cny', 1]], amount: { min: 990, max: 200000 } },
  Object.assign({}, CARD_MIX[0], { weight: 15, currencies: [['cny', 70], ['usd', 20], ['eur', 10]] }),
].map((e) => /** @type {MixEntry} */ (e));

/**
 * Every provider paychaos simulates, native and WireMock-described: a rehearsal that every
 * channel's traffic lands in the same results. UnionPay pays by card (its test debit card) in CNY. The WireMock providers (`wiremock:localwallet`, `wiremock:ecny`, `wiremock:cryptopay`) need Java.
 * @type {MixEntry[]}
 */
const ALL_MIX = [
  Object.assign({}, CARD_MIX[0], { weight: 30 }),
  otherChannel(/** @type {MixEntry} */ (CARD_MIX[0]), { provider: 'adyen', weight: 15, currencies: [['eur', 70], ['gbp', 30]] }),
  { provider: 'alipay', method: 'wallet', weight: 20, paymentMethods: [['pm_alipay', 1]], currencies: [['cny', 1]], amount: { min: 990, max: 200000 } },
  { provider: 'wechatpay', method: 'wallet', weight: 15, paymentMethods: [['pm_wechat_pay', 1]], currencies: [['cny', 1]], amount: { min: 990, max: 200000 } },
  { provider: 'paypal', method: 'wallet', weight: 10, paymentMethods: [['pm_paypal', 1]], currencies: [['usd', 60], ['eur', 40]], amount: { min: 500, max: 100000 } },
  { provider: 'unionpay', method: 'card', weight: 10, paymentMethods: [['pm_card_unionpay', 1]], currencies: [['cny', 1]], amount: { min: 990, max: 200000 } },
  { provider: 'wiremock:localwallet', method: 'wallet', weight: 10, paymentMethods: [['pm_localwallet', 1]], currencies: [['sgd', 1]], amount: { min: 500, max: 50000 } },
  // The other worked WireMock providers (issue #15): the digital yuan pays in CNY only; the crypto gateway prices in fiat.
  { provider: 'wiremock:ecny', method: 'wallet', weight: 4, paymentMethods: [['pm_ecny', 1]], currencies: [['cny', 1]], amount: { min: 990, max: 200000 } },
  { provider: 'wiremock:cryptopay', method: 'wallet', weight: 3, paymentMethods: [['pm_crypto', 1]], currencies: [['usd', 70], ['eur', 30]], amount: { min: 500, max: 100000 } },
  // Issue #15's channels at the acquirers: iDEAL (EUR only) and GrabPay (SGD, MYR) redirect their
  // shopper and settle by webhook; Apple Pay and Google Pay are cards with a network token.
  { provider: 'stripe', method: 'bank_redirect', weight: 4, paymentMethods: [['pm_ideal', 1]], currencies: [['eur', 1]], amount: { min: 100, max: 50000 } },
  { provider: 'adyen', method: 'bank_redirect', weight: 3, paymentMethods: [['pm_ideal', 1]], currencies: [['eur', 1]], amount: { min: 100, max: 50000 } },
  { provider: 'stripe', method: 'wallet', weight: 3, paymentMethods: [['pm_grabpay', 1]], currencies: [['sgd', 60], ['myr', 40]], amount: { min: 100, max: 50000 } },
  { provider: 'adyen', method: 'wallet', weight: 2, paymentMethods: [['pm_grabpay', 1]], currencies: [['sgd', 60], ['myr', 40]], amount: { min: 100, max: 50000 } },
  { provider: 'stripe', method: 'wallet_card', weight: 4, paymentMethods: [['pm_card_visa_applePay', 60], ['pm_card_mastercard_googlePay', 40]], currencies: [['eur', 50], ['usd', 50]], amount: { min: 100, max: 50000 } },
  { provider: 'adyen', method: 'wallet_card', weight: 3, paymentMethods: [['pm_card_visa_applePay', 50], ['pm_card_mastercard_googlePay', 50]], currencies: [['eur', 70], ['gbp', 30]], amount: { min: 100, max: 50000 } },
].map((e) => /** @type {MixEntry} */ (e));

/** Named mixes a profile can refer to by name (`"mix": "double11"`). */
export const MIX_PRESETS = { cards: CARD_MIX, double11: DOUBLE11_MIX, all: ALL_MIX };

/** @type {Omit<TrafficConfig, 'runId'>} */
export const TRAFFIC_DEFAULTS = {
  seed: 1,
  variants: { baseline: 1, canary: 0 },
  mix: CARD_MIX,
  // The money-lifecycle journeys are opt-in (weight 0): a scenario that wants them names them.
  behaviours: { pay: 90, duplicate_submit: 3, new_key_retry: 2, double_click: 2, abandon_resume: 2, retry_on_timeout: 1, refund_full: 0, refund_partial: 0, refund_partials: 0, pay_cancel: 0, pay_other_currency: 0, three_ds_passed: 0, three_ds_failed: 0, three_ds_abandoned: 0, pay_capture: 0, void_race_capture: 0 },
  doubleClick: { minClicks: 2, maxClicks: 4, spreadMs: 150 },
  duplicateAfter: { minMs: 200, maxMs: 2000 },
  resumeAfter: { minMs: 2000, maxMs: 20000 },
  lifecycleAfter: { minMs: 100, maxMs: 1000 },
  retry: { backoffMs: 1000 },
};

/** Thrown with every problem found, each naming its path (`mix[1].weight: …`). */
export class TrafficConfigError extends Error {
  /** @param {string[]} problems */
  constructor(problems) {
    super('invalid traffic config:\n  ' + problems.join('\n  '));
    this.name = 'TrafficConfigError';
    this.problems = problems;
  }
}

const TOP_KEYS = ['runId', 'seed', 'variants', 'mix', 'behaviours', 'doubleClick', 'duplicateAfter', 'resumeAfter', 'lifecycleAfter', 'retry'];
const MIX_KEYS = ['provider', 'method', 'weight', 'paymentMethods', 'currencies', 'amount', 'manualCapture', 'threeDSecure', 'behaviours', 'split'];

/**
 * Merge `input` over the defaults, validate and freeze. `mix` may be a preset name.
 * @param {Record<string, unknown>} input  needs at least `runId`
 * @returns {Readonly<TrafficConfig>}
 */
export function resolveTrafficConfig(input) {
  /** @type {string[]} */
  const problems = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new TrafficConfigError(['(root): expected an object']);
  unknownKeys(input, TOP_KEYS, '', problems);

  const runId = input.runId;
  if (typeof runId !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(runId)) problems.push('runId: expected 1–40 letters, digits, _ or - (it prefixes order ids, which the gateway caps at 64)');
  const seed = input.seed === undefined ? TRAFFIC_DEFAULTS.seed : input.seed;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 4294967295) problems.push('seed: expected an integer in [0, 2^32)');

  const variants = mergeNumbers('variants', input.variants, TRAFFIC_DEFAULTS.variants, problems);
  if (variants.baseline + variants.canary <= 0) problems.push('variants: at least one of baseline and canary needs a positive weight');
  const behaviours = mergeNumbers('behaviours', input.behaviours, TRAFFIC_DEFAULTS.behaviours, problems);
  if (BEHAVIOURS.every((b) => behaviours[b] === 0)) problems.push('behaviours: at least one behaviour needs a positive weight');
  const doubleClick = mergeNumbers('doubleClick', input.doubleClick, TRAFFIC_DEFAULTS.doubleClick, problems);
  if (!Number.isInteger(doubleClick.minClicks) || doubleClick.minClicks < 2) problems.push('doubleClick.minClicks: expected an integer >= 2');
  if (!Number.isInteger(doubleClick.maxClicks) || doubleClick.maxClicks < doubleClick.minClicks) problems.push('doubleClick.maxClicks: expected an integer >= minClicks');
  const duplicateAfter = msRange('duplicateAfter', input.duplicateAfter, TRAFFIC_DEFAULTS.duplicateAfter, problems);
  const resumeAfter = msRange('resumeAfter', input.resumeAfter, TRAFFIC_DEFAULTS.resumeAfter, problems);
  const lifecycleAfter = msRange('lifecycleAfter', input.lifecycleAfter, TRAFFIC_DEFAULTS.lifecycleAfter, problems);
  const retry = mergeNumbers('retry', input.retry, TRAFFIC_DEFAULTS.retry, problems);
  const mix = resolveMix(input.mix, behaviours, problems);
  const challenged = THREE_DS_BEHAVIOURS.filter((b) => behaviours[/** @type {ShopperBehaviour} */ (b)] > 0);
  if (challenged.length > 0 && mix.length > 0 && !mix.some((e) => e.threeDSecure !== undefined && e.weight > 0)) {
    problems.push(`behaviours.${challenged[0]}: the 3-D Secure journeys need a mix entry with threeDSecure (the card that asks for a challenge, e.g. "pm_card_threeDSecure2Required" at stripe) and a positive weight`);
  }

  const capturing = CAPTURE_BEHAVIOURS.filter((b) => behaviours[/** @type {ShopperBehaviour} */ (b)] > 0);
  if (capturing.length > 0 && mix.length > 0 && !mix.some((e) => e.manualCapture === true && e.weight > 0)) {
    problems.push(`behaviours.${capturing[0]}: the capture journeys need a mix entry with manualCapture: true (a channel that holds an authorisation, e.g. stripe or adyen cards) and a positive weight`);
  }

  if (problems.length > 0) throw new TrafficConfigError(problems);
  return deepFreeze({
    runId: /** @type {string} */ (runId),
    seed: /** @type {number} */ (seed),
    variants,
    mix,
    behaviours,
    doubleClick,
    duplicateAfter,
    resumeAfter,
    lifecycleAfter,
    retry,
  });
}

/**
 * @param {unknown} input
 * @param {Record<ShopperBehaviour, number>} behaviours  the config's, which an entry's own are given over
 * @param {string[]} problems
 * @returns {MixEntry[]}
 */
function resolveMix(input, behaviours, problems) {
  if (input === undefined) return TRAFFIC_DEFAULTS.mix;
  if (typeof input === 'string') {
    if (Object.prototype.hasOwnProperty.call(MIX_PRESETS, input)) return MIX_PRESETS[/** @type {keyof typeof MIX_PRESETS} */ (input)];
    problems.push(`mix: unknown preset "${input}" (expected one of ${Object.keys(MIX_PRESETS).join(', ')}, or an array)`);
    return [];
  }
  if (!Array.isArray(input) || input.length === 0) {
    problems.push('mix: expected a preset name or a non-empty array of {provider, method, weight, paymentMethods, currencies, amount}');
    return [];
  }
  /** @type {MixEntry[]} */
  const out = [];
  input.forEach((raw, i) => {
    const path = `mix[${i}]`;
    if (typeof raw !== 'object' || raw === null) {
      problems.push(`${path}: expected an object`);
      return;
    }
    const e = /** @type {Record<string, unknown>} */ (raw);
    unknownKeys(e, MIX_KEYS, path + '.', problems);
    if (typeof e.provider !== 'string' || e.provider === '') problems.push(`${path}.provider: expected a provider name such as stripe`);
    if (typeof e.method !== 'string' || e.method === '') problems.push(`${path}.method: expected a method such as card or wallet`);
    const weight = e.weight === undefined ? 1 : e.weight;
    if (typeof weight !== 'number' || !(weight >= 0) || !isFinite(weight)) problems.push(`${path}.weight: expected a number >= 0`);
    const paymentMethods = weightedList(`${path}.paymentMethods`, e.paymentMethods, problems);
    const currencies = weightedList(`${path}.currencies`, e.currencies, problems);
    currencies.forEach(([c], j) => {
      if (!/^[A-Za-z]{3}$/.test(c)) problems.push(`${path}.currencies[${j}]: expected an ISO 4217 code such as eur, got "${c}"`);
    });
    const [min, max] = mergeRange(`${path}.amount`, e.amount, 'min', 'max', 100, 50000, problems);
    if (min < 1 || !Number.isInteger(min) || !Number.isInteger(max)) problems.push(`${path}.amount: expected integers >= 1 (minor units)`);
    if (e.manualCapture !== undefined && typeof e.manualCapture !== 'boolean') problems.push(`${path}.manualCapture: expected true or false`);
    if (e.threeDSecure !== undefined && (typeof e.threeDSecure !== 'string' || e.threeDSecure === '')) problems.push(`${path}.threeDSecure: expected the payment method id of a card that asks for a 3-D Secure challenge, such as "pm_card_threeDSecure2Required"`);
    /** @type {MixEntry} */
    const entry = { provider: String(e.provider), method: String(e.method), weight: Number(weight), paymentMethods, currencies, amount: { min, max } };
    if (e.manualCapture === true) entry.manualCapture = true;
    if (typeof e.threeDSecure === 'string' && e.threeDSecure !== '') entry.threeDSecure = e.threeDSecure;
    if (e.behaviours !== undefined) {
      const own = mergeNumbers(`${path}.behaviours`, e.behaviours, behaviours, problems);
      if (BEHAVIOURS.every((b) => own[b] === 0)) problems.push(`${path}.behaviours: at least one behaviour needs a positive weight`);
      entry.behaviours = own;
    }
    const split = resolveSplit(`${path}.split`, e.split, problems);
    if (split) entry.split = split;
    out.push(entry);
  });
  if (out.length > 0 && out.every((e) => e.weight === 0)) problems.push('mix: at least one entry needs a positive weight');
  return out;
}

/**
 * A mix entry's `split`, checked: `{ destination, platformFee: { percent?, fixed? } }`.
 * @param {string} path
 * @param {unknown} input
 * @param {string[]} problems
 * @returns {MixSplit | undefined}
 */
function resolveSplit(path, input, problems) {
  if (input === undefined) return undefined;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    problems.push(`${path}: expected { destination, platformFee: { percent, fixed } }`);
    return undefined;
  }
  const s = /** @type {Record<string, unknown>} */ (input);
  unknownKeys(s, ['destination', 'platformFee'], path + '.', problems);
  if (typeof s.destination !== 'string' || !/^[A-Za-z0-9_]{1,64}$/.test(s.destination)) problems.push(`${path}.destination: expected the provider's id of the account owed the sale, 1–64 letters, digits or _, such as "acct_seller1" at stripe`);
  const fee = s.platformFee === undefined ? {} : s.platformFee;
  if (typeof fee !== 'object' || fee === null || Array.isArray(fee)) {
    problems.push(`${path}.platformFee: expected { percent, fixed }: the platform's commission, a percentage of the amount plus minor units`);
    return undefined;
  }
  const f = /** @type {Record<string, unknown>} */ (fee);
  unknownKeys(f, ['percent', 'fixed'], path + '.platformFee.', problems);
  const percent = f.percent === undefined ? 0 : f.percent;
  const fixed = f.fixed === undefined ? 0 : f.fixed;
  if (typeof percent !== 'number' || !(percent >= 0 && percent <= 100)) problems.push(`${path}.platformFee.percent: expected a number from 0 to 100`);
  if (typeof fixed !== 'number' || !Number.isInteger(fixed) || fixed < 0) problems.push(`${path}.platformFee.fixed: expected an integer >= 0 (minor units)`);
  return { destination: String(s.destination), platformFee: { percent: Number(percent), fixed: Number(fixed) } };
}

/**
 * The split a marketplace order sends: the commission is `percent` of the amount, rounded to the
 * minor unit, plus `fixed`, never more than the amount (a small order's commission is capped, the
 * receiver then gets nothing rather than owing the platform).
 * @param {MixSplit} split
 * @param {number} amount  minor units
 * @returns {{ destination: string, platformFee: number }}
 */
export function splitFor(split, amount) {
  const fee = Math.round((amount * split.platformFee.percent) / 100) + split.platformFee.fixed;
  return { destination: split.destination, platformFee: Math.min(amount, fee) };
}

/**
 * @param {string} path
 * @param {unknown} input
 * @param {string[]} problems
 * @returns {Array<[string, number]>}
 */
function weightedList(path, input, problems) {
  if (!Array.isArray(input) || input.length === 0) {
    problems.push(`${path}: expected a non-empty array of [value, weight]`);
    return [];
  }
  /** @type {Array<[string, number]>} */
  const out = [];
  input.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'number' || !(pair[1] >= 0)) {
      problems.push(`${path}[${i}]: expected [string, weight >= 0]`);
      return;
    }
    out.push([pair[0], pair[1]]);
  });
  if (out.length > 0 && out.every((p) => p[1] === 0)) problems.push(`${path}: at least one entry needs a positive weight`);
  return out;
}

/**
 * Merge an object of non-negative numbers over its defaults; only the defaults' keys are allowed.
 * @template {Record<string, number>} T
 * @param {string} path
 * @param {unknown} input
 * @param {T} defaults
 * @param {string[]} problems
 * @returns {T}
 */
function mergeNumbers(path, input, defaults, problems) {
  const out = /** @type {T} */ (Object.assign({}, defaults));
  if (input === undefined) return out;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    problems.push(`${path}: expected an object with ${Object.keys(defaults).join(', ')}`);
    return out;
  }
  const given = /** @type {Record<string, unknown>} */ (input);
  unknownKeys(given, Object.keys(defaults), path + '.', problems);
  for (const key of Object.keys(defaults)) {
    const v = given[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v >= 0) || !isFinite(v)) problems.push(`${path}.${key}: expected a number >= 0`);
    else /** @type {Record<string, number>} */ (out)[key] = v;
  }
  return out;
}

/**
 * A [low, high] pair of numbers under the keys `lo` and `hi`, merged over its defaults.
 * @param {string} path
 * @param {unknown} input
 * @param {string} lo
 * @param {string} hi
 * @param {number} defaultLo
 * @param {number} defaultHi
 * @param {string[]} problems
 * @returns {[number, number]}
 */
function mergeRange(path, input, lo, hi, defaultLo, defaultHi, problems) {
  /** @type {Record<string, number>} */
  const defaults = {};
  defaults[lo] = defaultLo;
  defaults[hi] = defaultHi;
  const merged = mergeNumbers(path, input, defaults, problems);
  const min = /** @type {number} */ (merged[lo]);
  const max = /** @type {number} */ (merged[hi]);
  if (max < min) problems.push(`${path}.${hi}: expected >= ${lo} (${min})`);
  return [min, max];
}

/**
 * @param {string} path
 * @param {unknown} input
 * @param {{ minMs: number, maxMs: number }} defaults
 * @param {string[]} problems
 * @returns {{ minMs: number, maxMs: number }}
 */
function msRange(path, input, defaults, problems) {
  const [minMs, maxMs] = mergeRange(path, input, 'minMs', 'maxMs', defaults.minMs, defaults.maxMs, problems);
  return { minMs, maxMs };
}

/**
 * @param {Record<string, unknown>} obj
 * @param {string[]} allowed
 * @param {string} prefix
 * @param {string[]} problems
 */
function unknownKeys(obj, allowed, prefix, problems) {
  for (const key of Object.keys(obj)) if (allowed.indexOf(key) < 0) problems.push(`${prefix}${key}: unknown key (expected one of ${allowed.join(', ')})`);
}

/**
 * @template T
 * @param {T} value
 * @returns {T}
 */
function deepFreeze(value) {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
