import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_JUDGE_CONFIG, judge, inputsFromVariants, parseJudgeConfig, renderMarkdown } from '../../analysis/index.js';
import { loadJudgeConfig, variantFromResults } from '../../judge/index.js';
import { EXIT, paychaosError } from '../../kernel/index.js';
import { judgeReportSchema, readResults, renderComparison, writeFileAtomic, writeReports, type ComparedRun } from '../../report/index.js';
import type { CliIo } from '../io.js';

interface ReportFlags {
  out?: string;
  events?: string;
  summary?: boolean;
  baseline?: string[];
  config?: string;
}

/**
 * `paychaos report <results.json>`: regenerate report.html and summary.md from a run's files;
 * `--baseline A.json B.json` (or `report B.json --baseline A.json`): two runs side by side,
 * judged by the canary judge. Exit 0 once written: gating on a comparison is `paychaos judge`'s job.
 */
export function registerReport(program: Command, io: CliIo): void {
  program
    .command('report')
    .description('write report.html and summary.md from a results.json (events.jsonl beside it adds time series and payments); --baseline A.json B.json compares two runs')
    .argument('[results]', 'the results.json a run wrote')
    .option('--out <file>', 'where the HTML goes (default: report.html beside the results, or comparison.html beside the second run); summary.md goes beside it')
    .option('--events <file>', 'events.jsonl to read (default: beside the results file; without one the report is drawn from results alone)')
    .option('--summary', 'also print summary.md (or the comparison\'s judgement) on stdout')
    .option('--baseline <results...>', 'compare runs: --baseline BEFORE.json AFTER.json, or report AFTER.json --baseline BEFORE.json')
    .option('--config <file>', 'with --baseline: the judge config, YAML or JSON (default: docs/canary.md)')
    .action(async (positional: string | undefined, flags: ReportFlags) => {
      if (flags.baseline !== undefined) return compare(io, positional, flags);
      if (positional === undefined) throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', 'report: give the results.json to report on (paychaos report paychaos-results/<run>/results.json)', { argument: 'results' });
      if (flags.config !== undefined) throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', '--config applies only with --baseline (a comparison is judged; a single run is not)', { flag: '--config' });
      const results = await readResults(positional);
      const dir = dirname(resolve(positional));
      const reportPath = resolve(flags.out ?? join(dir, 'report.html'));
      const written = await writeReports(dir, results, {
        eventsPath: flags.events ?? join(dir, 'events.jsonl'),
        reportPath,
        summaryPath: join(dirname(reportPath), 'summary.md'),
      });
      if (flags.summary) io.stdout(written.summary);
      io.stdout(`report   ${written.reportPath}${written.withEvents ? '' : ' (no events.jsonl: drawn from results alone)'}\nsummary  ${written.summaryPath}\n`);
      io.setExit(EXIT.OK);
    });
}

async function compare(io: CliIo, positional: string | undefined, flags: ReportFlags): Promise<void> {
  const files = [...flags.baseline!, ...(positional !== undefined ? [positional] : [])];
  if (files.length !== 2) {
    throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', `--baseline compares two runs: give --baseline BEFORE.json AFTER.json (got ${files.length} file(s): ${files.join(', ') || 'none'})`, { flag: '--baseline', files });
  }
  if (flags.events !== undefined) throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', '--events applies to a single run\'s report, not a comparison', { flag: '--events' });
  const [beforePath, afterPath] = files as [string, string];
  const [before, after] = await Promise.all([readResults(beforePath), readResults(afterPath)]);
  if (before.runId === after.runId) {
    throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', `--baseline: ${beforePath} and ${afterPath} are the same run (${before.runId}); a run compared with itself shows no difference. Give two runs.`, { flag: '--baseline', runId: before.runId });
  }
  const side = (results: typeof before, label: string, path: string): ComparedRun => {
    const variant = results.variants.baseline ? 'baseline' : 'canary';
    if (!results.variants[variant]) throw paychaosError('PAYCHAOS_ERR_JUDGE_NO_VARIANT', `${path} has no variants to compare`, { path });
    return { label, results, variant };
  };
  const b = side(before, 'before', beforePath);
  const a = side(after, 'after', afterPath);
  const config = flags.config ? await loadJudgeConfig(flags.config) : parseJudgeConfig(DEFAULT_JUDGE_CONFIG, 'the default judge config');
  // The canary judge's own reading of the two runs: the first as baseline, the second as canary.
  const report = judge(config, inputsFromVariants(config, variantFromResults(before, b.variant, beforePath), variantFromResults(after, a.variant, afterPath)));
  const judgement = judgeReportSchema.parse(JSON.parse(JSON.stringify(report)));
  const out = resolve(flags.out ?? join(dirname(resolve(afterPath)), 'comparison.html'));
  await writeFileAtomic(out, renderComparison(b, a, judgement));
  if (flags.summary) io.stdout(renderMarkdown(report));
  io.stdout(`comparison  ${out}\n`);
  io.setExit(EXIT.OK);
}
