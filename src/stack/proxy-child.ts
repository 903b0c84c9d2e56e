import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { paychaosError } from '../kernel/index.js';
import { onFreePort } from './on-free-port.js';
import { cliEntryPoint } from './simulator-handle.js';
import type { Supervisor } from './supervisor.js';

/** The fault proxy as its own process: the Toxiproxy API's address and the process's id. */
export interface ProxyChild {
  readonly url: string;
  readonly pid: number | undefined;
}

/** Its part name: crash reports, its log (`<logDir>/toxiproxy.log`) and results' per-part CPU. */
export const PROXY_PART = 'toxiproxy';

/**
 * The embedded Toxiproxy-compatible server as a supervised child process (`paychaos proxy`),
 * so every byte a provider sends or receives is piped on another core than the driver's. The
 * harness then drives it by its HTTP API exactly as it would a real Toxiproxy at TOXIPROXY_URL:
 * nothing in the control plane knows the difference. Supervised like a simulator: output to
 * `<logDir>/toxiproxy.log`, a crash reported at once under `toxiproxy`, its process group torn
 * down on close and on harness exit.
 */
export async function proxyChild(supervisor: Supervisor, logDir: string | undefined, logLevel?: string): Promise<ProxyChild> {
  const script = cliEntryPoint();
  if (!existsSync(script)) {
    throw paychaosError('PAYCHAOS_ERR_STACK_START_FAILED', `${PROXY_PART}: the CLI entry point ${script} is missing; build it first (npm run build)`, { part: PROXY_PART });
  }
  const host = '127.0.0.1';
  return onFreePort(host, async (port) => {
    const url = `http://${host}:${port}`;
    // Per-proxy byte counters on GET /metrics, as the in-process server serves them (Prometheus
    // shows each provider link's traffic stop while it is down).
    const args = [script, 'proxy', '--host', host, '--port', String(port), '--proxy-metrics'];
    if (logLevel !== undefined) args.push('--log-level', logLevel);
    const child = await supervisor.spawn(PROXY_PART, {
      command: process.execPath,
      args,
      url,
      ...(logDir !== undefined ? { logFile: join(logDir, `${PROXY_PART}.log`) } : {}),
      readiness: { http: `${url}/version` },
      readyTimeoutMs: 20_000,
    });
    return { url, pid: child.pid };
  });
}
