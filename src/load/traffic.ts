import { TrafficConfigError, resolveTrafficConfig, type TrafficConfig } from '../../load/lib/index.js';
import { isKnownProvider, providerDescriptor } from '../conventions/index.js';
import { paychaosError } from '../kernel/index.js';

/**
 * The TypeScript side's door to the shared traffic model in load/lib (plain ES modules that k6
 * loads too): one model, two engines. Only the error mapping lives here.
 */
export { planShopper, requestFor, stepShouldRun, queryFound, classifyResponse, classifyChallenge, classifyStatus, classifyNoResponse, REQUEST_NAMES, MIX_PRESETS } from '../../load/lib/index.js';
export type { TrafficConfig, ShopperPlan, Step, PlannedRequest, ShopperState, Classification } from '../../load/lib/index.js';

/**
 * Validate a traffic config; every problem at once, as PAYCHAOS_ERR_LOAD_BAD_PROFILE. A mix entry
 * naming a provider without a descriptor (src/conventions/providers) is
 * PAYCHAOS_ERR_PROVIDER_UNKNOWN, naming the entry and the known providers.
 */
export function trafficConfig(input: Record<string, unknown>): Readonly<TrafficConfig> {
  let config: Readonly<TrafficConfig>;
  try {
    config = resolveTrafficConfig(input);
  } catch (err) {
    if (err instanceof TrafficConfigError) {
      throw paychaosError('PAYCHAOS_ERR_LOAD_BAD_PROFILE', `invalid traffic model:\n  ${err.problems.join('\n  ')}`, { problems: err.problems });
    }
    throw err;
  }
  const unknown = config.mix.findIndex((e) => !isKnownProvider(e.provider));
  if (unknown !== -1) providerDescriptor(config.mix[unknown]!.provider, `mix[${unknown}].provider`);
  return config;
}
