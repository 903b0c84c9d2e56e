// @ts-check
/**
 * The Singles'-Day midnight spike (PROVIDERS.md "Load anchors": 583,000 orders/s at the 2020
 * peak): a calm evening, a near-vertical ramp at 00:00, minutes at the peak, a long decay.
 * SCALE is the fraction of 583,000/s to drive (default 0.001 → 583/s, one machine); k8s/
 * shows how to reach SCALE=1 by splitting this same script across k6-operator pods.
 *
 *   k6 run -e BASELINE_URL=http://127.0.0.1:8080 -e SCALE=0.0005 load/singles-day.js
 *   env: SCALE | PEAK_RATE, BASE_RATIO, WARMUP_S, RAMP_S, HOLD_S, DECAY_S, TAIL_S, plus
 *   everything load/payments.js takes for targets, mix and SLOs (MIX=double11 for wallets).
 */
import { profileFromEnv, resolveTrafficConfig, singlesDayProfile } from './lib/index.js';
import { k6Options } from './options.js';
import { runShopper } from './shopper.js';
import { paychaosSummary } from './summary.js';

/** @param {string} name */
const num = (name) => (__ENV[name] ? Number(__ENV[name]) : undefined);

const shape = singlesDayProfile({
  scale: num('SCALE'),
  peakRate: num('PEAK_RATE'),
  baseRatio: num('BASE_RATIO'),
  warmupS: num('WARMUP_S'),
  rampS: num('RAMP_S'),
  holdS: num('HOLD_S'),
  decayS: num('DECAY_S'),
  tailS: num('TAIL_S'),
});
const peak = Math.max.apply(null, shape.stages.map((s) => s.target));

// A shopper holds a VU for its whole journey (≈0.3 s on average with the default behaviour
// mix, most of it the abandoners' pause), so VUs ≈ rate × 0.3 s; maxVUs leaves room for a slow
// gateway, which is exactly when an open model must keep arriving.
const profile = profileFromEnv(
  Object.assign({ PRE_ALLOCATED_VUS: String(Math.ceil(peak * 0.3) + 10), MAX_VUS: String(Math.ceil(peak * 2) + 100) }, __ENV, {
    EXECUTOR: 'ramping-arrival-rate',
    START_RATE: String(shape.startRate),
    STAGES: JSON.stringify(shape.stages),
  }),
);
const REQUEST_TIMEOUT = __ENV.REQUEST_TIMEOUT || '30s';
// Validate the traffic config in the init context, where an error stops k6 before any load
// (in an iteration it would only fail that iteration, over and over). The run id comes later.
resolveTrafficConfig(Object.assign({}, profile.traffic, { runId: __ENV.RUN_ID || 'init' }));

export const options = k6Options('singles_day', profile);

export function setup() {
  return { runId: __ENV.RUN_ID || `d11-${Date.now().toString(36)}` };
}

/** @type {Readonly<import('./lib/index.js').TrafficConfig> | undefined} */
let traffic;

/** @param {{ runId: string }} data */
export default function (data) {
  if (!traffic) traffic = resolveTrafficConfig(Object.assign({}, profile.traffic, { runId: data.runId }));
  runShopper(traffic, profile.targets, REQUEST_TIMEOUT);
}

/** @param {import('./summary.js').SummaryData} data */
export function handleSummary(data) {
  return paychaosSummary(data, __ENV.SUMMARY_JSON || 'summary.json');
}
