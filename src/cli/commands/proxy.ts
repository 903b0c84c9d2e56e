import { Command, Option } from 'commander';
import { EXIT, createLogger, paychaosError } from '../../kernel/index.js';
import { TOXIPROXY_VERSION, loadProxyConfig, startToxiproxyServer, type ProxyInput, type StartedToxiproxyServer } from '../../toxiproxy/index.js';
import { logLevelFlag, logLevelOf, portFlag, type LogLevel } from '../flags.js';
import type { CliIo } from '../io.js';
import { VERSION } from '../version.js';

interface ProxyFlags {
  host: string;
  port: number;
  config?: string;
  toxiproxyVersion?: boolean;
  proxyMetrics?: boolean;
  runtimeMetrics?: boolean;
  logLevel?: LogLevel;
}

/** toxiproxy-server's flags that take a value; ours have the same names. */
const GO_VALUE_FLAGS = new Set(['host', 'port', 'config']);
/** toxiproxy-server 2.12 flags the embedded server cannot honour, and why. Refused rather than ignored. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  seed: 'the embedded server draws toxicity coins from Math.random() and cannot replay a seeded sequence; assert proportions, not which connection was hit',
};
const GO_BOOL_FLAGS = new Set(['proxy-metrics', 'runtime-metrics', 'version']);
// Go's strconv.ParseBool, which the flag package uses for -flag=value.
const GO_TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/**
 * Rewrite toxiproxy-server's command line (Go's flag package) into commander's, so
 * `paychaos proxy` is a drop-in in scripts and compose files written for toxiproxy-server:
 *
 *   -host X, -host=X, --host X, --host=X  → --host X / --host=X   (the same for -port, -config)
 *   -version                              → prints "toxiproxy-server version 2.12.0 (…)"
 *   -help                                 → --help
 *   -proxy-metrics, -runtime-metrics      → --proxy-metrics / --runtime-metrics (GET /metrics);
 *                                           set to false, their default, they do nothing
 *   -seed                                 → refused, naming the flag and why
 *
 * The token after a flag that takes a value is that value, whatever it looks like, as in Go and
 * commander; nothing after `--` is touched. Anything else is left for commander to judge.
 */
export function goStyleProxyArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const match = /^(--?)([a-z][a-z-]*)(?:=(.*))?$/s.exec(arg);
    if (!match) {
      out.push(arg);
      continue;
    }
    const [, dashes, name = '', value] = match;
    if (GO_VALUE_FLAGS.has(name)) {
      out.push(value === undefined ? `--${name}` : `--${name}=${value}`);
      if (value === undefined && i + 1 < args.length) out.push(args[++i]!);
      continue;
    }
    const isGoBool = GO_BOOL_FLAGS.has(name);
    const on = value === undefined || GO_TRUE.has(value) ? true : GO_FALSE.has(value) ? false : undefined;
    if (isGoBool && on === undefined) throw badFlag(`option '${arg}': invalid boolean value ${JSON.stringify(value)} (Go's flag package takes true or false)`, name);
    const why = Object.hasOwn(UNSUPPORTED, name) ? UNSUPPORTED[name] : undefined;
    if (why !== undefined) {
      if (isGoBool && on === false) continue;
      throw badFlag(`option '${arg}' of toxiproxy-server is not supported: ${why}`, name);
    }
    if (name === 'proxy-metrics' || name === 'runtime-metrics') {
      if (on) out.push(`--${name}`);
      continue;
    }
    // Only -version gets here: commander's program takes --version (paychaos' own) before `proxy` sees it.
    if (name === 'version') {
      if (on) out.push('--toxiproxy-version');
      continue;
    }
    out.push(dashes === '-' && name === 'help' && value === undefined ? '--help' : arg);
  }
  return out;
}

function badFlag(message: string, flag: string) {
  return paychaosError('PAYCHAOS_ERR_CLI_BAD_FLAG', message, { flag });
}

/** A commander command that first reads toxiproxy-server's Go-style flags (goStyleProxyArgs). */
class ProxyCommand extends Command {
  override parseOptions(args: string[]) {
    return super.parseOptions(goStyleProxyArgs(args));
  }
}

/**
 * `paychaos proxy`: the embedded Toxiproxy-compatible server on its own, a drop-in for
 * `toxiproxy-server` (same default port 8474, same -config populate file, same flags). Runs
 * until Ctrl-C or SIGTERM, then closes every proxy and connection and exits 0, as
 * toxiproxy-server does.
 */
export function registerProxy(program: Command, io: CliIo): void {
  const command = new ProxyCommand('proxy').copyInheritedSettings(program);
  program.addCommand(command);
  command
    .description('run the embedded Toxiproxy-compatible server (a drop-in for toxiproxy-server) until Ctrl-C')
    .option('--host <host>', 'address the API listens on', '127.0.0.1')
    .option('--port <port>', 'API port (0 picks a free one)', portFlag, 8474)
    .option('--config <file>', 'JSON file of proxies to create at start, as toxiproxy-server -config: [{"name","listen","upstream","enabled"?}]')
    .option('--proxy-metrics', 'serve GET /metrics with per-proxy byte counters, as toxiproxy-server -proxy-metrics')
    .option('--runtime-metrics', 'serve GET /metrics with process and runtime metrics, as toxiproxy-server -runtime-metrics')
    .option('--log-level <level>', 'fatal, error, warn, info (default, or PAYCHAOS_LOG_LEVEL), debug (a line per API request) or trace; NDJSON on stderr', logLevelFlag)
    .addOption(new Option('--toxiproxy-version', 'print the Toxiproxy version implemented, as toxiproxy-server -version').hideHelp())
    .addHelpText(
      'after',
      `
toxiproxy-server's Go-style flags work too: -host, -port, -config (also -port=8474, --port=8474),
-proxy-metrics, -runtime-metrics, -version and -help. -seed is refused: toxicity is not
seedable (see src/toxiproxy/README.md).`,
    )
    .action(async (flags: ProxyFlags) => {
      if (flags.toxiproxyVersion) {
        io.stdout(`toxiproxy-server version ${TOXIPROXY_VERSION} (paychaos proxy ${VERSION})\n`);
        io.setExit(EXIT.OK);
        return;
      }
      const level = logLevelOf(flags.logLevel);
      const proxies: ProxyInput[] = flags.config ? await loadProxyConfig(flags.config) : [];
      // Subscribe before starting, so a Ctrl-C during start-up still closes what was opened.
      let unsubscribe: () => void = () => {};
      const stopped = new Promise<NodeJS.Signals>((resolve) => {
        unsubscribe = io.onInterrupt(resolve);
      });
      let server: StartedToxiproxyServer;
      try {
        server = await startToxiproxyServer({
          host: flags.host,
          port: flags.port,
          proxies,
          proxyMetrics: flags.proxyMetrics === true,
          runtimeMetrics: flags.runtimeMetrics === true,
          logger: createLogger({ level, bindings: { service: 'paychaos-proxy' } }),
          onError: (err) => io.stderr(`paychaos proxy: ${err instanceof Error ? err.message : String(err)}\n`),
        });
      } catch (err) {
        unsubscribe();
        throw err;
      }
      try {
        io.stdout(`paychaos proxy: Toxiproxy 2.12-compatible API on ${server.url}\n`);
        // Ask the API itself, so the lines show the ports the proxies really bound.
        const listed = (await (await fetch(`${server.url}/proxies`)).json()) as Record<string, { listen: string; upstream: string; enabled: boolean }>;
        for (const [name, p] of Object.entries(listed)) io.stdout(`  proxy ${name}: ${p.listen} -> ${p.upstream}${p.enabled ? '' : ' (disabled)'}\n`);
        io.stdout('Ctrl-C stops it.\n');
        const signal = await stopped;
        io.stderr(`paychaos proxy: ${signal} received, closing every proxy…\n`);
      } finally {
        // Also when listing failed: the listeners must not outlive the command.
        unsubscribe();
        await server.close();
      }
      io.setExit(EXIT.OK);
    });
}
