import { createLogger, startOtelFromEnv, type Listening } from '../src/kernel/index.js';
import { gatewayOptionsOf, type GatewayConfig } from './config.js';
import { startGateway } from './server.js';

/**
 * The gateway as its own service, from a validated config: the redacting logger bound to the
 * run and variant (level from the config, else PAYCHAOS_LOG_LEVEL, else info; lines to stderr,
 * which the stack's supervisor keeps as `<out>/gateway-<variant>.log`), listening where the
 * config says. Shared by `gateway/main.ts` (the child process) and `paychaos gateway`.
 */
export async function startStandaloneGateway(config: Readonly<GatewayConfig>, how: { dbSetting?: string } = {}): Promise<Listening> {
  const logger = createLogger({
    ...(config.logLevel !== undefined ? { level: config.logLevel } : {}),
    bindings: { service: 'paychaos-gateway', variant: config.variant, ...(config.runId !== undefined ? { runId: config.runId } : {}) },
  });
  // With OTEL_EXPORTER_OTLP_ENDPOINT set (compose, a collector), its spans go there: started
  // before the gateway builds its instruments, shut down (flushed) after it closes.
  const otel = startOtelFromEnv({ name: 'paychaos-gateway', version: config.version ?? '0' });
  let gateway;
  try {
    gateway = await startGateway({ ...gatewayOptionsOf(config), ...how, logger, host: config.host, port: config.port });
  } catch (err) {
    await otel?.shutdown().catch(() => {});
    throw err;
  }
  logger.info({ url: gateway.url, providers: Object.keys(config.providers), db: config.db ?? ':memory:' }, 'gateway listening');
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      logger.info('gateway closing: draining payments in flight');
      await gateway.close();
      await otel?.shutdown().catch(() => {});
      logger.info('gateway closed');
      // Lines still buffered reach the file before the process exits.
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
    })());
  return { ...gateway, close, [Symbol.asyncDispose]: close };
}

/** The line a gateway prints once it listens; the stack and tests read the URL from it. */
export function announceLine(variant: string, url: string): string {
  return `paychaos gateway ${variant} listening on ${url}\n`;
}
