import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_JUDGE_CONFIG, parseJudgeConfig } from '../../analysis/index.js';
import { loadJudgeConfig, prometheusSource, startJudgeServer, type JudgeSource } from '../../judge/index.js';
import { createLogger, paychaosError } from '../../kernel/index.js';
import { httpUrlFlag, logLevelFlag, logLevelOf, portFlag, type LogLevel } from '../flags.js';
import type { CliIo } from '../io.js';
import { resultsFilesFromFlags } from './judge-sources.js';

interface ServeJudgeFlags {
  host: string;
  port: number;
  prometheus?: string;
  baseline?: string;
  canary?: string;
  config?: string;
  label: Record<string, string>;
  logLevel?: LogLevel;
}

/** `paychaos serve <what>`: long-running HTTP faces of paychaos. Today: `serve judge`. */
export function registerServe(program: Command, io: CliIo): void {
  const serve = program.command('serve').description('run a paychaos service until Ctrl-C');
  const judge = serve
    .command('judge')
    .description('serve the canary judge over HTTP: /judge (Argo Rollouts web metric), /flagger (Flagger webhook), /metrics (Prometheus)')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0 picks a free one)', portFlag, 0)
    .option('--prometheus <url>', 'judge from Prometheus, http:// or https:// (each request queries it afresh)', httpUrlFlag)
    .option('--baseline <results.json>', 'judge from results files instead: the baseline file (re-read per request)')
    .option('--canary <results.json>', 'the canary file (re-read per request)')
    .option('--config <file>', 'judge config, YAML or JSON (default: see docs/canary.md)')
    .option('--label <name=value>', 'a constant label on every exported series (repeatable)', labelFlag, {})
    .option('--log-level <level>', 'fatal, error, warn, info (default, or PAYCHAOS_LOG_LEVEL), debug (a line per request) or trace; NDJSON on stderr', logLevelFlag)
    .action(async (flags: ServeJudgeFlags) => {
      const level = logLevelOf(flags.logLevel);
      const config = flags.config ? await loadJudgeConfig(flags.config) : parseJudgeConfig(DEFAULT_JUDGE_CONFIG, 'the default judge config');
      const source = await pickSource(flags);
      const logger = createLogger({ level, bindings: { service: 'paychaos-judge' } });
      const server = await startJudgeServer({ config, source, labels: flags.label, host: flags.host, port: flags.port, logger });
      io.stdout(`paychaos judge serving on ${server.url}: GET ${server.url}/judge, POST ${server.url}/flagger, GET ${server.url}/metrics\n`);
      await new Promise<void>((resolve) => {
        const unsubscribe = io.onInterrupt(() => {
          unsubscribe();
          resolve();
        });
      });
      await server.close();
    });
  // Nested commands do not inherit run.ts' overrides: a bad flag must still exit through runCli.
  judge.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s), outputError: () => {} });
}

/**
 * The source, checked before the server starts: a server that could only answer errors is
 * refused at once (exit 2), not discovered one failed request at a time. Results files must
 * exist and hold a judgeable pair now; they are re-read per request all the same.
 */
async function pickSource(flags: ServeJudgeFlags): Promise<JudgeSource> {
  const files = flags.baseline !== undefined || flags.canary !== undefined;
  if (files === (flags.prometheus !== undefined)) {
    throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', 'give exactly one source: --prometheus URL, or --baseline A.json --canary B.json', {});
  }
  if (flags.prometheus !== undefined) return prometheusSource(flags.prometheus);
  if (!flags.baseline || !flags.canary) throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', '--baseline and --canary go together', {});
  return resultsFilesFromFlags({ flag: '--baseline', path: flags.baseline }, { flag: '--canary', path: flags.canary }, 'read');
}

function labelFlag(value: string, previous: Record<string, string>): Record<string, string> {
  const m = /^([a-zA-Z_][a-zA-Z0-9_]*)=(.*)$/.exec(value);
  if (!m) throw new InvalidArgumentError('Expected name=value with a Prometheus label name, e.g. rollout=checkout.');
  return { ...previous, [m[1]!]: m[2]! };
}
