// @ts-check
/**
 * From a LoadProfile to k6 `options`: one scenario, and thresholds that mirror the profile's
 * SLOs — per variant as well when a canary gets traffic, so k6's own exit code gates a canary.
 */

import { ARRIVALS_TAG, ARRIVAL_WINDOW_TAG, durationSeconds, totalIterations } from './lib/index.js';

/** @typedef {import('./lib/index.js').LoadProfile} LoadProfile */
/** @typedef {import('k6/options').Options} Options */

/**
 * @param {string} name  the scenario's name (k6 tags every sample `scenario: name`)
 * @param {LoadProfile} profile
 * @returns {Options}
 */
export function k6Options(name, profile) {
  const tags = arrivalTags(profile);
  /** @type {import('k6/options').Scenario} */
  const scenario =
    profile.executor === 'ramping-arrival-rate'
      ? { executor: 'ramping-arrival-rate', startRate: profile.startRate, timeUnit: profile.timeUnit, stages: profile.stages, preAllocatedVUs: profile.preAllocatedVUs, maxVUs: profile.maxVUs, tags }
      : { executor: 'constant-arrival-rate', rate: profile.rate, timeUnit: profile.timeUnit, duration: profile.duration, preAllocatedVUs: profile.preAllocatedVUs, maxVUs: profile.maxVUs, tags };
  const slo = profile.slo;
  /** @type {Record<string, string[]>} */
  const thresholds = {
    http_req_failed: [`rate<${slo.httpFailedRate}`],
    'http_req_duration{endpoint:pay}': [`p(95)<${slo.p95Ms}`, `p(99)<${slo.p99Ms}`],
    payment_success: [`rate>${slo.successRate}`],
    // An arrival-rate run that ran out of VUs under-drove the target: the harness, not the
    // system, was the bottleneck (the built-in driver's driver_healthy).
    dropped_iterations: ['count<1'],
  };
  const variants = /** @type {{ canary?: number } | undefined} */ (profile.traffic.variants);
  if (variants && Number(variants.canary) > 0) {
    for (const variant of ['baseline', 'canary']) {
      thresholds[`http_req_duration{endpoint:pay,variant:${variant}}`] = [`p(95)<${slo.p95Ms}`];
      thresholds[`payment_success{variant:${variant}}`] = [`rate>${slo.successRate}`];
    }
  }
  return {
    scenarios: { [name]: scenario },
    thresholds,
    // Percentiles the SLOs and the summary use; k6's default stops at p(95).
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
  };
}

/**
 * The scenario's arrival schedule as scenario tags, which k6 puts on every sample of the
 * scenario: `--out json` records no options, so this is how `paychaos ingest k6` learns the
 * rate the run was set to hold and its arrival window (the scenario's duration, before
 * gracefulStop) — the iterations scheduled and the seconds they arrive in.
 * @param {LoadProfile} profile
 * @returns {Record<string, string>}
 */
export function arrivalTags(profile) {
  const unitS = durationSeconds(profile.timeUnit);
  if (profile.executor === 'ramping-arrival-rate') {
    let windowS = 0;
    for (const stage of profile.stages) windowS += durationSeconds(stage.duration);
    const scheduled = totalIterations({ startRate: profile.startRate / unitS, timeUnit: '1s', stages: profile.stages.map((s) => ({ duration: s.duration, target: s.target / unitS })) });
    return { [ARRIVALS_TAG]: String(Math.round(scheduled)), [ARRIVAL_WINDOW_TAG]: `${windowS}s` };
  }
  const windowS = durationSeconds(profile.duration);
  return { [ARRIVALS_TAG]: String(Math.round((profile.rate / unitS) * windowS)), [ARRIVAL_WINDOW_TAG]: `${windowS}s` };
}
