/**
 * The harness's own metrics: what the load driver saw (paychaos.client.requests / .duration) and
 * which fault steps were active (paychaos.fault.active), how long each took to recover
 * (paychaos.recovery, RecoveryWatch), and the GET /metrics a run serves them on.
 */
export { HarnessMetrics } from './harness-metrics.js';
export { RecoveryWatch } from './recovery-watch.js';
export type { Recovered } from './recovery-watch.js';
export type { FaultWindow, HarnessRun } from './harness-metrics.js';
export { serveHarnessMetrics } from './metrics-server.js';
