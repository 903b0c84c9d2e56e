import { abandonResume } from './abandon-resume.js';
import { doubleClick } from './double-click.js';
import { duplicateSubmit } from './duplicate-submit.js';
import { retryStorm } from './retry-storm.js';

/** Layer 3, the client: each step a live override of what newly planned shoppers do. */
export const CLIENT_STEPS = Object.freeze([duplicateSubmit, doubleClick, retryStorm, abandonResume]);
export { CLIENT_TARGETS } from './client-step.js';
