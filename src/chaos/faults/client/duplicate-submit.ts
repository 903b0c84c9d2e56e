import { z } from 'zod';
import { duration } from '../fault-step.js';
import { clientStep, share } from './client-step.js';

/**
 * Shoppers submit the same order twice. `key: same` resends the same idempotency key (the
 * gateway must replay); `key: new` sends it under a new key — the double-charge trap only an
 * order-level guard stops.
 */
export const duplicateSubmit = clientStep(
  'duplicate-submit',
  'a share of shoppers submit their order again `after` the first answer, with the same or a new idempotency key',
  z.strictObject({ share, key: z.enum(['same', 'new']).default('same'), after: duration.optional() }),
  (p) => ({
    shares: { [p.key === 'same' ? 'duplicate_submit' : 'new_key_retry']: p.share },
    ...(p.after !== undefined ? { duplicateAfter: { minMs: p.after, maxMs: p.after } } : {}),
  }),
);
