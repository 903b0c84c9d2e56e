// @ts-check
/**
 * How many VUs an arrival-rate scenario needs to hold its rate. k6's arrival-rate executors
 * start an iteration on a free VU; with none free the iteration is dropped at once, and a VU
 * beyond `preAllocatedVUs` is only initialised afterwards (seconds, for a script this size), so
 * every arrival that finds the pre-allocated VUs busy is lost. A shopper holds its VU for its
 * whole journey — think pauses included — so the VUs needed are the shoppers in flight:
 *
 *   Little's law   in flight L = arrivals/s × mean journey (s)
 *   journey        Σ behaviour share × (its pauses + its requests × mean request latency)
 *   latency        the mean the run's own thresholds allow: 95 % at p(95), 4 % at p(99),
 *                  1 % at the request timeout (an upper bound whenever the SLOs hold)
 *   headroom       in flight at an instant is a sum of independent yes/no's with mean L and
 *                  variance ≤ L: L + 4·√L is passed about once in 30,000 independent instants
 *
 * `maxVUs` is the same law with every request running to the timeout: a system that stops
 * answering still gets its arrivals (the open model), and k6 only grows that far when it must.
 */

import { TRAFFIC_DEFAULTS } from './config.js';

/** @typedef {import('./config.js').TrafficConfig} TrafficConfig */
/** @typedef {import('./config.js').ShopperBehaviour} ShopperBehaviour */

/** Standard deviations of headroom over the mean in flight (see above). */
export const SIZING_HEADROOM_SIGMAS = 4;

/**
 * @typedef {object} SizingInput
 * @property {number} ratePerS   peak arrivals per second
 * @property {Pick<TrafficConfig, 'behaviours' | 'doubleClick' | 'duplicateAfter' | 'resumeAfter' | 'retry'> & { lifecycleAfter?: TrafficConfig['lifecycleAfter'] }} traffic  resolved
 * @property {{ p95Ms: number, p99Ms: number }} slo  the payment requests' latency thresholds
 * @property {number} timeoutMs  the request timeout: the longest one request holds a VU
 */

/**
 * @typedef {object} Sizing
 * @property {number} requestMs          mean request latency used (the SLOs' bound)
 * @property {number} journeyMs          mean shopper journey at that latency
 * @property {number} inFlight           Little's law: arrivals/s × journey
 * @property {number} preAllocatedVUs    in flight + headroom
 * @property {number} degradedJourneyMs  mean journey when every request times out
 * @property {number} maxVUs             in flight + headroom at the degraded journey
 */

/**
 * @param {SizingInput} input
 * @returns {Sizing}
 */
export function vuSizing(input) {
  /** @type {string[]} */
  const problems = [];
  if (!(input.ratePerS > 0) || !isFinite(input.ratePerS)) problems.push(`ratePerS: expected a number > 0, got ${input.ratePerS}`);
  if (!(input.timeoutMs > 0) || !isFinite(input.timeoutMs)) problems.push(`timeoutMs: expected a number of ms > 0, got ${input.timeoutMs}`);
  if (!(input.slo.p95Ms >= 0) || !(input.slo.p99Ms >= 0)) problems.push('slo: expected p95Ms and p99Ms >= 0');
  if (problems.length > 0) throw new Error('invalid VU sizing input:\n  ' + problems.join('\n  '));
  const t = input.timeoutMs;
  const requestMs = meanLatencyBoundMs(input.slo, t);
  // At the SLO bound, 1 % of submits time out; under total degradation, all of them do.
  const journeyMs = meanJourneyMs(input.traffic, requestMs, 0.01);
  const degradedJourneyMs = meanJourneyMs(input.traffic, t, 1);
  const inFlight = (input.ratePerS * journeyMs) / 1000;
  const preAllocatedVUs = withHeadroom(inFlight);
  return {
    requestMs,
    journeyMs,
    inFlight,
    preAllocatedVUs,
    degradedJourneyMs,
    maxVUs: Math.max(preAllocatedVUs, withHeadroom((input.ratePerS * degradedJourneyMs) / 1000)),
  };
}

/**
 * The mean request latency the thresholds allow at most: 95 % of requests within p(95), the
 * next 4 % within p(99), the last 1 % within the timeout (no request waits longer).
 * @param {{ p95Ms: number, p99Ms: number }} slo
 * @param {number} timeoutMs
 */
export function meanLatencyBoundMs(slo, timeoutMs) {
  return 0.95 * Math.min(slo.p95Ms, timeoutMs) + 0.04 * Math.min(slo.p99Ms, timeoutMs) + 0.01 * timeoutMs;
}

/**
 * A shopper's mean journey: for each behaviour, its pauses and its sequential requests, as
 * traffic.js plans them. A burst counts its spread and one request (its clicks run together);
 * a query and a resume count even when the order turned out paid (an upper bound).
 * @param {SizingInput['traffic']} traffic
 * @param {number} requestMs  mean latency of one request
 * @param {number} unknownShare  share of submits that end unknown (timeout): they query and retry
 */
export function meanJourneyMs(traffic, requestMs, unknownShare) {
  const mean = (/** @type {{minMs: number, maxMs: number}} */ r) => (r.minMs + r.maxMs) / 2;
  const pause = mean(traffic.lifecycleAfter || TRAFFIC_DEFAULTS.lifecycleAfter);
  /** @type {Record<ShopperBehaviour, number>} */
  const journey = {
    pay: requestMs,
    duplicate_submit: mean(traffic.duplicateAfter) + 2 * requestMs,
    new_key_retry: mean(traffic.duplicateAfter) + 2 * requestMs,
    double_click: traffic.doubleClick.spreadMs + requestMs,
    abandon_resume: mean(traffic.resumeAfter) + 2 * requestMs,
    retry_on_timeout: requestMs + unknownShare * (traffic.retry.backoffMs + 2 * requestMs),
    // Pay, pause, one refund (three for partials at most); a retry only after an unknown answer.
    refund_full: requestMs + pause + requestMs + unknownShare * (traffic.retry.backoffMs + requestMs),
    refund_partial: requestMs + pause + requestMs + unknownShare * (traffic.retry.backoffMs + requestMs),
    refund_partials: requestMs + 3 * (pause + requestMs + unknownShare * (traffic.retry.backoffMs + requestMs)),
    pay_other_currency: requestMs,
    pay_cancel: requestMs + pause + requestMs + unknownShare * (traffic.retry.backoffMs + requestMs),
    // Pay, pause, the visit to the 3-D Secure page (none when abandoned).
    three_ds_passed: requestMs + pause + requestMs,
    three_ds_failed: requestMs + pause + requestMs,
    three_ds_abandoned: requestMs,
    // Authorise, pause, the capture (and its one retry after an unknown answer); the race sends capture and cancel together.
    pay_capture: requestMs + pause + requestMs + unknownShare * (traffic.retry.backoffMs + requestMs),
    void_race_capture: requestMs + pause + requestMs,
  };
  let weight = 0;
  let sum = 0;
  for (const b of /** @type {ShopperBehaviour[]} */ (Object.keys(journey))) {
    const w = traffic.behaviours[b] || 0;
    weight += w;
    sum += w * journey[b];
  }
  return weight > 0 ? sum / weight : requestMs;
}

/**
 * In flight plus SIZING_HEADROOM_SIGMAS standard deviations, plus the VU finishing as the next
 * shopper arrives.
 * @param {number} inFlight
 */
function withHeadroom(inFlight) {
  return Math.ceil(inFlight + SIZING_HEADROOM_SIGMAS * Math.sqrt(inFlight)) + 1;
}
