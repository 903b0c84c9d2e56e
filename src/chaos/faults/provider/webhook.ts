import { z } from 'zod';
import { duration, fraction } from '../fault-step.js';
import { providerStep } from './provider-step.js';

// By name: in a timeline the object also carries the step's envelope (at, target, type…).
const FIELDS = ['delay', 'duplicate', 'reorder', 'drop', 'badSignature'] as const;

/** Webhook delivery misbehaves: late, twice, out of order, never, or with a bad signature. */
export const webhook = providerStep(
  'webhook',
  'webhook faults: `delay`, `duplicate`, `reorder` {rate, window}, `drop`, `badSignature` (shares of events)',
  z
    .strictObject({
      delay: duration.optional(),
      duplicate: fraction.optional(),
      reorder: z.strictObject({ rate: fraction, window: duration }).optional(),
      drop: fraction.optional(),
      badSignature: fraction.optional(),
    })
    .refine((w) => FIELDS.some((f) => w[f] !== undefined), { message: 'give at least one of delay, duplicate, reorder, drop, badSignature' }),
  (p) => ({
    webhooks: {
      ...(p.delay !== undefined ? { delay: { kind: 'fixed', value: p.delay } } : {}),
      ...(p.duplicate !== undefined ? { duplicate: p.duplicate } : {}),
      ...(p.reorder !== undefined ? { reorder: p.reorder } : {}),
      ...(p.drop !== undefined ? { drop: p.drop } : {}),
      ...(p.badSignature !== undefined ? { badSignature: p.badSignature } : {}),
    },
  }),
);
