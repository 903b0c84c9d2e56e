import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configDocumentOf, startGateway, type GatewayOptions } from '../../gateway/index.js';
import { paychaosError } from '../kernel/index.js';
import { onFreePort } from './on-free-port.js';
import type { StackChild } from './child.js';
import { PACKAGE_ROOT } from './package-root.js';
import { Supervisor } from './supervisor.js';

export { GATEWAY_PROVIDERS, gatewaySpeaks } from '../../gateway/index.js';

/** Per provider, the notification types a reference gateway's endpoint subscribes to (absent: every type). */
export { STRIPE_SUBSCRIBED_EVENTS } from '../../gateway/index.js';

/**
 * The one interface through which a stack starts a system under test (issue #10 item 3): the
 * reference gateway in-process (tests), the reference gateway as a child process (the demo and
 * runs: its event loop is its own, and a `kill -9` is real), or a system already running at a
 * URL (a team's own gateway). The run engine sees the same StartedSut whichever it is.
 */
export type GatewayConfigInput = Omit<GatewayOptions, 'logger' | 'dbSetting'> & {
  /** Child mode: the gateway's log level (else PAYCHAOS_LOG_LEVEL, else info). */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
};

export type SutSpec =
  | { mode: 'in-process'; config: GatewayConfigInput; name: string }
  | {
      mode: 'child';
      config: GatewayConfigInput;
      name: string;
      /**
       * Where its OpenTelemetry SDK exports spans (the run's embedded OTLP receiver). Absent: the
       * child inherits this process's OTEL_* environment (a collector the user configured, or none).
       */
      otlpEndpoint?: string;
    }
  | { mode: 'url'; url: string; name: string };

export interface StartedSut extends AsyncDisposable {
  readonly name: string;
  readonly url: string;
  readonly mode: SutSpec['mode'];
  /** Child mode: the gateway's SQLite file (the same across restarts). */
  readonly db?: string;
  /** Child mode: the process now serving (a restart changes it). */
  readonly pid?: number;
  /** Graceful: the reference gateway drains the charges in flight; a system at a URL is left running. */
  close(): Promise<void>;
  /** Child mode only: signal the process (default SIGKILL) and wait until it is gone. */
  kill?(signal?: NodeJS.Signals): Promise<void>;
  /** Child mode only: start it again on the same port (after a kill), and wait until it is ready. */
  restart?(): Promise<void>;
}

export interface SutContext {
  /**
   * Child mode: the stack's supervisor, which starts, watches and finally reaps the process. Without
   * one the system gets its own, closed with it.
   */
  supervisor?: Supervisor;
  /** Child mode without a supervisor: where `<name>.log` goes. */
  logDir?: string;
  /**
   * Child mode: the run's directory, where the gateway's SQLite file goes (`<name>.db`, beside its
   * log) unless the config names one. Without either, a temporary directory, removed at close.
   */
  dataDir?: string;
}

/** How long a stopping gateway may drain its payments in flight before it is SIGKILLed (its own limit is 15 s). */
const DRAIN_GRACE_MS = 20_000;

export async function startSystemUnderTest(spec: SutSpec, context: SutContext = {}): Promise<StartedSut> {
  if (spec.mode === 'url') {
    // Not ours to stop: closing only forgets it.
    const close = async (): Promise<void> => {};
    return { name: spec.name, url: spec.url.replace(/\/+$/, ''), mode: 'url', close, [Symbol.asyncDispose]: close };
  }
  if (spec.mode === 'child') return startChildGateway(spec, context);
  const gateway = await startGateway(spec.config);
  return { name: spec.name, url: gateway.url, mode: 'in-process', close: () => gateway.close(), [Symbol.asyncDispose]: () => gateway.close() };
}

/** The built entry point the child runs (dist/, as `npm run build` writes it). */
export function gatewayEntryPoint(): string {
  return join(PACKAGE_ROOT, 'dist', 'gateway', 'main.js');
}

async function startChildGateway(spec: Extract<SutSpec, { mode: 'child' }>, context: SutContext): Promise<StartedSut> {
  const script = gatewayEntryPoint();
  if (!existsSync(script)) {
    throw paychaosError('PAYCHAOS_ERR_STACK_START_FAILED', `${spec.name}: the gateway's entry point ${script} is missing; build it first (npm run build)`, { part: spec.name });
  }
  const own = context.supervisor ? undefined : new Supervisor(context.logDir ? { logDir: context.logDir } : {});
  const supervisor = context.supervisor ?? own!;
  // Its durable state: a restart (after a kill -9) reopens the same file and recovers from it.
  const tempDir = spec.config.db === undefined && context.dataDir === undefined ? await mkdtemp(join(tmpdir(), `paychaos-${spec.name}-`)) : undefined;
  const db = spec.config.db ?? join(context.dataDir ?? tempDir!, `${spec.name}.db`);
  const removeTemp = async (): Promise<void> => {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };
  // The config, credentials included, goes through the environment: nothing secret is written to disk.
  // configDocumentOf: the router's settings (resilience) back into the document's own keys (routes, breaker, retry).
  const spawnOn = (port: number): Promise<StackChild> => {
    const url = `http://127.0.0.1:${port}`;
    const env = { PAYCHAOS_GATEWAY_CONFIG: JSON.stringify({ ...configDocumentOf(spec.config), db, host: '127.0.0.1', port }), ...(spec.otlpEndpoint ? otlpEnv(spec.otlpEndpoint) : {}) };
    return supervisor.spawn(spec.name, { command: process.execPath, args: [script], env, url, readiness: { http: `${url}/healthz` }, readyTimeoutMs: 30_000 });
  };
  // Told its port up front, so a restart comes back at the same URL the driver is sending to.
  let port = 0;
  let child: StackChild;
  try {
    child = await onFreePort('127.0.0.1', async (free) => {
      const started = await spawnOn(free);
      port = free;
      return started;
    });
  } catch (err) {
    await own?.close();
    await removeTemp();
    throw err;
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await child.stop(DRAIN_GRACE_MS);
      await own?.close();
      await removeTemp();
    })());
  const url = `http://127.0.0.1:${port}`;
  return {
    name: spec.name,
    url,
    mode: 'child',
    db,
    get pid() {
      return child.pid;
    },
    close,
    [Symbol.asyncDispose]: close,
    kill: (signal: NodeJS.Signals = 'SIGKILL') => child.kill(signal),
    restart: async () => {
      if (closing) throw paychaosError('PAYCHAOS_ERR_STACK_START_FAILED', `${spec.name}: cannot restart, the system is closing`, { part: spec.name });
      // A restart of a running gateway is a stop and a start: never two processes on one port.
      if (!child.exit) await child.stop(DRAIN_GRACE_MS);
      child = await spawnOn(port);
    },
  };
}

/**
 * The standard OTEL_* variables that point a child's SDK (gateway/standalone.ts starts it from
 * them) at the embedded receiver: traces only — the receiver acknowledges metrics and logs but
 * keeps nothing of them, so exporting them would be work for nothing — flushed every 500 ms, with
 * a queue deep enough that a burst at peak load is not dropped before the next export.
 */
export function otlpEnv(endpoint: string): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_TRACES_SAMPLER: 'always_on',
    OTEL_BSP_SCHEDULE_DELAY: '500',
    OTEL_BSP_MAX_QUEUE_SIZE: '65536',
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2048',
  };
}
