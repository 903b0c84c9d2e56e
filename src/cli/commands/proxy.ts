import type { Command } from 'commander';
import { EXIT } from '../../errors.js';
import { loadProxyConfig, startToxiproxyServer, type ProxyInput, type StartedToxiproxyServer } from '../../toxiproxy/index.js';
import { portFlag } from '../flags.js';
import type { CliIo } from '../io.js';

interface ProxyFlags {
  host: string;
  port: number;
  config?: string;
}

/**
 * `paychaos proxy`: the embedded Toxiproxy-compatible server on its own, a drop-in for
 * `toxiproxy-server` (same default port 8474, same -config populate file). Runs until Ctrl-C or
 * SIGTERM, then closes every proxy and connection and exits 0, as toxiproxy-server does.
 */
export function registerProxy(program: Command, io: CliIo): void {
  program
    .command('proxy')
    .description('run the embedded Toxiproxy-compatible server (a drop-in for toxiproxy-server) until Ctrl-C')
    .option('--host <host>', 'address the API listens on', '127.0.0.1')
    .option('--port <port>', 'API port (0 picks a free one)', portFlag, 8474)
    .option('--config <file>', 'JSON file of proxies to create at start, as toxiproxy-server -config: [{"name","listen","upstream","enabled"?}]')
    .action(async (flags: ProxyFlags) => {
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
