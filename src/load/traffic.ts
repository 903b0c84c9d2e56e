import { TrafficConfigError, resolveTrafficConfig, type TrafficConfig } from '../../load/lib/index.js';
import { paychaosError } from '../kernel/index.js';

/**
 * The TypeScript side's door to the shared traffic model in load/lib (plain ES modules that k6
 * loads too): one model, two engines. Only the error mapping lives here.
 */
export { planShopper, requestFor, stepShouldRun, queryFound, classifyResponse, classifyStatus, classifyNoResponse, REQUEST_NAMES } from '../../load/lib/index.js';
export type { TrafficConfig, ShopperPlan, Step, PlannedRequest, ShopperState, Classification } from '../../load/lib/index.js';

/** Validate a traffic config; every problem at once, as PAYCHAOS_ERR_LOAD_BAD_PROFILE. */
export function trafficConfig(input: Record<string, unknown>): Readonly<TrafficConfig> {
  try {
    return resolveTrafficConfig(input);
  } catch (err) {
    if (err instanceof TrafficConfigError) {
      throw paychaosError('PAYCHAOS_ERR_LOAD_BAD_PROFILE', `invalid traffic model:\n  ${err.problems.join('\n  ')}`, { problems: err.problems });
    }
    throw err;
  }
}
