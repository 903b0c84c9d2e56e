// @ts-check
/**
 * k6 glue shared by payments.js and singles-day.js: runs one ShopperPlan from load/lib with
 * k6/http, tags every request, and records what the shopper saw. Only k6 APIs present in
 * v0.48 and later.
 *
 * Metrics, and why each exists:
 *   http_req_*                k6's own, tagged variant/provider/payment_method/behaviour/step/
 *                             endpoint (k6 owns `method` on HTTP samples: it is the HTTP method)
 *   paychaos_client_duration  one point per payment submit, refund or cancel *after* its answer was classified,
 *                             tagged outcome/error_code/status — k6 sets a request's tags before
 *                             the answer exists, so this is where `paychaos ingest k6` reads
 *                             outcomes; order id and key travel as metadata (high cardinality,
 *                             never a Prometheus label)
 *   payment_success           Rate per shopper: did the order end paid? (the SLO threshold)
 */
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Rate, Trend } from 'k6/metrics';
import { classifyChallenge, classifyNoResponse, classifyResponse, planShopper, queryFound, requestFor, stepShouldRun } from './lib/index.js';

/** @typedef {import('./lib/index.js').ShopperPlan} ShopperPlan */
/** @typedef {import('./lib/index.js').Step} Step */
/** @typedef {import('./lib/index.js').TrafficConfig} TrafficConfig */
/** @typedef {import('./lib/index.js').Classification} Classification */
/** @typedef {import('./lib/index.js').ShopperState} ShopperState */
/** @typedef {{ baseline: string, canary: string }} Targets */

export const clientDuration = new Trend('paychaos_client_duration', true);
export const paymentSuccess = new Rate('payment_success');

/** Answers that are correct behaviour of a gateway, so they do not count in http_req_failed. */
const PAY_EXPECTED = http.expectedStatuses(200, 201, 402, 409);
const QUERY_EXPECTED = http.expectedStatuses(200, 404);
/** A refund or cancel: done, accepted (202), refused by the provider (402) or by the gateway (409, 422). */
const LIFECYCLE_EXPECTED = http.expectedStatuses(200, 201, 202, 402, 409, 422);
/** A 3-D Secure page: sends the shopper back (302/303, not followed) or answers the payment (200). */
const CHALLENGE_EXPECTED = http.expectedStatuses(200, 302, 303);

/**
 * One iteration: plan the shopper for this iteration's index and play its steps.
 * @param {Readonly<TrafficConfig>} traffic
 * @param {Targets} targets
 * @param {string} requestTimeout  k6 duration, e.g. "30s"
 */
export function runShopper(traffic, targets, requestTimeout) {
  const plan = planShopper({ index: exec.scenario.iterationInTest, timeMs: Date.now() - exec.scenario.startTime }, traffic);
  const base = plan.variant === 'canary' && targets.canary ? targets.canary : targets.baseline;
  /** @type {ShopperState} */
  const state = {};
  let paid = false;
  let i = 0;
  while (i < plan.steps.length) {
    // A burst is a step plus the concurrent steps right after it: k6 sends it with http.batch
    // (all at once; the model's small offsets inside a burst are the built-in driver's to honour).
    let end = i + 1;
    while (end < plan.steps.length && /** @type {Step} */ (plan.steps[end]).concurrent) end++;
    const burst = plan.steps.slice(i, end).filter((s) => stepShouldRun(s, state));
    const lead = /** @type {Step} */ (plan.steps[i]);
    i = end;
    if (burst.length === 0) continue;
    if (lead.delayMs > 0) sleep(lead.delayMs / 1000);
    const responses = send(plan, burst, base, requestTimeout, state);
    burst.forEach((step, j) => {
      const res = /** @type {import('k6/http').RefinedResponse<'text'>} */ (responses[j]);
      if (step.kind === 'query') {
        const found = queryFound(res.status);
        state.lastQuery = found ? { found, classification: classifyResponse(res.status, bodyText(res)) } : { found };
        check(res, { 'order query answered': (r) => r.status === 200 || r.status === 404 }, Object.assign({ method: plan.method }, tagsOf(plan, step)));
        if (found && state.lastQuery.classification && state.lastQuery.classification.outcome === 'succeeded') paid = true;
        return;
      }
      if (step.kind === 'challenge') {
        const page = res.status !== 0 ? classifyChallenge(res.status, headerOf(res, 'Location'), bodyText(res)) : classify(res);
        state.lastChallenge = page;
        // The page sent the shopper back paid: the payment went ahead (the webhook tells the gateway).
        if (page.outcome === 'succeeded') paid = true;
        record(plan, step, res, page);
        return;
      }
      const c = classify(res);
      if (step.kind === 'refund' || step.kind === 'cancel' || step.kind === 'capture') {
        state.lastLifecycle = c;
        record(plan, step, res, c);
        return;
      }
      // In a burst the 409s only say "another click is in flight": the first answer decides.
      if (!(state.lastPay && c.errorCode === 'duplicate_transaction')) state.lastPay = c;
      if (c.outcome === 'succeeded') paid = true;
      record(plan, step, res, c);
    });
  }
  paymentSuccess.add(paid, { variant: plan.variant, provider: plan.provider, method: plan.method });
}

/**
 * @param {ShopperPlan} plan
 * @param {Step[]} steps
 * @param {string} base
 * @param {string} timeout
 * @param {ShopperState} state
 * @returns {import('k6/http').RefinedResponse<'text'>[]}
 */
function send(plan, steps, base, timeout, state) {
  const requests = steps.map((step) => {
    const r = requestFor(plan, step, state);
    /** @type {import('k6/http').RefinedParams<'text'>} */
    const params = {
      headers: r.headers,
      tags: Object.assign({ name: r.name, payment_method: plan.method }, tagsOf(plan, step)),
      timeout,
      responseCallback: step.kind === 'query' ? QUERY_EXPECTED : step.kind === 'pay' ? PAY_EXPECTED : step.kind === 'challenge' ? CHALLENGE_EXPECTED : LIFECYCLE_EXPECTED,
      responseType: 'text',
    };
    // A 3-D Secure page is at the provider (the address the gateway's 202 named); where it sends
    // the shopper back to is its answer, so its redirect is not followed.
    if (r.url !== undefined) params.redirects = 0;
    return { method: r.method, url: r.url !== undefined ? r.url : base + r.path, body: r.body, params };
  });
  const metadata = exec.vu.metrics.metadata;
  metadata.order_id = plan.orderId;
  try {
    if (requests.length === 1) {
      const r = /** @type {(typeof requests)[number]} */ (requests[0]);
      return [http.request(r.method, r.url, r.body, r.params)];
    }
    return /** @type {import('k6/http').RefinedResponse<'text'>[]} */ (http.batch(requests.map((r) => /** @type {[string, string, string | null, import('k6/http').RefinedParams<'text'>]} */ ([r.method, r.url, r.body, r.params]))));
  } finally {
    delete metadata.order_id;
  }
}

/**
 * @param {import('k6/http').RefinedResponse<'text'>} res
 * @returns {Classification}
 */
function classify(res) {
  if (res.status !== 0) return classifyResponse(res.status, bodyText(res));
  // k6 error codes: 11xx DNS and 1200–1219 TCP dial errors mean nothing was sent; a timeout
  // (1050), a reset or an EOF after sending leaves the charge unknown.
  return classifyNoResponse(res.error_code >= 1100 && res.error_code < 1220 ? 'connect' : 'timeout');
}

/**
 * @param {ShopperPlan} plan
 * @param {Step} step
 * @param {import('k6/http').RefinedResponse<'text'>} res
 * @param {Classification} c
 */
function record(plan, step, res, c) {
  const tags = Object.assign(tagsOf(plan, step), {
    method: plan.method,
    outcome: c.outcome,
    error_code: c.errorCode || '',
    status: String(res.status),
    provider: c.provider || plan.provider,
  });
  const metadata = exec.vu.metrics.metadata;
  metadata.order_id = plan.orderId;
  metadata.idempotency_key = step.idempotencyKey;
  if (c.providerCode) metadata.provider_code = c.providerCode;
  // High cardinality, so metadata: what lets `paychaos` join the providers' ledgers to this order.
  if (c.providerPaymentId) metadata.provider_payment_id = c.providerPaymentId;
  if (c.providerReference) metadata.provider_reference = c.providerReference;
  if (step.amount !== undefined) metadata.refund_amount = String(step.amount);
  try {
    clientDuration.add(res.timings.duration, tags);
  } finally {
    delete metadata.order_id;
    delete metadata.idempotency_key;
    delete metadata.provider_code;
    delete metadata.provider_payment_id;
    delete metadata.provider_reference;
    delete metadata.refund_amount;
  }
  // A refund or cancel the gateway refuses (409: not captured, already refunded) is an answer too.
  if (step.kind === 'pay') check(res, { 'payment answered': () => res.status !== 0 && c.errorCode !== 'invalid_request' }, tags);
  else check(res, { [`${step.kind} answered`]: () => res.status !== 0 }, tags);
}

/**
 * The low-cardinality tags every sample of a step carries (k6 adds `scenario` itself; the
 * payment method is added per use, as `method` or `payment_method`, see the header).
 * @param {ShopperPlan} plan
 * @param {Step} step
 * @returns {Record<string, string>}
 */
function tagsOf(plan, step) {
  return { variant: plan.variant, provider: plan.provider, behaviour: plan.behaviour, step: step.label, endpoint: step.kind };
}

/**
 * A response header by its canonical name (k6 canonicalises them: `Location`).
 * @param {import('k6/http').RefinedResponse<'text'>} res
 * @param {string} name
 * @returns {string | undefined}
 */
function headerOf(res, name) {
  const v = res.headers && res.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * @param {import('k6/http').RefinedResponse<'text'>} res
 * @returns {string}
 */
function bodyText(res) {
  return typeof res.body === 'string' ? res.body : '';
}
