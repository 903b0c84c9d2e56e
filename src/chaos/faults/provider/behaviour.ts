import { z } from 'zod';
import { providerStep } from './provider-step.js';

/**
 * The fields of a simulator's behaviour profile (simulators/core/behaviour-profile.ts). The
 * simulator validates their contents when the step applies them (a refusal is
 * PAYCHAOS_ERR_CHAOS_BAD_FAULT naming `profile.<field>`); here an unknown field is refused
 * before the run. test/unit/chaos/provider-steps.test.ts keeps this list equal to the schema's.
 */
export const PROFILE_FIELDS = ['outcomes', 'chain', 'latency', 'serverErrors', 'bursts', 'rateLimit', 'maintenance', 'idempotencyOutage', 'commitThenError', 'webhooks', 'settlement', 'settlementCycle', 'disputes'] as const;

const anyValue = z.custom<unknown>((v) => v !== undefined, { message: 'expected a value' }).optional();

/** Any part of the behaviour profile, merged over the simulator's current one while the step lasts. */
export const behaviour = providerStep(
  'behaviour',
  'merges `profile` (any behaviour-profile fields; `webhooks` field by field) over the simulator\'s current profile',
  z.strictObject({
    profile: z
      .strictObject(Object.fromEntries(PROFILE_FIELDS.map((f) => [f, anyValue])) as Record<(typeof PROFILE_FIELDS)[number], typeof anyValue>)
      .refine((p) => Object.keys(p).length > 0, { message: `give at least one of ${PROFILE_FIELDS.join(', ')}` }),
  }),
  (p) => ({ ...p.profile }),
);
