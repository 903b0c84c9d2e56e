import type { FaultContext } from '../chaos/index.js';
import type { Clock } from '../kernel/index.js';
import type { TrafficOverrides } from '../load/index.js';
import type { BuiltStack } from './stack-builder.js';

/**
 * The context fault steps act through (src/chaos FaultContext), from a built stack: the network
 * layer through the chaos control plane (proxies named by provider, and by variant for the
 * shoppers' side of a gateway — client-proxies.ts), the provider layer through each simulator's
 * own behaviour endpoint (direct, past its proxy: a fault must not hide behind another), the
 * client layer through the overrides the built-in driver reads as it plans each shopper, the
 * process layer through the systems under test that run as child processes (one that does not
 * is no target for a process step).
 */
export function faultContext(stack: BuiltStack, options: { clock: Clock; signal: AbortSignal; client: TrafficOverrides }): FaultContext {
  return {
    clock: options.clock,
    signal: options.signal,
    network: stack.providers.chaos,
    client: options.client,
    // An unknown target is undefined, not an error: the timeline checks every step's target
    // before anything runs, and names it (timeline[i].target) in its coded error.
    provider(target) {
      const endpoint = Object.hasOwn(stack.providers.providers, target) ? stack.providers.providers[target] : undefined;
      return endpoint ? { behaviourUrl: `${endpoint.directUrl}/__sim/behaviour` } : undefined;
    },
    process(target) {
      const system = Object.values(stack.systems).find((s) => s.name === target || s.name === `gateway-${target}`);
      if (!system?.kill || !system.restart) return undefined;
      const { kill, restart } = system;
      return { kill: (signal) => kill.call(system, signal), restart: () => restart.call(system) };
    },
  };
}
