/**
 * What people read after a run: report.html (self-contained, charts by Apache ECharts inlined),
 * summary.md, a suite's index.html and a two-run comparison.
 *
 *   results.json ───────┐
 *   events.jsonl ───────┼─(streamed)─► EventsDigest ─────► charts, story, sections ─► report.html
 *   reconciliation.csv ─┘ (bounded)──► StatementExcerpt ─► Reconciliation section     summary.md
 */
export { writeReports } from './write-reports.js';
export type { WrittenReports, WriteReportsOptions } from './write-reports.js';
export { renderReport } from './render-report.js';
export { renderSummaryMarkdown } from './summary-md.js';
export { readEventsDigest } from './read-events.js';
export { readStatement, STATEMENT_LIMITS } from './read-statement.js';
export type { StatementExcerpt } from './read-statement.js';
export { reconciliationSection } from './section-reconciliation.js';
export { EventsDigester, DIGEST_LIMITS } from './events-digest.js';
export type { EventsDigest, PaymentRow, FaultSighting } from './events-digest.js';
export { faultStories } from './story.js';
export type { FaultStory, StoryStep } from './story.js';
export { reportCharts, faultMarkArea } from './charts.js';
export type { ChartSpec } from './charts.js';
export { verdictOf } from './verdict.js';
export type { Verdict } from './verdict.js';
export { esc, jsonForScript } from './escape.js';
export { renderSuiteIndex, writeSuiteIndex } from './suite-index.js';
export type { SuiteEntry } from './suite-index.js';
export { renderComparison } from './compare.js';
export type { ComparedRun } from './compare.js';
