// @ts-check
/**
 * A load profile: the arrival process, the targets, the traffic mix and the SLOs, from one JSON
 * document plus environment overrides — how `load/payments.js` is configured, in the vocabulary
 * k6 users know (executor, rate, timeUnit, stages, preAllocatedVUs, maxVUs).
 *
 *   PROFILE='{"rate":200,"duration":"1m","traffic":{"mix":"double11"}}'  (or PROFILE_FILE=path)
 *   then RATE, DURATION, EXECUTOR, STAGES (JSON), START_RATE, BASELINE_URL, CANARY_URL,
 *   CANARY_WEIGHT (0–1), MIX (preset name or JSON), SEED, RUN_ID, MAX_VUS, PRE_ALLOCATED_VUS,
 *   SLO_P95_MS, SLO_P99_MS, SLO_SUCCESS_RATE, SLO_HTTP_FAILED_RATE override single fields.
 */
import { resolveTrafficConfig } from './config.js';
import { durationSeconds } from './shapes.js';
import { vuSizing } from './sizing.js';

/**
 * The most VUs a sized profile lets k6 grow to when its system degrades (a few MB of memory per
 * VU on the load machine); the sized preAllocatedVUs is never cut by it. MAX_VUS goes higher.
 */
export const AUTO_MAX_VUS = 1000;

/** k6's default for a request's timeout, and the scripts' (REQUEST_TIMEOUT). */
export const DEFAULT_REQUEST_TIMEOUT = '30s';

/**
 * @typedef {object} Slo
 * @property {number} p95Ms          payment requests' p(95) duration must stay below
 * @property {number} p99Ms          … and p(99)
 * @property {number} successRate    shoppers whose order ends paid must stay above (declines count against it)
 * @property {number} httpFailedRate unexpected HTTP answers (not 2xx/402/404/409) and timeouts must stay below
 */

/**
 * @typedef {object} LoadProfile
 * @property {'constant-arrival-rate' | 'ramping-arrival-rate'} executor
 * @property {number} rate        constant: iterations per timeUnit
 * @property {string} duration    constant: k6 duration
 * @property {number} startRate   ramping: rate at the start
 * @property {Array<{duration: string, target: number}>} stages  ramping
 * @property {string} timeUnit
 * @property {number} preAllocatedVUs  0 (the default): sized from the peak rate (sizing.js)
 * @property {number} maxVUs           0 (the default): sized from the peak rate and the request timeout, at most AUTO_MAX_VUS
 * @property {{ baseline: string, canary: string }} targets  base URLs of the two variants
 * @property {Record<string, unknown>} traffic   partial TrafficConfig (runId is set per run)
 * @property {Slo} slo
 */

/** @type {LoadProfile} */
export const PROFILE_DEFAULTS = {
  executor: 'constant-arrival-rate',
  rate: 50,
  duration: '30s',
  startRate: 10,
  stages: [],
  timeUnit: '1s',
  preAllocatedVUs: 0,
  maxVUs: 0,
  targets: { baseline: 'http://127.0.0.1:8080', canary: '' },
  traffic: {},
  slo: { p95Ms: 500, p99Ms: 1500, successRate: 0.85, httpFailedRate: 0.01 },
};

const KEYS = Object.keys(PROFILE_DEFAULTS);

/**
 * @param {Record<string, string | undefined>} env  k6's __ENV, or process.env
 * @param {string} [profileText]  the PROFILE_FILE's content, read by the caller (k6's open())
 * @returns {LoadProfile}
 */
export function profileFromEnv(env, profileText) {
  /** @type {string[]} */
  const problems = [];
  const text = profileText !== undefined ? profileText : env.PROFILE;
  /** @type {Record<string, unknown>} */
  let input = {};
  if (text !== undefined && text.trim() !== '') {
    try {
      input = JSON.parse(text);
    } catch (e) {
      problems.push(`PROFILE: not JSON (${/** @type {Error} */ (e).message})`);
    }
  }
  const num = (/** @type {string} */ name) => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!isFinite(n)) problems.push(`${name}: expected a number, got "${v}"`);
    return n;
  };
  const json = (/** @type {string} */ name) => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    try {
      return JSON.parse(v);
    } catch (e) {
      problems.push(`${name}: not JSON`);
      return undefined;
    }
  };
  const p = Object.assign({}, input);
  const set = (/** @type {string} */ key, /** @type {unknown} */ v) => {
    if (v !== undefined) p[key] = v;
  };
  set('executor', env.EXECUTOR || undefined);
  set('rate', num('RATE'));
  set('duration', env.DURATION || undefined);
  set('startRate', num('START_RATE'));
  set('stages', json('STAGES'));
  set('preAllocatedVUs', num('PRE_ALLOCATED_VUS'));
  set('maxVUs', num('MAX_VUS'));
  if (env.BASELINE_URL || env.CANARY_URL) {
    const t = Object.assign({}, PROFILE_DEFAULTS.targets, /** @type {object} */ (p.targets || {}));
    if (env.BASELINE_URL) t.baseline = env.BASELINE_URL;
    if (env.CANARY_URL) t.canary = env.CANARY_URL;
    p.targets = t;
  }
  /** @type {Record<string, unknown>} */
  const traffic = Object.assign({}, /** @type {Record<string, unknown>} */ (p.traffic || {}));
  const canaryWeight = num('CANARY_WEIGHT');
  if (canaryWeight !== undefined) traffic.variants = { baseline: 1 - canaryWeight, canary: canaryWeight };
  if (env.MIX) traffic.mix = env.MIX.trim().charAt(0) === '[' ? json('MIX') : env.MIX;
  const seed = num('SEED');
  if (seed !== undefined) traffic.seed = seed;
  p.traffic = traffic;
  const slo = Object.assign({}, /** @type {object} */ (p.slo || {}));
  const sloEnv = { p95Ms: 'SLO_P95_MS', p99Ms: 'SLO_P99_MS', successRate: 'SLO_SUCCESS_RATE', httpFailedRate: 'SLO_HTTP_FAILED_RATE' };
  for (const [k, name] of Object.entries(sloEnv)) {
    const v = num(name);
    if (v !== undefined) /** @type {Record<string, number>} */ (slo)[k] = v;
  }
  p.slo = slo;
  const timeout = env.REQUEST_TIMEOUT || DEFAULT_REQUEST_TIMEOUT;
  if (!isDuration(timeout)) problems.push(`REQUEST_TIMEOUT: expected a k6 duration like 30s, got "${timeout}"`);
  if (problems.length > 0) throw new Error('invalid load profile:\n  ' + problems.join('\n  '));
  return resolveLoadProfile(p, durationSeconds(timeout) * 1000);
}

/**
 * Validate a profile object over the defaults; every problem at once, with its path. VUs left
 * at 0 are sized for the peak rate (vuSizing), so an arrival-rate run holds its rate.
 * @param {Record<string, unknown>} input
 * @param {number} [requestTimeoutMs]  the scripts' REQUEST_TIMEOUT; default 30 s
 * @returns {LoadProfile}
 */
export function resolveLoadProfile(input, requestTimeoutMs) {
  /** @type {string[]} */
  const problems = [];
  for (const key of Object.keys(input)) if (KEYS.indexOf(key) < 0) problems.push(`${key}: unknown key (expected one of ${KEYS.join(', ')})`);
  const p = /** @type {LoadProfile} */ (Object.assign({}, PROFILE_DEFAULTS, input));
  p.targets = Object.assign({}, PROFILE_DEFAULTS.targets, input.targets || {});
  p.slo = Object.assign({}, PROFILE_DEFAULTS.slo, input.slo || {});
  if (p.executor !== 'constant-arrival-rate' && p.executor !== 'ramping-arrival-rate') problems.push(`executor: expected constant-arrival-rate or ramping-arrival-rate, got "${p.executor}"`);
  if (!(p.rate > 0)) problems.push('rate: expected a number > 0');
  if (!isDuration(p.duration)) problems.push(`duration: expected a k6 duration like 30s or 1m30s, got "${p.duration}"`);
  if (!isDuration(p.timeUnit)) problems.push(`timeUnit: expected a k6 duration like 1s, got "${p.timeUnit}"`);
  if (!(p.startRate >= 0)) problems.push('startRate: expected a number >= 0');
  if (!Array.isArray(p.stages)) problems.push('stages: expected an array of {duration, target}');
  else {
    p.stages.forEach((s, i) => {
      if (typeof s !== 'object' || s === null || !isDuration(s.duration) || !(s.target >= 0)) problems.push(`stages[${i}]: expected {duration: "30s", target: >= 0}`);
    });
    if (p.executor === 'ramping-arrival-rate' && p.stages.length === 0) problems.push('stages: ramping-arrival-rate needs at least one stage');
  }
  if (!(Number.isInteger(p.preAllocatedVUs) && p.preAllocatedVUs >= 0)) problems.push('preAllocatedVUs: expected an integer >= 1, or 0 to size it from the rate');
  if (!(Number.isInteger(p.maxVUs) && p.maxVUs >= 0)) problems.push('maxVUs: expected an integer >= preAllocatedVUs, or 0 to size it from the rate');
  else if (p.maxVUs > 0 && p.preAllocatedVUs > 0 && p.maxVUs < p.preAllocatedVUs) problems.push('maxVUs: expected an integer >= preAllocatedVUs');
  if (!/^https?:\/\//.test(p.targets.baseline)) problems.push(`targets.baseline: expected an http(s) URL, got "${p.targets.baseline}"`);
  if (p.targets.canary !== '' && !/^https?:\/\//.test(p.targets.canary)) problems.push(`targets.canary: expected an http(s) URL or "", got "${p.targets.canary}"`);
  const variants = /** @type {{canary?: number} | undefined} */ (/** @type {Record<string, unknown>} */ (p.traffic).variants);
  if (variants && Number(variants.canary) > 0 && p.targets.canary === '') problems.push('targets.canary: canary traffic is weighted but no CANARY_URL / targets.canary is set');
  for (const [k, v] of Object.entries(p.slo)) if (typeof v !== 'number' || !(v >= 0)) problems.push(`slo.${k}: expected a number >= 0`);
  if (problems.length > 0) throw new Error('invalid load profile:\n  ' + problems.join('\n  '));
  if (p.preAllocatedVUs === 0 || p.maxVUs === 0) sizeVus(p, requestTimeoutMs === undefined ? durationSeconds(DEFAULT_REQUEST_TIMEOUT) * 1000 : requestTimeoutMs);
  return p;
}

/**
 * Fill the VUs left at 0 from the peak rate: what an explicit value leaves open is sized, and
 * an explicit maxVUs below the sized preAllocatedVUs caps it (k6 refuses max < preAllocated).
 * @param {LoadProfile} p  validated
 * @param {number} requestTimeoutMs
 */
function sizeVus(p, requestTimeoutMs) {
  const peak = p.executor === 'ramping-arrival-rate' ? Math.max.apply(null, [p.startRate].concat(p.stages.map((s) => s.target))) : p.rate;
  if (!(peak > 0)) {
    // Stages that never arrive anyone need no more than k6's minimum.
    p.preAllocatedVUs = p.preAllocatedVUs || 1;
    p.maxVUs = p.maxVUs || p.preAllocatedVUs;
    return;
  }
  // The traffic config is validated again, with the run id, where the script starts.
  const traffic = resolveTrafficConfig(Object.assign({}, p.traffic, { runId: 'sizing' }));
  const sized = vuSizing({ ratePerS: peak / durationSeconds(p.timeUnit), traffic, slo: p.slo, timeoutMs: requestTimeoutMs });
  const pre = p.preAllocatedVUs || (p.maxVUs > 0 ? Math.min(sized.preAllocatedVUs, p.maxVUs) : sized.preAllocatedVUs);
  if (p.maxVUs === 0) p.maxVUs = Math.max(pre, Math.min(sized.maxVUs, AUTO_MAX_VUS));
  p.preAllocatedVUs = pre;
}

/**
 * @param {unknown} v
 * @returns {boolean}
 */
function isDuration(v) {
  if (typeof v !== 'string') return false;
  try {
    return durationSeconds(v) > 0;
  } catch (e) {
    return false;
  }
}
