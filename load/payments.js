// @ts-check
/**
 * General payment load: the shared traffic model at a constant or ramping arrival rate, split
 * between a baseline and a canary by weight. Configured from PROFILE / PROFILE_FILE (JSON) and
 * environment overrides — see load/lib/profile.js and load/README.md.
 *
 *   k6 run -e BASELINE_URL=http://127.0.0.1:8080 -e RATE=200 -e DURATION=1m load/payments.js
 *   k6 run -e PROFILE_FILE=profile.json --out json=out.json load/payments.js
 *   paychaos ingest k6 out.json
 */
import { paymentScript } from './entry.js';
import { profileFromEnv } from './lib/index.js';

// open() only exists in k6's init context, which is where this runs.
const script = paymentScript('payments', profileFromEnv(__ENV, __ENV.PROFILE_FILE ? open(__ENV.PROFILE_FILE) : undefined), 'k6');

export const options = script.options;
export const setup = script.setup;
export default script.iteration;
export const handleSummary = script.handleSummary;
