import { Option, type Command } from 'commander';
import { formatSummary } from '../../report/index.js';
import { startOtelFromEnv } from '../../kernel/index.js';
import { loadScenarios, runSuite } from '../../scenario/index.js';
import { readAttachFile } from '../../stack/index.js';
import { httpUrlFlag, nonEmptyFlag, portFlag } from '../flags.js';
import type { CliIo } from '../io.js';
import { progressPrinter } from '../progress.js';
import { VERSION } from '../version.js';

interface RunFlags {
  out?: string;
  junit?: string;
  toxiproxy?: string;
  target?: string;
  attach?: string;
  metricsPort?: number;
  progress: string;
}

/**
 * `paychaos run <file|dir>…`: validate every scenario first (bad input exits 2 before anything
 * starts), then run them one after another through the run engine. Each writes results.json,
 * events.jsonl, junit.xml, report.html and summary.md; several write one directory each under
 * --out plus suite.json, index.html (every scenario's report with its verdict) and a combined
 * junit.xml. The exit code is the worst run's (DESIGN.md "Results"); Ctrl-C undoes the
 * faults, writes what was measured and exits 130.
 */
export function registerRun(program: Command, io: CliIo): void {
  program
    .command('run')
    .description('run scenario files (a file, or every *.yaml in a directory) and judge them: exit 0 all held, 1 a check failed, 2 bad input, 3 the harness failed, 130 interrupted')
    .argument('<paths...>', 'scenario files or directories')
    .option('--out <dir>', 'output directory (default: paychaos-results/<id>); a suite writes one directory per scenario in it', nonEmptyFlag)
    .option('--junit <file>', 'also write the combined junit.xml here', nonEmptyFlag)
    .option('--toxiproxy <url>', 'drive a real Toxiproxy at this URL instead of the embedded one (as TOXIPROXY_URL does)', httpUrlFlag)
    .option('--target <url>', 'drive your own gateway at this URL (it must speak the reference gateway\'s POST /payments) instead of starting the reference one', httpUrlFlag)
    .option('--attach <dir>', 'use the providers of a running `paychaos up` (its --out directory, or its attach.json) instead of starting new ones: with --target, the money invariants read the ledgers your gateway charged', nonEmptyFlag)
    .option('--metrics-port <port>', "port of the run's own Prometheus endpoint (paychaos_client_*, paychaos_fault_active) on 127.0.0.1 (default: a free one, printed at start)", portFlag)
    .addOption(new Option('--progress <mode>', 'live progress: auto (a status line on a terminal, plain lines every 5 s otherwise), lines, off').choices(['auto', 'lines', 'off']).default('auto'))
    .action(async (paths: string[], flags: RunFlags) => {
      const scenarios = await loadScenarios(paths);
      const attach = flags.attach ? await readAttachFile(flags.attach) : undefined;
      if (flags.target && !attach) io.stderr('paychaos run: --target without --attach: the money invariants cannot see what your gateway charged, so they are reported as not evaluated; start `paychaos up`, point your gateway at it, and add --attach\n');
      const otel = startOtelFromEnv({ name: 'paychaos', version: VERSION });
      const interrupt = new AbortController();
      const unsubscribe = io.onInterrupt((signal) => {
        if (!interrupt.signal.aborted) io.stderr(`\npaychaos: ${signal} received, undoing every fault and writing what was measured…\n`);
        interrupt.abort();
      });
      const tty = flags.progress === 'auto' && io.isTTY?.() === true;
      const printer = progressPrinter((t) => io.stdout(t), tty);
      // The control plane reads TOXIPROXY_URL when it starts; the flag wins over the environment for this run.
      const priorToxiproxy = process.env.TOXIPROXY_URL;
      if (flags.toxiproxy) process.env.TOXIPROXY_URL = flags.toxiproxy;
      try {
        const outcome = await runSuite(scenarios, {
          paychaosVersion: VERSION,
          ...(flags.out ? { outDir: flags.out } : {}),
          ...(flags.junit ? { junitPath: flags.junit } : {}),
          ...(flags.target ? { target: flags.target } : {}),
          ...(attach ? { attach } : {}),
          signal: interrupt.signal,
          ...(flags.progress !== 'off' ? { onProgress: printer, progressIntervalMs: tty ? 500 : 5000 } : {}),
          onScenarioStart: (s, dir) => io.stdout(`paychaos run: ${s.file.name} (${s.path}) → ${dir}\n`),
          ...(flags.metricsPort !== undefined ? { metrics: { port: flags.metricsPort } } : {}),
          // Your gateway's spans become part of the verdict when its SDK exports to the run's receiver.
          onStarted: ({ addresses }) => {
            if (addresses['harness metrics']) io.stdout(`  harness metrics ${addresses['harness metrics']}\n`);
            const receiver = addresses['otlp-receiver'];
            if (flags.target && receiver) io.stdout(`paychaos run: receiving OTLP at ${receiver}: set OTEL_EXPORTER_OTLP_ENDPOINT=${receiver} in your gateway for the server-side view\n`);
          },
          onScenarioEnd: (entry) => {
            printer.done();
            if (entry.results) io.stdout(formatSummary(entry.results, { results: `${entry.outDir}/results.json`, events: `${entry.outDir}/events.jsonl`, junit: `${entry.outDir}/junit.xml` }));
            if (entry.reportPath) io.stdout(`  report     ${entry.reportPath}\n  summary.md ${entry.summaryPath}\n`);
            if (entry.reportError) io.stderr(`paychaos: ${entry.name}: the report could not be written: ${entry.reportError}\n`);
            if (entry.error) io.stderr(`paychaos: ${entry.name}: ${entry.error.message}\n  code: ${entry.error.code}\n`);
            io.stdout(`${entry.name}: exit ${entry.exitCode}\n`);
          },
        });
        if (outcome.suitePath) {
          io.stdout(`\nsuite  ${outcome.entries.map((e) => `${e.name} ${e.exitCode === 0 ? 'ok' : `exit ${e.exitCode}`}`).join(', ')}\n`);
          io.stdout(`  summary  ${outcome.suitePath}\n${outcome.indexPath ? `  index    ${outcome.indexPath}\n` : ''}  junit    ${outcome.junitPath}\n`);
        }
        io.setExit(outcome.exitCode);
      } finally {
        printer.done();
        if (flags.toxiproxy) {
          if (priorToxiproxy === undefined) delete process.env.TOXIPROXY_URL;
          else process.env.TOXIPROXY_URL = priorToxiproxy;
        }
        unsubscribe();
        await otel?.shutdown().catch(() => {});
      }
    });
}
