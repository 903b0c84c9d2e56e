// @ts-check
/**
 * Turning a plan's step into an HTTP request, and deciding whether a conditional step runs.
 * Engines add only the base URL of the plan's variant.
 */
import { isOutcomeUnknown } from './classify.js';

/** @typedef {import('./traffic.js').ShopperPlan} ShopperPlan */
/** @typedef {import('./traffic.js').Step} Step */
/** @typedef {import('./classify.js').Classification} Classification */

/**
 * @typedef {object} PlannedRequest
 * @property {'POST' | 'GET'} method
 * @property {string} path  on the variant's gateway ('' when `url` is set)
 * @property {string} [url]  absolute: a page elsewhere (a 3-D Secure challenge at the provider,
 *   as the gateway's 202 named it); engines send it there, without following its redirect
 * @property {Record<string, string>} headers
 * @property {string | null} body
 * @property {string} name  low-cardinality request name for tags and metrics (no order id in it)
 */

/** The k6 `name` tags (and built-in endpoint labels) of the requests the model makes. */
export const REQUEST_NAMES = { pay: 'POST /payments', query: 'GET /payments/{orderId}', refund: 'POST /payments/{orderId}/refunds', cancel: 'POST /payments/{orderId}/cancel', capture: 'POST /payments/{orderId}/capture', challenge: 'GET {3-D Secure page}' };

/**
 * @param {ShopperPlan} plan
 * @param {Step} step
 * @param {ShopperState} [state]  what the shopper saw so far: a `challenge` visits the page its last submit's answer named
 * @returns {PlannedRequest}
 */
export function requestFor(plan, step, state) {
  if (step.kind === 'challenge') {
    // The page as the gateway got it from the provider (through the provider's proxy): the
    // simulator's 3-D Secure page takes ?outcome=succeed|fail (simulators/stripe/three-d-secure.ts).
    const page = (state && state.lastPay && state.lastPay.nextActionUrl) || '';
    const url = page + (page.indexOf('?') >= 0 ? '&' : '?') + 'outcome=' + (step.outcome || 'succeed');
    return { method: 'GET', path: '', url, headers: { accept: 'text/html, application/json' }, body: null, name: REQUEST_NAMES.challenge };
  }
  if (step.kind === 'query') {
    return { method: 'GET', path: `/payments/${encodeURIComponent(plan.orderId)}`, headers: { accept: 'application/json' }, body: null, name: REQUEST_NAMES.query };
  }
  if (step.kind === 'capture') {
    // The amount always named, so a retry asks for exactly the same.
    return {
      method: 'POST',
      path: `/payments/${encodeURIComponent(plan.orderId)}/capture`,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': step.idempotencyKey },
      body: JSON.stringify({ amount: step.amount }),
      name: REQUEST_NAMES.capture,
    };
  }
  if (step.kind === 'refund' || step.kind === 'cancel') {
    // By order id: the shop knows its order, the gateway finds the payment (gateway/lifecycle-routes.ts).
    // A refund always names its amount — a full one too — so a retry asks for exactly the same.
    const refund = step.kind === 'refund';
    return {
      method: 'POST',
      path: `/payments/${encodeURIComponent(plan.orderId)}/${refund ? 'refunds' : 'cancel'}`,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': step.idempotencyKey },
      body: refund ? JSON.stringify({ amount: step.amount }) : '{}',
      name: refund ? REQUEST_NAMES.refund : REQUEST_NAMES.cancel,
    };
  }
  return {
    method: 'POST',
    path: '/payments',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': step.idempotencyKey },
    // Every submit of an order carries the same parameters: only the key differs between a
    // duplicate and the double-charge trap, which is the point of the trap.
    body: JSON.stringify(payBody(plan)),
    name: REQUEST_NAMES.pay,
  };
}

/**
 * What a shopper knows so far: the classification of its last submit, of its last query
 * (`found` false on 404), and of its last refund or cancel.
 * @typedef {object} ShopperState
 * @property {Classification} [lastPay]
 * @property {{ found: boolean, classification?: Classification }} [lastQuery]
 * @property {Classification} [lastLifecycle]  of the last refund, cancel or capture
 * @property {Classification} [lastChallenge]  the 3-D Secure page's answer
 */

/**
 * @param {Step} step
 * @param {ShopperState} state
 * @returns {boolean}
 */
export function stepShouldRun(step, state) {
  if (step.when === 'always') return true;
  // Paid at once, or shown paid by a query since (a redirect's webhook arrived while the shopper waited).
  if (step.when === 'if_paid') return (state.lastPay !== undefined && state.lastPay.outcome === 'succeeded') || queryShows(state, ['succeeded']);
  if (step.when === 'while_waiting') return state.lastPay !== undefined && state.lastPay.outcome === 'pending' && state.lastPay.status === 202 && !queryShows(state, ['succeeded', 'failed']);
  // Accepted and waiting (202): not a timeout, whose charge may be anywhere.
  if (step.when === 'if_held') return state.lastPay !== undefined && state.lastPay.outcome === 'pending' && state.lastPay.status === 202;
  // Held, or its authorisation's answer lost (a 5xx, a timeout; not a 409 in flight): a capture asks the gateway, which must find out.
  if (step.when === 'if_authorised') return state.lastPay !== undefined && state.lastPay.outcome === 'pending' && isOutcomeUnknown(state.lastPay);
  if (step.when === 'if_challenged') return state.lastPay !== undefined && state.lastPay.outcome === 'pending' && state.lastPay.status === 202 && typeof state.lastPay.nextActionUrl === 'string';
  if (step.when === 'after_lifecycle_unknown') return state.lastLifecycle !== undefined && isOutcomeUnknown(state.lastLifecycle);
  const settledByQuery = queryShows(state, ['succeeded', 'failed']);
  if (step.when === 'after_unknown') {
    return state.lastPay !== undefined && isOutcomeUnknown(state.lastPay) && !settledByQuery;
  }
  // unless_paid
  const paidBySubmit = state.lastPay !== undefined && (state.lastPay.outcome === 'succeeded' || state.lastPay.outcome === 'pending');
  return !paidBySubmit && !queryShows(state, ['succeeded', 'pending']);
}

/**
 * @param {ShopperState} state
 * @param {string[]} outcomes
 * @returns {boolean}
 */
function queryShows(state, outcomes) {
  const q = state.lastQuery;
  return q !== undefined && q.found && q.classification !== undefined && outcomes.indexOf(q.classification.outcome) >= 0;
}

/**
 * A query's answer: 404 means the gateway knows no payment for the order.
 * @param {number} status
 * @returns {boolean}
 */
export function queryFound(status) {
  return status >= 200 && status < 300;
}

/**
 * POST /payments' body for a plan: the order, plus `capture` (a held payment), `threeDSecure` (a
 * challenge) and `split` (a marketplace order) when the plan has them. Assigned, not spread: k6
 * v0.48 cannot parse object spread (load/README.md).
 * @param {import('./traffic.js').ShopperPlan} plan
 */
function payBody(plan) {
  /** @type {Record<string, unknown>} */
  const body = { orderId: plan.orderId, amount: plan.amount, currency: plan.currency, paymentMethod: plan.paymentMethod, provider: plan.provider };
  if (plan.capture === 'manual') body.capture = 'manual';
  else if (plan.threeDSecure === 'challenge') body.threeDSecure = 'challenge';
  if (plan.split) body.split = { destination: plan.split.destination, platformFee: plan.split.platformFee };
  return body;
}
