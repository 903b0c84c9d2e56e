/**
 * The chaos plane: fault steps of every layer (network, provider, client, process) in one
 * registry with a timeline player (faults/, CREATING_FAULTS.md), and the control plane that
 * turns network steps into toxics on any Toxiproxy through toxiproxy-node-client — the
 * embedded server by default, a real one via TOXIPROXY_URL.
 */
export { ChaosControl, startChaosControl } from './control-plane.js';
export type { ActiveFault, ChaosControlOptions, EnsureProxyOptions } from './control-plane.js';
export * from './faults/index.js';
export { TOXIC_PREFIX, toxicsForFault } from './toxics-for-fault.js';
export type { ToxicSpec } from './toxics-for-fault.js';
export { ToxiproxyApi, isToxiproxyStatus } from './toxiproxy-api.js';
export type { ToxicListing } from './toxiproxy-api.js';
