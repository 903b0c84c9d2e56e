import { basename, join } from 'node:path';
import type { Results } from '../results-schema.js';
import { writeFileAtomic } from '../write-atomic.js';
import { readEventsDigest } from './read-events.js';
import { readStatement } from './read-statement.js';
import { renderReport } from './render-report.js';
import { renderSummaryMarkdown } from './summary-md.js';

export interface WrittenReports {
  readonly reportPath: string;
  readonly summaryPath: string;
  /** The Markdown summary, for `--summary` on stdout. */
  readonly summary: string;
  /** Whether events.jsonl was found and read (time series by provider, payments tables). */
  readonly withEvents: boolean;
  /** Whether reconciliation.csv was found and read (the statement's rows). */
  readonly withStatement: boolean;
}

export interface WriteReportsOptions {
  /** events.jsonl to read; default `<outDir>/events.jsonl`; absent file: the report is drawn from results alone. */
  readonly eventsPath?: string;
  /** The reconciliation statement to list; default the file results.json's `reconciliation` names, in outDir (none when it has none); absent file: counts only. */
  readonly statementPath?: string;
  /** report.html's path; default `<outDir>/report.html`. */
  readonly reportPath?: string;
  /** summary.md's path; default `<outDir>/summary.md`. */
  readonly summaryPath?: string;
}

/**
 * The one entry every run ends with (`paychaos demo`, `paychaos run`, `paychaos report`):
 * report.html and summary.md beside results.json, each written atomically — a reader never
 * opens half a report.
 */
export async function writeReports(outDir: string, results: Results, options: WriteReportsOptions = {}): Promise<WrittenReports> {
  const digest = await readEventsDigest(options.eventsPath ?? join(outDir, 'events.jsonl'), results.faults);
  // Read only when results.json says the run reconciled (a CSV beside an unreconciled run's
  // results is not its statement); only a file name is taken from it: always read from beside it.
  const named = results.reconciliation ? join(outDir, basename(results.reconciliation.statement)) : undefined;
  const statementPath = options.statementPath ?? named;
  const statement = statementPath !== undefined ? await readStatement(statementPath) : undefined;
  const reportPath = options.reportPath ?? join(outDir, 'report.html');
  const summaryPath = options.summaryPath ?? join(outDir, 'summary.md');
  const summary = renderSummaryMarkdown(results, { ...(digest ? { digest } : {}), reportLink: 'report.html' });
  await writeFileAtomic(reportPath, renderReport(results, digest, statement));
  await writeFileAtomic(summaryPath, summary);
  return { reportPath, summaryPath, summary, withEvents: digest !== undefined, withStatement: statement !== undefined };
}
