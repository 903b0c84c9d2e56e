import { connect } from 'node:net';
import { request } from 'undici';
import { paychaosError } from '../kernel/index.js';

export type Readiness = { http: string } | { tcp: { host: string; port: number } };

/** Poll until the part answers (HTTP status < 500, or a TCP connect), or fail with STACK_NOT_READY. */
export async function waitReady(name: string, readiness: Readiness, options: { timeoutMs?: number; signal?: AbortSignal; isDead?: () => string | undefined } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let last = '';
  while (Date.now() < deadline) {
    const dead = options.isDead?.();
    if (dead) throw paychaosError('PAYCHAOS_ERR_STACK_CHILD_CRASHED', `${name} exited before it was ready: ${dead}`, { part: name });
    if (options.signal?.aborted) throw paychaosError('PAYCHAOS_ERR_STACK_NOT_READY', `${name}: start cancelled`, { part: name });
    try {
      if ('http' in readiness) {
        const res = await request(readiness.http, { method: 'GET', headersTimeout: 1000, bodyTimeout: 1000 });
        await res.body.dump();
        if (res.statusCode < 500) return;
        last = `HTTP ${res.statusCode}`;
      } else {
        await tcpProbe(readiness.tcp.host, readiness.tcp.port);
        return;
      }
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw paychaosError('PAYCHAOS_ERR_STACK_NOT_READY', `${name} was not ready within ${options.timeoutMs ?? 15_000} ms (last: ${last || 'no answer'})`, { part: name });
}

function tcpProbe(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error('connect timeout'));
    });
    socket.once('error', reject);
  });
}
