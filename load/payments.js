// @ts-check
/**
 * General payment load: the shared traffic model at a constant or ramping arrival rate, split
 * between a baseline and a canary by weight. Configured from PROFILE / PROFILE_FILE (JSON) and
 * environment overrides — see load/lib/profile.js and load/README.md.
 *
 *   k6 run -e BASELINE_URL=http://127.0.0.1:8080 -e RATE=200 -e DURATION=1m load/payments.js
 *   k6 run -e PROFILE_FILE=profile.json --out json=out.json load/payments.js
 *   paychaos ingest k6 out.json
 */
import { profileFromEnv, resolveTrafficConfig } from './lib/index.js';
import { k6Options } from './options.js';
import { runShopper } from './shopper.js';
import { paychaosSummary } from './summary.js';

// open() only exists in k6's init context, which is where this runs.
const profile = profileFromEnv(__ENV, __ENV.PROFILE_FILE ? open(__ENV.PROFILE_FILE) : undefined);
const REQUEST_TIMEOUT = __ENV.REQUEST_TIMEOUT || '30s';
// Validate the traffic config in the init context, where an error stops k6 before any load
// (in an iteration it would only fail that iteration, over and over). The run id comes later.
resolveTrafficConfig(Object.assign({}, profile.traffic, { runId: __ENV.RUN_ID || 'init' }));

export const options = k6Options('payments', profile);

/** One run id for every VU (init code runs once per VU; setup once per test). */
export function setup() {
  return { runId: __ENV.RUN_ID || `k6-${Date.now().toString(36)}` };
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
