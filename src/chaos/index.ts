/**
 * The chaos control plane: network fault steps (DESIGN.md layer 1) applied to any Toxiproxy
 * through toxiproxy-node-client — the embedded server by default, a real one via TOXIPROXY_URL.
 */
export { ChaosControl, startChaosControl } from './control-plane.js';
export type { ActiveFault, ChaosControlOptions, EnsureProxyOptions, FaultTimers } from './control-plane.js';
export { networkFaultSchema, parseNetworkFault } from './faults.js';
export type { NetworkFault, NetworkFaultInput, NetworkFaultType } from './faults.js';
export { TOXIC_PREFIX, toxicsForFault } from './toxics-for-fault.js';
export type { ToxicSpec } from './toxics-for-fault.js';
export { ToxiproxyApi, isToxiproxyStatus } from './toxiproxy-api.js';
export type { ToxicListing } from './toxiproxy-api.js';
