// @ts-check
/**
 * Load shapes as k6 `ramping-arrival-rate` stages: the same numbers feed k6's executor and the
 * built-in driver. Semantics are k6's: the rate moves linearly from the previous stage's target
 * (or `startRate`) to this stage's `target` over `duration`.
 */

import { parseDurationMs } from './duration.js';

/**
 * @typedef {object} Stage
 * @property {string} duration  k6 duration string, whole seconds ("90s")
 * @property {number} target    iterations per timeUnit at the end of the stage
 */

/**
 * @typedef {object} RampingProfile
 * @property {number} startRate
 * @property {string} timeUnit  always "1s" here
 * @property {Stage[]} stages
 */

/**
 * Peaks of the Singles'-Day night (PROVIDERS.md, "Load anchors"), per second.
 * Alipay payments 2017; Tmall order creation 2019 and 2020.
 */
export const SINGLES_DAY_PEAKS = { alipayPayments2017: 256000, tmallOrders2019: 544000, tmallOrders2020: 583000 };

/**
 * @typedef {object} SinglesDayOptions
 * @property {number} [scale]       fraction of the 2020 peak (583,000/s) to drive; default 0.001 → 583/s
 * @property {number} [peakRate]    overrides scale: the spike's rate, per second
 * @property {number} [baseRatio]   the evening's rate as a fraction of the peak; default 1/12
 * @property {number} [warmupS]     at the base rate before midnight; default 60
 * @property {number} [rampS]       midnight: base → peak; default 20 (the real ramp takes seconds)
 * @property {number} [holdS]       at the peak; default 180 ("held for minutes")
 * @property {number} [decayS]      peak → twice the base, the long tail of the night; default 240
 * @property {number} [tailS]       back down to base; default 60
 */

/**
 * The midnight spike: a calm evening, a near-vertical ramp at 00:00, minutes at the peak, then
 * a decay that stays above the evening for a while. Rates are rounded to whole iterations/s.
 * @param {SinglesDayOptions} [options]
 * @returns {RampingProfile}
 */
export function singlesDayProfile(options) {
  const o = options || {};
  const peak = Math.max(1, Math.round(o.peakRate !== undefined ? o.peakRate : SINGLES_DAY_PEAKS.tmallOrders2020 * (o.scale !== undefined ? o.scale : 0.001)));
  const base = Math.max(1, Math.round(peak * (o.baseRatio !== undefined ? o.baseRatio : 1 / 12)));
  const s = (/** @type {number | undefined} */ v, /** @type {number} */ d) => `${Math.max(1, Math.round(v !== undefined ? v : d))}s`;
  return {
    startRate: base,
    timeUnit: '1s',
    stages: [
      { duration: s(o.warmupS, 60), target: base },
      { duration: s(o.rampS, 20), target: peak },
      { duration: s(o.holdS, 180), target: peak },
      { duration: s(o.decayS, 240), target: Math.min(peak, base * 2) },
      { duration: s(o.tailS, 60), target: base },
    ],
  };
}

/**
 * Seconds in a k6 duration string ("1m30s", "90s", "500ms", "2h").
 * @param {string} duration
 * @returns {number}
 */
export function durationSeconds(duration) {
  const ms = parseDurationMs(duration, { bareSeconds: false });
  if (ms === undefined) throw new RangeError(`not a k6 duration: "${duration}"`);
  return ms / 1000;
}

/**
 * The target rate at `tS` seconds into the profile (0 after the last stage), interpolated as
 * k6 does.
 * @param {RampingProfile} profile
 * @param {number} tS
 * @returns {number}
 */
export function rateAt(profile, tS) {
  let from = profile.startRate;
  let start = 0;
  for (let i = 0; i < profile.stages.length; i++) {
    const stage = /** @type {Stage} */ (profile.stages[i]);
    const d = durationSeconds(stage.duration);
    if (tS < start + d) return from + ((stage.target - from) * (tS - start)) / d;
    start += d;
    from = stage.target;
  }
  return 0;
}

/**
 * Iterations the profile schedules in total (the area under the rate curve).
 * @param {RampingProfile} profile
 * @returns {number}
 */
export function totalIterations(profile) {
  let from = profile.startRate;
  let total = 0;
  for (let i = 0; i < profile.stages.length; i++) {
    const stage = /** @type {Stage} */ (profile.stages[i]);
    total += ((from + stage.target) / 2) * durationSeconds(stage.duration);
    from = stage.target;
  }
  return total;
}

/**
 * Total length of the profile in seconds.
 * @param {RampingProfile} profile
 * @returns {number}
 */
export function profileSeconds(profile) {
  let total = 0;
  for (let i = 0; i < profile.stages.length; i++) total += durationSeconds(/** @type {Stage} */ (profile.stages[i]).duration);
  return total;
}
