import { Option, type Command } from 'commander';
import { EXIT } from '../../kernel/index.js';
import { announceLine, loadGatewayConfig, startStandaloneGateway } from '../../../gateway/index.js';
import { portFlag } from '../flags.js';
import type { CliIo } from '../io.js';

interface GatewayFlags {
  port?: number;
  variant?: string;
  config?: string;
  db?: string;
  logLevel?: string;
}

/**
 * `paychaos gateway`: the reference gateway in the foreground, as the stack runs it as a child
 * (gateway/main.ts does the same for the stack). The one CLI file that imports the gateway.
 */
export function registerGateway(program: Command, io: CliIo): void {
  program
    .command('gateway')
    .description('run the reference gateway (the system under test) until Ctrl-C or SIGTERM; then it drains the payments in flight and exits 0 (docs/gateway.md)')
    .option('--config <file>', 'YAML/JSON gateway config: providers {name: {url, credentials}}, port, variant, regression … (or PAYCHAOS_GATEWAY_CONFIG as inline JSON)')
    .option('--db <file>', "SQLite file for the gateway's state (payments, keys, ledger); a restart on the same file recovers (default: in memory)")
    .option('--port <n>', 'port to listen on, over the config (0 picks a free one)', portFlag)
    .addOption(new Option('--variant <variant>', 'baseline or canary, over the config').choices(['baseline', 'canary']))
    .addOption(new Option('--log-level <level>', 'log level, over the config and PAYCHAOS_LOG_LEVEL').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .action(async (flags: GatewayFlags) => {
      const config = await loadGatewayConfig({
        ...(flags.config !== undefined ? { file: flags.config } : {}),
        ...(process.env.PAYCHAOS_GATEWAY_CONFIG !== undefined ? { inline: process.env.PAYCHAOS_GATEWAY_CONFIG } : {}),
        overrides: { ...(flags.port !== undefined ? { port: flags.port } : {}), ...(flags.db !== undefined ? { db: flags.db } : {}), ...(flags.variant !== undefined ? { variant: flags.variant } : {}), ...(flags.logLevel !== undefined ? { logLevel: flags.logLevel } : {}) },
      });
      let unsubscribe: () => void = () => {};
      const stopped = new Promise<NodeJS.Signals>((resolve) => {
        unsubscribe = io.onInterrupt(resolve);
      });
      let gateway;
      try {
        gateway = await startStandaloneGateway(config, flags.db !== undefined ? { dbSetting: '--db' } : {});
      } catch (err) {
        unsubscribe();
        throw err;
      }
      io.stdout(announceLine(config.variant, gateway.url));
      io.stdout('Ctrl-C stops it (payments in flight finish first).\n');
      const signal = await stopped;
      unsubscribe();
      io.stderr(`paychaos gateway: ${signal} received, draining…\n`);
      await gateway.close();
      io.setExit(EXIT.OK);
    });
}
