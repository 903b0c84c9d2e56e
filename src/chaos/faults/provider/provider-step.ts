import type { z } from 'zod';
import { paychaosError } from '../../../kernel/index.js';
import { defineFaultStep, type ParamsSchema, type TypedFaultStep } from '../fault-step.js';
import { addLayer, readProfile } from './behaviour-layers.js';

/**
 * What every provider step shares: the target is a simulator by name, and the step is a partial
 * behaviour profile (simulators/core/behaviour-profile.ts) layered over the simulator's current
 * one for as long as the step lasts (behaviour-layers.ts).
 *
 * Durations inside a patch are milliseconds, as the profile takes them; the step's own
 * parameters are k6-style durations like the rest of the timeline.
 */
export function providerStep<S extends ParamsSchema>(
  type: string,
  summary: string,
  schema: S,
  patch: (params: z.output<S>) => Record<string, unknown>,
): TypedFaultStep<S> {
  return defineFaultStep({
    type,
    layer: 'provider',
    summary,
    schema,
    async check(target, ctx) {
      const sim = ctx.provider(target);
      if (!sim) return `no simulator named "${target}" runs in this stack`;
      // It must answer its behaviour API now, not at the step's `at` in the middle of the run.
      return readProfile(sim.behaviourUrl, ctx.signal).then(
        () => undefined,
        (err: unknown) => `the simulator "${target}" does not answer ${sim.behaviourUrl}: ${err instanceof Error ? err.message : String(err)}`,
      );
    },
    async apply(params, ctx) {
      const sim = ctx.provider(params.target);
      if (!sim) throw paychaosError('PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET', `${params.id}: no simulator named "${params.target}" runs in this stack`, { target: params.target });
      return addLayer(sim.behaviourUrl, params.id, patch(params), ctx.signal);
    },
  });
}
