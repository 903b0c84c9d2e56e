export { resultsSchema, SCHEMA_VERSION } from './results-schema.js';
export type { Results, AssertionResult, FaultRecord, CrashRecord, InvariantRecord, PartUsageRecord, ReconciliationRecord, ServerSideRecord } from './results-schema.js';
export { judgeReportSchema } from './judge-report-schema.js';
export type { JudgeReportRecord } from './judge-report-schema.js';
export { buildResults } from './build-results.js';
export type { ResultsParts } from './build-results.js';
export { writeFileAtomic } from './write-atomic.js';
export { EventsWriter } from './events-writer.js';
export { formatSummary } from './summary.js';
export { renderJunit } from './junit.js';
export type { JunitSuite } from './junit.js';
export { readResults, parseResults } from './read-results.js';
export { ensureDir } from './ensure-dir.js';
export { prepareOutDir } from './out-dir.js';
export { prepareOutFile } from './out-file.js';
// What people read: report.html, summary.md, a suite's index.html, a two-run comparison.
export * from './html/index.js';
export { READABLE_SCHEMA_VERSIONS } from './read-results.js';
