/**
 * The run engine: a scenario's spec in, results and an exit code out (DESIGN.md "Layout").
 *
 *   recorder      the one event sink (built-in driver, k6, ingest; later the OTLP receiver)
 *   stack-builder the stack from a spec: providers behind proxies, systems under test, stack.json
 *   timeline      the fault context the timeline's steps act through (src/chaos playTimeline), and their records
 *   ground-truth  ledgers joined to the shop's orders on the ids the system under test reported
 *   verdict       the exit code, derived from results
 *   engine        runScenario: all of the above, torn down however the run ends
 */
export { runScenario } from './engine.js';
export type { RunSpec, RunOptions, RunOutcome } from './engine.js';
export { Recorder } from './recorder.js';
export type { RecorderOptions, FaultEvent, CrashEvent, RunParts } from './recorder.js';
export { buildStack, OTLP_HTTP_PORT } from './stack-builder.js';
export type { BuildStackOptions, BuiltStack, StackSpec, SystemSpec, TelemetrySpec } from './stack-builder.js';
export { faultContext } from './fault-context.js';
export { recordingHooks } from './timeline.js';
export { clientProxies } from './client-proxies.js';
export { checkSteadyState } from './steady-state.js';
export { LiveStats } from './progress.js';
export type { RunProgress } from './progress.js';
export { checkGroundTruth, readLedgers, queryUnanswered } from './ground-truth.js';
export type { QueryOptions, QueryOutcome } from './ground-truth.js';
export { checkBooks } from './reconciliation.js';
export { STATEMENT_FILE, statementSummary, writeStatement } from './statement-file.js';
export { OrdersPlaced } from './orders-placed.js';
export type { ProviderIds, UnansweredOrder } from './orders-placed.js';
export { exitCodeOf } from './verdict.js';
export type { VerdictInput } from './verdict.js';
export { driveBuiltin, HEALTHY_LAG_P99_MS } from './drive-builtin.js';
export type { DriveOptions, DriveOutcome } from './drive-builtin.js';
export { driveK6 } from './drive-k6.js';
export { providerConnections } from './provider-connections.js';
export { ingestK6Output } from './ingest-k6.js';
export type { IngestK6Options, IngestK6Outcome } from './ingest-k6.js';
export { newRunId } from './run-id.js';
