import { Option, type Command } from 'commander';
import { dirname } from 'node:path';
import { formatSummary, writeReports } from '../../report/index.js';
import { isPaychaosError, paychaosError, startOtelFromEnv } from '../../kernel/index.js';
import { MIX_PRESETS } from '../../load/index.js';
import { loadCanaryConfig, parseCanaryConfig, runDemo } from '../../scenario/index.js';
import { durationFlag, durationOrZeroFlag, logLevelFlag, logLevelOf, positiveIntegerFlag, positiveNumberFlag, seedFlag, splitFractionFlag, type LogLevel } from '../flags.js';
import type { CliIo } from '../io.js';
import { VERSION } from '../version.js';

interface DemoFlags {
  duration: number;
  warmup?: number;
  rate: number;
  out?: string;
  seed?: number;
  maxInFlight?: number;
  canary?: boolean;
  canaryWeight: number;
  canaryConfig?: string;
  load: 'builtin' | 'k6';
  mix: string;
  logLevel?: LogLevel;
}

/**
 * The demo warms up for 2 s by default: its stack is cold when it starts, and on this kind of
 * machine the first second (connections opening, JIT, pools filling) put p99 near 1 s at
 * 2,000/s while the rest of the run held 32–66 ms (issue 19). A demo exists to show the system's
 * figures, so start-up is reported apart (results.warmup) instead of posing as its tail.
 */
const DEMO_WARMUP_MS = 2_000;

export function registerDemo(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('run the built-in demo: provider simulators behind the embedded Toxiproxy and the reference gateway on 127.0.0.1, driven at a fixed arrival rate')
    .addOption(new Option('--duration <duration>', 'how long to drive load (30s, 2m, 1m30s)').argParser(durationFlag).default(30_000, '30s'))
    .option('--warmup <duration>', `drive this long (a ramp to --rate, then --rate; going on, up to as long again, until the latency settles) before the measured window, reported apart in results.warmup; 0 for none (default ${DEMO_WARMUP_MS / 1000}s with the built-in engine)`, durationOrZeroFlag)
    .option('--rate <per-second>', 'shoppers arriving per second (open model)', positiveNumberFlag, 200)
    .option('--out <dir>', 'where results.json, events.jsonl, report.html and summary.md go (default: paychaos-results/<run id>)')
    .option('--seed <n>', 'seed for the shopper mix, to replay a run', seedFlag)
    .option('--max-in-flight <n>', 'concurrency cap; shoppers due beyond it are dropped iterations', positiveIntegerFlag)
    .addOption(
      new Option('--mix <preset>', 'traffic mix, and so the providers started: cards (Stripe), double11 (Alipay, WeChat Pay, cards), all (every simulator — UnionPay included — the channels at the acquirers, and the WireMock localwallet, e-CNY and crypto gateway; needs Java)')
        .choices(Object.keys(MIX_PRESETS))
        .default('cards'),
    )
    .addOption(new Option('--load <engine>', 'load engine: the built-in open-model driver, or k6 on PATH running load/payments.js').choices(['builtin', 'k6']).default('builtin'))
    .option('--log-level <level>', 'what every part logs to <out>/: fatal, error, warn, info (default, or PAYCHAOS_LOG_LEVEL), debug (a line per request), trace (headers and bodies too, redacted)', logLevelFlag)
    .option('--canary', 'also run a canary gateway beside the baseline and judge the two (exit 0 pass, 1 fail, 4 inconclusive or marginal)')
    .option('--canary-weight <fraction>', 'share of shoppers sent to the canary, between 0 and 1 exclusive; implies --canary', splitFractionFlag, 0.1)
    .option('--canary-config <file>', 'YAML/JSON: the canary\'s regression (extraLatencyMs, providerErrorRate, providerTimeoutMs) and judge config; implies --canary')
    .action(async (flags: DemoFlags, command: Command) => {
      // A canary weight given on the command line asks for a canary, as --canary-config does.
      const wantsCanary = flags.canary === true || command.getOptionValueSource('canaryWeight') === 'cli';
      const canaryConfig = flags.canaryConfig ? await loadCanaryConfig(flags.canaryConfig) : wantsCanary ? parseCanaryConfig({}) : undefined;
      // With OTEL_EXPORTER_OTLP_ENDPOINT set, the gateways' spans and metrics go to that collector.
      const otel = startOtelFromEnv({ name: 'paychaos', version: VERSION });
      if (flags.load === 'k6' && (flags.warmup ?? 0) > 0) {
        throw paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', '--warmup is played by the built-in engine; with --load k6 leave it out (or give 0)', { flag: '--warmup' });
      }
      const interrupt = new AbortController();
      const unsubscribe = io.onInterrupt((signal) => {
        if (!interrupt.signal.aborted) io.stderr(`\npaychaos: ${signal} received, stopping the load and writing what was measured…\n`);
        interrupt.abort();
      });
      const warmupMs = flags.warmup ?? (flags.load === 'builtin' ? DEMO_WARMUP_MS : 0);
      let saidDriving = false;
      try {
        const outcome = await runDemo({
          durationMs: flags.duration,
          warmupMs,
          rate: flags.rate,
          ...(flags.out ? { outDir: flags.out } : {}),
          ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
          ...(flags.maxInFlight !== undefined ? { maxInFlight: flags.maxInFlight } : {}),
          ...(canaryConfig ? { canary: { ...canaryConfig, weight: flags.canaryWeight } } : {}),
          signal: interrupt.signal,
          load: flags.load,
          mix: flags.mix,
          logLevel: logLevelOf(flags.logLevel),
          version: VERSION,
          onStarted: ({ runId, addresses }) => {
            io.stdout(`paychaos demo ${runId}: ${Object.entries(addresses).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
            if (warmupMs > 0) io.stdout(`warming up at ${flags.rate}/s for ${warmupMs / 1000} s (reported apart, not in the figures)\n`);
          },
          // Said when the measured window opens, after the warm-up.
          onProgress: ({ phase }) => {
            if (phase !== 'drive' || saidDriving) return;
            saidDriving = true;
            io.stdout(`driving ${flags.rate}/s for ${flags.duration / 1000} s (Ctrl-C stops early and still writes results)\n`);
          },
        });
        io.stdout(formatSummary(outcome.results, { results: outcome.resultsPath, events: outcome.eventsPath }));
        // report.html and summary.md are drawn from the files just written; a failure to draw them
        // leaves the run's verdict (and exit code) as measured: `paychaos report` redraws them.
        try {
          const written = await writeReports(dirname(outcome.resultsPath), outcome.results, { eventsPath: outcome.eventsPath });
          io.stdout(`  report     ${written.reportPath}
  summary    ${written.summaryPath}
`);
        } catch (err) {
          io.stderr(`paychaos: report.html not written (${isPaychaosError(err) ? err.code : 'error'}: ${(err as Error).message}); run \`paychaos report ${outcome.resultsPath}\` to retry\n`);
        }
        io.setExit(outcome.exitCode);
      } finally {
        unsubscribe();
        await otel?.shutdown().catch(() => {});
      }
    });
}
