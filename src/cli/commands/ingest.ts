import { Argument, type Command } from 'commander';
import { join } from 'node:path';
import { formatSummary } from '../../report/index.js';
import { exitCodeOf, ingestK6Output, newRunId } from '../../run/index.js';
import { positiveNumberFlag } from '../flags.js';
import type { CliIo } from '../io.js';
import { VERSION } from '../version.js';

interface IngestFlags {
  out?: string;
  targetRate?: number;
  scenario?: string;
}

/**
 * `paychaos ingest k6 <out.json…>`: a k6 run made elsewhere — one machine, or k6-operator's
 * runner pods — becomes results.json and events.jsonl, ready for `paychaos judge`.
 */
export function registerIngest(program: Command, io: CliIo): void {
  program
    .command('ingest')
    .description('turn a k6 run\'s `--out json` output into results.json (then `paychaos judge` it)')
    .addArgument(new Argument('<engine>', 'the tool that wrote the file').choices(['k6']))
    .argument('<files...>', 'the NDJSON file(s) `k6 run --out json=FILE` wrote: one per k6-operator pod, merged by time; .gz is fine')
    .option('--out <dir>', 'where results.json and events.jsonl go (default: paychaos-results/<run id>)')
    .option('--target-rate <per-second>', 'the arrival rate the run was configured for (default: the schedule load/*.js records in its scenario tags, else estimated from the samples)', positiveNumberFlag)
    .option('--scenario <name>', "the run's scenario name (default: the samples' scenario tags)")
    .action(async (_engine: 'k6', files: string[], flags: IngestFlags) => {
      const runId = newRunId('k6');
      const outcome = await ingestK6Output({
        path: files,
        outDir: flags.out ?? join('paychaos-results', runId),
        runId,
        paychaosVersion: VERSION,
        ...(flags.targetRate !== undefined ? { targetRate: flags.targetRate } : {}),
        ...(flags.scenario ? { scenario: flags.scenario } : {}),
      });
      io.stdout(formatSummary(outcome.results, { results: outcome.resultsPath, events: outcome.eventsPath }));
      io.setExit(exitCodeOf(outcome.results));
    });
}
