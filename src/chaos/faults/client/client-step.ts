import { z } from 'zod';
import type { Variant } from '../../../conventions/index.js';
import type { TrafficOverride } from '../../../load/index.js';
import { defineFaultStep, fraction, once, type ParamsSchema, type TypedFaultStep } from '../fault-step.js';

/**
 * What every client step shares: it targets shoppers (`shoppers` = all of them, or one
 * variant's), and it is an override of the traffic model's behaviour weights, added to the
 * driver's TrafficOverrides while the step is active and released by its undo.
 */
export const CLIENT_TARGETS = ['shoppers', 'baseline', 'canary'] as const;

/** The share of newly arriving shoppers who behave this way while the step is active. */
export const share = fraction;

export function clientStep<S extends ParamsSchema>(
  type: string,
  summary: string,
  schema: S,
  override: (params: z.output<S>) => Omit<TrafficOverride, 'variant'>,
): TypedFaultStep<S> {
  return defineFaultStep({
    type,
    layer: 'client',
    summary,
    schema,
    async check(target) {
      return (CLIENT_TARGETS as readonly string[]).includes(target) ? undefined : `client steps act on shoppers: expected one of ${CLIENT_TARGETS.join(', ')}, got "${target}"`;
    },
    async apply(params, ctx) {
      const variant = params.target === 'shoppers' ? undefined : (params.target as Variant);
      const release = ctx.client.add(params.id, { ...override(params), ...(variant ? { variant } : {}) });
      return once(async () => release());
    },
  });
}
