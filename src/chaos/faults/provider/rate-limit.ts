import { z } from 'zod';
import { duration, fraction } from '../fault-step.js';
import { providerStep } from './provider-step.js';

/** 429 Too Many Requests with Retry-After: above `perSecond`, and/or a random share `rate`. */
export const rateLimit = providerStep(
  'rate-limit',
  '429 with Retry-After `retryAfter` (default 1s): above `perSecond` requests a second and/or for a share `rate`',
  z
    .strictObject({ perSecond: z.number().positive().optional(), rate: fraction.optional(), retryAfter: duration.default(1000) })
    .refine((r) => r.perSecond !== undefined || r.rate !== undefined, { message: 'give perSecond, rate, or both' }),
  (p) => ({
    rateLimit: { ...(p.perSecond !== undefined ? { perSecond: p.perSecond } : {}), ...(p.rate !== undefined ? { rate: p.rate } : {}), retryAfter: p.retryAfter },
  }),
);
