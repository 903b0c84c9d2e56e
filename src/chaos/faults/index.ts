/**
 * Fault steps of every layer behind one interface (fault-step.ts), one file each, in one
 * registry; timelines that schedule them. CREATING_FAULTS.md (in src/chaos) is the guide.
 */
export { FAULT_LAYERS, defineFaultStep, once, duration, fraction, serverStatus } from './fault-step.js';
export type { FaultContext, FaultLayer, FaultStep, Observed, ParamsSchema, ProcessHandle, StepRef, Undo } from './fault-step.js';
export { FAULT_STEPS, STEP_ENVELOPE, faultStep } from './registry.js';
export { NETWORK_STEPS, networkFaultSchema, parseNetworkFault } from './network/index.js';
export type { NetworkFault, NetworkFaultInput, NetworkFaultType } from './network/index.js';
export { PROVIDER_STEPS, PROFILE_FIELDS, mergeProfile } from './provider/index.js';
export { CLIENT_STEPS, CLIENT_TARGETS } from './client/index.js';
export { PROCESS_STEPS } from './process/index.js';
export { checkTimeline, parseTimeline, timelineSchema, timelineStepSchema } from './timeline.js';
export type { TimelineStep } from './timeline.js';
export { playTimeline } from './play-timeline.js';
export type { PlayingTimeline, TimelineHooks } from './play-timeline.js';
