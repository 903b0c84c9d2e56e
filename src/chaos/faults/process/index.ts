import { kill } from './kill.js';

/** Layer 4, processes: steps through the supervisor's handle on a child process. */
export const PROCESS_STEPS = Object.freeze([kill]);
