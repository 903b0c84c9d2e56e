import { behaviour } from './behaviour.js';
import { chargedThenError } from './charged-then-error.js';
import { disputes } from './disputes.js';
import { maintenance } from './maintenance.js';
import { providerErrors } from './provider-errors.js';
import { providerLatency } from './provider-latency.js';
import { rateLimit } from './rate-limit.js';
import { settlementDiscrepancy } from './settlement-discrepancy.js';
import { webhook } from './webhook.js';

/** Layer 2, the provider: each step a layer over a simulator's behaviour profile. */
export const PROVIDER_STEPS = Object.freeze([behaviour, providerLatency, providerErrors, rateLimit, maintenance, chargedThenError, webhook, settlementDiscrepancy, disputes]);
export { PROFILE_FIELDS } from './behaviour.js';
export { mergeProfile } from './behaviour-layers.js';
