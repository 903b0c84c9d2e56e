// @ts-check
/**
 * From a LoadProfile to k6 `options`: one scenario, and thresholds that mirror the profile's
 * SLOs — per variant as well when a canary gets traffic, so k6's own exit code gates a canary.
 */

/** @typedef {import('./lib/index.js').LoadProfile} LoadProfile */
/** @typedef {import('k6/options').Options} Options */

/**
 * @param {string} name  the scenario's name (k6 tags every sample `scenario: name`)
 * @param {LoadProfile} profile
 * @returns {Options}
 */
export function k6Options(name, profile) {
  /** @type {import('k6/options').Scenario} */
  const scenario =
    profile.executor === 'ramping-arrival-rate'
      ? { executor: 'ramping-arrival-rate', startRate: profile.startRate, timeUnit: profile.timeUnit, stages: profile.stages, preAllocatedVUs: profile.preAllocatedVUs, maxVUs: profile.maxVUs }
      : { executor: 'constant-arrival-rate', rate: profile.rate, timeUnit: profile.timeUnit, duration: profile.duration, preAllocatedVUs: profile.preAllocatedVUs, maxVUs: profile.maxVUs };
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
