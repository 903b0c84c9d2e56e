import { CLIENT_STEPS } from './client/index.js';
import type { FaultStep } from './fault-step.js';
import { NETWORK_STEPS } from './network/index.js';
import { PROCESS_STEPS } from './process/index.js';
import { PROVIDER_STEPS } from './provider/index.js';

/** The keys a timeline step has besides its parameters; no step may use them for its own. */
export const STEP_ENVELOPE = Object.freeze(['id', 'at', 'for', 'target', 'type'] as const);

/**
 * Every fault step a timeline can name, by `type`, filled at load time from each layer's list.
 * Adding a step: one file in its layer's folder, listed in that folder's index.ts (see
 * CREATING_FAULTS.md). A clash of types or a parameter named like the envelope fails at load.
 */
export const FAULT_STEPS: ReadonlyMap<string, FaultStep> = (() => {
  const steps = new Map<string, FaultStep>();
  for (const step of [...NETWORK_STEPS, ...PROVIDER_STEPS, ...CLIENT_STEPS, ...PROCESS_STEPS] as unknown as FaultStep[]) {
    if (steps.has(step.type)) throw new Error(`fault step type "${step.type}" is defined twice`);
    const clash = Object.keys(step.schema.shape).filter((k) => (STEP_ENVELOPE as readonly string[]).includes(k));
    if (clash.length) throw new Error(`fault step "${step.type}" names a parameter ${clash.join(', ')}, which every timeline step already has`);
    steps.set(step.type, step);
  }
  return steps;
})();

export function faultStep(type: string): FaultStep | undefined {
  return FAULT_STEPS.get(type);
}
