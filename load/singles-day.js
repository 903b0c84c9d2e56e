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
import { paymentScript } from './entry.js';
import { profileFromEnv, singlesDayProfile } from './lib/index.js';

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
const script = paymentScript('singles_day', profile, 'd11');

export const options = script.options;
export const setup = script.setup;
export default script.iteration;
export const handleSummary = script.handleSummary;
