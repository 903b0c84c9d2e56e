export { resultsSchema, SCHEMA_VERSION } from './results-schema.js';
export type { Results, AssertionResult } from './results-schema.js';
export { buildResults } from './build-results.js';
export type { ResultsParts } from './build-results.js';
export { writeFileAtomic } from './write-atomic.js';
export { EventsWriter } from './events-writer.js';
export { formatSummary } from './summary.js';
export { readResults, parseResults } from './read-results.js';
export { ensureDir } from './ensure-dir.js';
