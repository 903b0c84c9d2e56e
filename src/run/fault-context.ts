import { paychaosError, type Clock } from '../kernel/index.js';
import type { BuiltStack } from './stack-builder.js';
import type { FaultContext, TrafficOverrides } from './timeline.js';

/**
 * The context fault steps act through, from a built stack: the network layer through the chaos
 * control plane (proxies named by provider), the provider layer through each simulator's own
 * behaviour endpoint (direct, past its proxy: a fault must not hide behind another), the client
 * layer through the overrides the driver reads, the process layer through the systems under test
 * that run as child processes (one that does not is no target for a process step).
 */
export function faultContext(stack: BuiltStack, options: { clock: Clock; signal: AbortSignal; client: TrafficOverrides }): FaultContext {
  return {
    clock: options.clock,
    signal: options.signal,
    network: stack.providers.chaos,
    client: options.client,
    provider(target) {
      const endpoint = stack.providers.providers[target];
      if (!endpoint) {
        const known = Object.keys(stack.providers.providers);
        throw paychaosError('PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET', `target: no provider "${target}" in this run's stack (it has ${known.join(', ')})`, { field: 'target', value: target, expected: known });
      }
      return { behaviourUrl: `${endpoint.directUrl}/__sim/behaviour` };
    },
    process(target) {
      const system = Object.values(stack.systems).find((s) => s.name === target || s.name === `gateway-${target}`);
      if (!system?.kill || !system.restart) return undefined;
      const { kill, restart } = system;
      return { kill: (signal) => kill.call(system, signal), restart: () => restart.call(system) };
    },
  };
}
