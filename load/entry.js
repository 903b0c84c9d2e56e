// @ts-check
/**
 * What every payment script exports to k6, built from its load profile: options (executors,
 * thresholds), setup (one run id for all VUs), the iteration (one shopper of the shared traffic
 * model) and handleSummary. payments.js and singles-day.js differ only in how they shape load.
 */
import { DEFAULT_REQUEST_TIMEOUT, resolveTrafficConfig } from './lib/index.js';
import { k6Options } from './options.js';
import { runShopper } from './shopper.js';
import { paychaosSummary } from './summary.js';

/**
 * @param {string} scenario  the k6 scenario name (and `scenario` tag)
 * @param {import('./lib/index.js').LoadProfile} profile
 * @param {string} runIdPrefix  for run ids made up when RUN_ID is not given
 */
export function paymentScript(scenario, profile, runIdPrefix) {
  const requestTimeout = __ENV.REQUEST_TIMEOUT || DEFAULT_REQUEST_TIMEOUT;
  // Validate the traffic config in the init context, where an error stops k6 before any load
  // (in an iteration it would only fail that iteration, over and over). The run id comes later.
  resolveTrafficConfig(Object.assign({}, profile.traffic, { runId: __ENV.RUN_ID || 'init' }));

  /** @type {Readonly<import('./lib/index.js').TrafficConfig> | undefined} */
  let traffic;
  return {
    options: k6Options(scenario, profile),
    /** One run id for every VU (init code runs once per VU; setup once per test). */
    setup() {
      return { runId: __ENV.RUN_ID || `${runIdPrefix}-${Date.now().toString(36)}` };
    },
    /** @param {{ runId: string }} data */
    iteration(data) {
      if (!traffic) traffic = resolveTrafficConfig(Object.assign({}, profile.traffic, { runId: data.runId }));
      runShopper(traffic, profile.targets, requestTimeout);
    },
    /** @param {import('./summary.js').SummaryData} data */
    handleSummary(data) {
      return paychaosSummary(data, __ENV.SUMMARY_JSON || 'summary.json');
    },
  };
}
