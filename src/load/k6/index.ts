/**
 * k6 as a load engine: reading its `--out json` stream into PaymentEvents, reading a finished
 * run's output (the run engine's recorder writes the results), and launching k6 so its samples feed a live run.
 */
export { k6Argv, runK6 } from './launcher.js';
export { k6RunTags } from './run-tags.js';
export type { K6RunOptions, K6RunOutcome } from './launcher.js';
export { checkK6Inputs, readK6Run } from './ingest.js';
export type { K6RunRead } from './ingest.js';
export { K6EventMapper, PAYCHAOS_K6_METRIC } from './k6-events.js';
export type { K6Arrivals, K6RunStats } from './k6-events.js';
export { k6ArrivalWindowS, k6LoadSection, k6MeasuredArrivalWindowS, k6SpanS } from './k6-load.js';
export type { K6LoadOptions } from './k6-load.js';
export { parseK6Line } from './k6-line.js';
export type { K6Point, K6MetricDeclaration, K6Record, LineSource } from './k6-line.js';
export { readK6Output } from './read-k6-output.js';
export { findK6 } from './find-k6.js';
export { k6VusFor } from './vus.js';
export type { K6Vus } from './vus.js';
