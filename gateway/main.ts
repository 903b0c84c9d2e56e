#!/usr/bin/env node
/**
 * The reference gateway as a process of its own (a child of the stack, or run by hand):
 *
 *   node dist/gateway/main.js [--config gateway.yaml] [--port N] [--db FILE] [--variant baseline|canary] [--log-level L]
 *
 * The config comes from --config or PAYCHAOS_GATEWAY_CONFIG (inline JSON), flags on top
 * (gateway/config.ts). Once listening it prints `paychaos gateway <variant> listening on <url>`
 * on stdout; the stack waits for GET /healthz. SIGTERM or SIGINT: stop accepting, drain the
 * payments in flight, exit 0. A bad config: every problem with its path on stderr, exit 2; a --db
 * it cannot open: PAYCHAOS_ERR_GATEWAY_BAD_DB naming the flag, exit 2. A restart on the same --db
 * carries on: keys replay, pending payments are settled by the recovery loop.
 */
import { parseArgs } from 'node:util';
import { EXIT, isPaychaosError, paychaosError, type PaychaosError } from '../src/kernel/index.js';
import { loadGatewayConfig } from './config.js';
import { announceLine, startStandaloneGateway } from './standalone.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { config: { type: 'string' }, port: { type: 'string' }, db: { type: 'string' }, variant: { type: 'string' }, 'log-level': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port === undefined ? undefined : /^\d+$/.test(values.port) ? Number(values.port) : NaN;
  const config = await loadGatewayConfig({
    ...(values.config !== undefined ? { file: values.config } : {}),
    ...(process.env.PAYCHAOS_GATEWAY_CONFIG !== undefined ? { inline: process.env.PAYCHAOS_GATEWAY_CONFIG } : {}),
    overrides: {
      ...(port !== undefined ? { port } : {}),
      ...(values.db !== undefined ? { db: values.db } : {}),
      ...(values.variant !== undefined ? { variant: values.variant } : {}),
      ...(values['log-level'] !== undefined ? { logLevel: values['log-level'] } : {}),
    },
  });
  // Subscribe before listening, so a signal during start-up still closes what was opened.
  let stop: (signal: NodeJS.Signals) => void = () => {};
  const stopped = new Promise<NodeJS.Signals>((resolve) => (stop = resolve));
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  const gateway = await startStandaloneGateway(config, values.db !== undefined ? { dbSetting: '--db' } : {});
  process.stdout.write(announceLine(config.variant, gateway.url));
  await stopped;
  await gateway.close();
  return EXIT.OK;
}

function report(err: PaychaosError): string {
  return `paychaos gateway: ${err.message}\n  code: ${err.code}\n  hint: ${err.hint}\n`;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // parseArgs' own errors (an unknown flag) are bad input like any other.
    const coded = isPaychaosError(err) ? err : (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? paychaosError('PAYCHAOS_ERR_GATEWAY_BAD_CONFIG', (err as Error).message) : paychaosError('PAYCHAOS_ERR_HARNESS_BUG', (err as Error).message ?? String(err), {}, { cause: err });
    process.stderr.write(report(coded));
    process.exit(coded.exitCode);
  },
);
