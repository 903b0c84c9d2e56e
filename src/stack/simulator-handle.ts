import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { providersWithShopperStep } from '../conventions/index.js';
import { paychaosError } from '../kernel/index.js';
import { onFreePort } from './on-free-port.js';
import { startSimulator, type SimulatorStartOptions } from '../../simulators/index.js';
import { PACKAGE_ROOT } from './package-root.js';
import { supervisedProcesses } from './supervised-processes.js';
import type { CrashListener, Supervisor } from './supervisor.js';

/**
 * A running simulator as the stack uses it: only what travels over HTTP (its address, WireMock's
 * admin API) and, when it runs as its own process, its pid. Everything else — ledger, behaviour,
 * keys — the stack reads through the simulator's `/__sim/` routes, so a simulator in this process,
 * in a child process or in another terminal (`paychaos up`) is used the same way.
 */
export interface SimulatorHandle {
  readonly kind: 'native' | 'wiremock';
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** WireMock's admin API (`${url}/__admin`): its request journal is a WireMock provider's ledger. */
  readonly adminUrl?: string;
  /** Its own process (a child, or a WireMock JVM); undefined when it runs in this process. */
  readonly pid?: number;
  close(): Promise<void>;
}

/** Where simulators run: in the harness's process (tests), or each as its own child process (runs). */
export type SimulatorPlacement = 'in-process' | 'child';

export type SimulatorOptions = Omit<SimulatorStartOptions, 'port' | 'host' | 'profile' | 'processes'>;

/** A simulator in this process; a WireMock provider's JVM is still its own process. */
export async function simulatorInProcess(provider: string, options: SimulatorOptions, onCrash?: CrashListener): Promise<SimulatorHandle & { readonly unsubscribe: () => void }> {
  const sim = await startSimulator(provider, { ...options, processes: supervisedProcesses });
  if (sim.kind === 'wiremock') {
    const unsubscribe = onCrash ? sim.wiremock.onCrash((_child, description, detail) => onCrash(provider, description, detail)) : () => {};
    return { kind: 'wiremock', url: sim.url, host: sim.host, port: sim.port, adminUrl: sim.adminUrl, ...(sim.wiremock.pid !== undefined ? { pid: sim.wiremock.pid } : {}), close: () => sim.close(), unsubscribe };
  }
  return { kind: 'native', url: sim.url, host: sim.host, port: sim.port, close: () => sim.close(), unsubscribe: () => {} };
}

/** The built CLI the child runs (`paychaos sim`), as `npm run build` writes it. */
export function cliEntryPoint(): string {
  return join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
}

/**
 * A simulator as its own child process (`paychaos sim <provider>`), so its work does not share
 * the driver's event loop: the driver's lag then measures the driver. Supervised like a gateway:
 * its output goes to `<logDir>/sim-<provider>.log`, a crash is reported at once under the
 * provider's name, and teardown reaches its whole process group (a WireMock JVM included).
 */
export async function simulatorChild(provider: string, options: SimulatorOptions, supervisor: Supervisor, logDir: string | undefined): Promise<SimulatorHandle> {
  const script = cliEntryPoint();
  if (!existsSync(script)) {
    throw paychaosError('PAYCHAOS_ERR_STACK_START_FAILED', `${provider}: the CLI entry point ${script} is missing; build it first (npm run build)`, { part: provider });
  }
  const host = '127.0.0.1';
  return onFreePort(host, async (port) => {
    const url = `http://${host}:${port}`;
    const args = [script, 'sim', provider, '--port', String(port)];
    if (options.seed !== undefined) args.push('--seed', String(options.seed));
    if (options.clockScale !== undefined) args.push('--clock-scale', String(options.clockScale));
    if (options.fees !== undefined) args.push('--fee-bps', String(options.fees.bps), '--fee-fixed', String(options.fees.fixed ?? 0));
    // Only providers with a shopper step take it (the CLI refuses it elsewhere, as it should).
    if (options.shopperApprovesAfterMs !== undefined && providersWithShopperStep().includes(provider)) args.push('--shopper-approves', `${options.shopperApprovesAfterMs}ms`);
    // The key goes through the environment, never the command line other users' `ps` can read.
    const env: Record<string, string> = {};
    if (options.apiKey !== undefined) env.PAYCHAOS_SIM_API_KEY = options.apiKey;
    // Its log lines carry the run id and go to stderr, which the supervisor keeps as its log file.
    if (options.log?.level !== undefined) args.push('--log-level', options.log.level);
    if (options.log?.runId !== undefined) env.PAYCHAOS_RUN_ID = options.log.runId;
    if (logDir !== undefined) env.PAYCHAOS_SIM_LOG_DIR = logDir;
    const safe = provider.replace(/[^A-Za-z0-9_-]/g, '_');
    const child = await supervisor.spawn(provider, {
      command: process.execPath,
      args,
      env,
      url,
      ...(logDir !== undefined ? { logFile: join(logDir, `sim-${safe}.log`) } : {}),
      readiness: { http: `${url}/__sim/health` },
      // A WireMock provider starts a JVM: seconds, not milliseconds.
      readyTimeoutMs: provider.startsWith('wiremock:') ? 45_000 : 20_000,
    });
    return {
      kind: provider.startsWith('wiremock:') ? 'wiremock' : 'native',
      url,
      host,
      port,
      ...(provider.startsWith('wiremock:') ? { adminUrl: `${url}/__admin` } : {}),
      ...(child.pid !== undefined ? { pid: child.pid } : {}),
      close: () => child.stop(),
    };
  });
}
