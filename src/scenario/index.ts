export { parseDurationMs, formatDurationMs } from './duration.js';
export { newRunId } from './run-id.js';
export { runDemo } from './demo.js';
export type { DemoOptions, DemoOutcome } from './demo.js';
