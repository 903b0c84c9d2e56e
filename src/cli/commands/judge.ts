import { Option, type Command } from 'commander';
import {
  DEFAULT_JUDGE_CONFIG,
  judge,
  loadJudgeConfig,
  parseJudgeConfig,
  prometheusSource,
  renderMarkdown,
  resultsFilesSource,
  verdictExitCode,
  type JudgeConfig,
  type JudgeInputs,
  type JudgeSource,
} from '../../analysis/canary/index.js';
import { paychaosError } from '../../errors.js';
import { writeFileAtomic } from '../../report/index.js';
import type { CliIo } from '../io.js';

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
    .option('--baseline <results.json>', "the baseline's results file (its single variant, or its \"baseline\" variant)")
    .option('--canary <results.json>', "the canary's results file (its single variant, or its \"canary\" variant)")
    .option('--results <results.json>', 'one results file holding both variants (same as --baseline F --canary F)')
    .option('--prometheus <url>', 'judge from Prometheus: each metric runs its PromQL per variant over the window')
    .option('--config <file>', 'judge config, YAML or JSON (default: error rate, error-code mix and p95 latency; see docs/canary.md)')
    .option('--window <duration>', 'Prometheus: the window queried, e.g. 10m (default: the config\'s prometheus.window)')
    .option('--baseline-label <value>', "Prometheus: the baseline's variant label value (default: the config's)")
    .option('--canary-label <value>', "Prometheus: the canary's variant label value (default: the config's)")
    .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'json']).default('markdown'))
    .option('--out <file>', 'also write the report as JSON to this file (e.g. for CI artefacts)')
    .action(async (flags: JudgeFlags) => {
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
  return pickSource(flags)(config, {
    ...(flags.window ? { window: flags.window } : {}),
    ...(flags.baselineLabel ? { baseline: flags.baselineLabel } : {}),
    ...(flags.canaryLabel ? { canary: flags.canaryLabel } : {}),
  });
}

function pickSource(flags: JudgeFlags): JudgeSource {
  if (flags.prometheus !== undefined) return prometheusSource(flags.prometheus);
  const baselinePath = flags.results ?? flags.baseline;
  const canaryPath = flags.results ?? flags.canary;
  if (!baselinePath || !canaryPath) throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', '--baseline and --canary go together (or use --results for one file with both)', {});
  return resultsFilesSource(baselinePath, canaryPath);
}
