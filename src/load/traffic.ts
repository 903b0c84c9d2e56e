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
  const unsupported = unsupportedJourneys(config);
  if (unsupported.length > 0) {
    throw paychaosError('PAYCHAOS_ERR_LOAD_JOURNEY_UNSUPPORTED', `journeys the reference gateway cannot take at their channel:\n  ${unsupported.join('\n  ')}`, { problems: unsupported });
  }
  return config;
}

/** The journeys that ask a refund or a cancel of their provider. */
const REFUNDING = ['refund_full', 'refund_partial', 'refund_partials'] as const;
const CANCELLING = ['pay_cancel'] as const;

/**
 * Every mix entry whose shoppers would ask a refund or cancel its provider cannot give
 * (ProviderDescriptor.lifecycleUnsupported), one problem per journey naming the weight to set to 0.
 * Refused rather than run: such a journey would end in a 409 the invariants cannot tell from a
 * gateway bug, or be skipped unseen.
 */
export function unsupportedJourneys(config: Readonly<TrafficConfig>): string[] {
  const problems: string[] = [];
  config.mix.forEach((entry, i) => {
    if (entry.weight <= 0) return;
    const cannot = providerDescriptor(entry.provider, `mix[${i}].provider`).lifecycleUnsupported;
    if (!cannot) return;
    const weights = entry.behaviours ?? config.behaviours;
    const where = entry.behaviours ? `mix[${i}].behaviours` : 'behaviours';
    for (const [op, journeys] of [['refund', REFUNDING], ['cancel', CANCELLING]] as const) {
      const why = cannot[op];
      if (why === undefined) continue;
      for (const j of journeys) {
        if (weights[j] > 0) problems.push(`${where}.${j}: mix[${i}] (${entry.provider} ${entry.method}) has no ${op}: ${why}; give mix[${i}] its own behaviours with ${j}: 0`);
      }
    }
  });
  return problems;
}
