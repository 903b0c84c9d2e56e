/**
 * The reference gateway's resilience settings and fee overrides as a scenario writes them (routes, breaker, retry,
 * shedding): the gateway's own schemas, so a scenario is refused at `paychaos validate` for what
 * the gateway would refuse at start. Only the stack knows the gateway; the scenario format reads
 * them from here.
 */
export { breakerSchema, feeOverridesSchema, retrySchema, routesSchema, sheddingSchema } from '../../gateway/index.js';
export type { FeeOverrides } from '../../gateway/index.js';
