import { Option, type Command } from 'commander';
import { DEFAULT_JUDGE_CONFIG, judge, parseJudgeConfig, renderMarkdown, verdictExitCode, type JudgeConfig, type JudgeInputs } from '../../analysis/index.js';
import { loadJudgeConfig, prometheusSource, type JudgeSource } from '../../judge/index.js';
import { paychaosError } from '../../kernel/index.js';
import { prepareOutFile, writeFileAtomic } from '../../report/index.js';
import { httpUrlFlag, nonEmptyFlag, prometheusDurationFlag } from '../flags.js';
import type { CliIo } from '../io.js';
import { checkVariantLabels, resultsFilesFromFlags } from './judge-sources.js';

interface JudgeFlags {
  baseline?: string;
  canary?: string;
  results?: string;
  prometheus?: string;
  config?: string;
  window?: string;
  baselineLabel?: string;
  canaryLabel?: string;
  format: 'markdown' | 'json';
  out?: string;
}

/**
 * `paychaos judge`: compare a canary with its baseline and exit with a code a pipeline gates on
 * — 0 pass, 1 fail, 4 inconclusive or marginal, 2 bad input, 3 Prometheus unreachable.
 */
export function registerJudge(program: Command, io: CliIo): void {
  program
    .command('judge')
    .description('judge a canary against its baseline, from results files or Prometheus (exit 0 pass, 1 fail, 4 inconclusive/marginal)')
    .option('--baseline <results.json>', "the baseline's results file (its \"baseline\" variant, or its only one)")
    .option('--canary <results.json>', "the canary's results file (its \"canary\" variant, or its only one)")
    .option('--results <results.json>', 'one results file holding both a baseline and a canary variant (same as --baseline F --canary F)')
    .option('--prometheus <url>', 'judge from Prometheus (http:// or https://): each metric runs its PromQL per variant over the window', httpUrlFlag)
    .option('--config <file>', 'judge config, YAML or JSON (default: error rate, error-code mix and p95 latency; see docs/canary.md)')
    .option('--window <duration>', 'Prometheus: the window queried, e.g. 10m (default: the config\'s prometheus.window)', prometheusDurationFlag)
    .option('--baseline-label <value>', "Prometheus: the baseline's variant label value (default: the config's)", nonEmptyFlag)
    .option('--canary-label <value>', "Prometheus: the canary's variant label value (default: the config's)", nonEmptyFlag)
    .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'))
    .option('--out <file>', 'also write the report as JSON to this file (e.g. for CI artefacts)')
    .action(async (flags: JudgeFlags) => {
      if (flags.out) await prepareOutFile(flags.out);
      const config = flags.config ? await loadJudgeConfig(flags.config) : parseJudgeConfig(DEFAULT_JUDGE_CONFIG, 'the default judge config');
      const report = judge(config, await gatherInputs(config, flags));
      const json = `${JSON.stringify(report, null, 2)}\n`;
      if (flags.out) await writeFileAtomic(flags.out, json);
      io.stdout(flags.format === 'json' ? json : renderMarkdown(report));
      io.setExit(verdictExitCode(report.verdict));
    });
}

async function gatherInputs(config: JudgeConfig, flags: JudgeFlags): Promise<JudgeInputs> {
  const files = flags.baseline !== undefined || flags.canary !== undefined;
  const sources = [files, flags.results !== undefined, flags.prometheus !== undefined].filter(Boolean).length;
  if (sources !== 1) {
    throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', 'give exactly one source: --baseline A.json --canary B.json, --results R.json, or --prometheus URL', {
      flags: Object.keys(flags),
    });
  }
  // The same sources `paychaos serve judge` uses, asked once.
  const source = await pickSource(config, flags);
  return source(config, {
    ...(flags.window ? { window: flags.window } : {}),
    ...(flags.baselineLabel ? { baseline: flags.baselineLabel } : {}),
    ...(flags.canaryLabel ? { canary: flags.canaryLabel } : {}),
  });
}

async function pickSource(config: JudgeConfig, flags: JudgeFlags): Promise<JudgeSource> {
  if (flags.prometheus !== undefined) {
    checkVariantLabels(config, flags);
    return prometheusSource(flags.prometheus);
  }
  const baseline = flags.results !== undefined ? { flag: '--results', path: flags.results } : flags.baseline !== undefined ? { flag: '--baseline', path: flags.baseline } : undefined;
  const canary = flags.results !== undefined ? { flag: '--results', path: flags.results } : flags.canary !== undefined ? { flag: '--canary', path: flags.canary } : undefined;
  if (!baseline || !canary) throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', '--baseline and --canary go together (or use --results for one file with both)', {});
  // One judgement follows at once, which reads the files: only their existence is checked here.
  return resultsFilesFromFlags(baseline, canary, 'exists');
}
