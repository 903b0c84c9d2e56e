/**
 * What a load engine says about its own driving: results.json's `load` section
 * (src/report/results-schema.ts, docs/results.md). Defined here so the load engines describe
 * themselves without knowing how results are written.
 */
export interface LoadSection {
  engine: 'builtin' | 'k6';
  targetRate: number;
  achievedRate: number;
  scheduledIterations: number;
  droppedIterations: number;
  maxInFlight: number;
  eventLoopLagP99Ms: number;
  driverHealthy: boolean;
}
