import { z } from 'zod';
import { defineFaultStep, once, type ParamsSchema, type TypedFaultStep } from '../fault-step.js';

/**
 * What every network step shares: the bytes it hurts and the share of connections it hurts,
 * and how it is applied — through the chaos control plane, which maps it onto toxics named
 * `paychaos_<id>_<stream>` (toxics-for-fault.ts) or disables the proxy (`down`).
 */

/** `downstream` = responses (Toxiproxy's default), `upstream` = requests, `both` = one toxic each way. */
export const direction = z.enum(['downstream', 'upstream', 'both']).default('downstream');
/** The share of connections that get the toxic (Toxiproxy's per-connection coin). */
export const toxicity = z.number().min(0).max(1).default(1);
/** Whole milliseconds, as Toxiproxy's int64 attributes take them. */
export const ms = (what: string) => z.number().int(`${what} must be a whole number of milliseconds`).nonnegative(`${what} must be 0 or more`);
/** The fields of a toxic-backed step (all but `down`). */
export const toxicParams = { direction, toxicity };

/** A network step: apply = the control plane's applyFault under the step's id; undo = its remove. */
export function networkStep<S extends ParamsSchema>(type: string, summary: string, schema: S): TypedFaultStep<S> {
  return defineFaultStep({
    type,
    layer: 'network',
    summary,
    schema,
    async check(target, ctx) {
      return (await ctx.network.api.findProxy(target)) ? undefined : `no proxy named "${target}" on ${ctx.network.url}`;
    },
    async apply(params, ctx) {
      const active = await ctx.network.applyFault({ ...params, type } as Parameters<typeof ctx.network.applyFault>[0]);
      return once(() => active.remove());
    },
  });
}
