import { z } from 'zod';
import { duration } from '../fault-step.js';
import { clientStep, share } from './client-step.js';

/**
 * Shoppers whose answer times out query and retry (same key) after `backoff` — by default at
 * once. Paired with a network or provider step that makes answers time out, the retries pile
 * onto the struggling path: a retry storm.
 */
export const retryStorm = clientStep(
  'retry-storm',
  'a share of shoppers retry (same key) `backoff` after an unknown outcome (a timeout): a storm when paired with a latency or timeout step',
  z.strictObject({ share, backoff: duration.default(0) }),
  (p) => ({ shares: { retry_on_timeout: p.share }, retry: { backoffMs: p.backoff } }),
);
