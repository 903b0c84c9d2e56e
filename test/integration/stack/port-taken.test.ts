import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cliEntryPoint } from '../../../src/stack/simulator-handle.js';
import { onFreePort } from '../../../src/stack/on-free-port.js';
import { Supervisor } from '../../../src/stack/supervisor.js';

/**
 * A child told its port up front can find it taken: freePort closes the port it found before the
 * child binds it, and another process on the machine (another test worker, another run) may be
 * handed the same port meanwhile. Seen in a run: a simulator exited PAYCHAOS_ERR_LISTEN_IN_USE and
 * the whole run failed to start. The stack now starts such a child again on another port, and a
 * child that never got ready is neither a crash nor a part left to close.
 */
const held: Server[] = [];
afterEach(async () => {
  for (const s of held.splice(0)) await new Promise((r) => s.close(r));
});

async function holdAPort(): Promise<number> {
  // Whoever holds it answers nothing: a connection is dropped at once.
  const server = createServer((socket) => socket.destroy());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  held.push(server);
  return (server.address() as { port: number }).port;
}

const simOn = (supervisor: Supervisor, port: number) =>
  supervisor.spawn('stripe', { command: process.execPath, args: [cliEntryPoint(), 'sim', 'stripe', '--port', String(port)], url: `http://127.0.0.1:${port}`, readiness: { http: `http://127.0.0.1:${port}/__sim/health` }, readyTimeoutMs: 20_000 });

describe('a child whose port was taken before it bound it', () => {
  it('is started again on another port; the failed start is no crash and leaves no part behind', async () => {
    const taken = await holdAPort();
    const supervisor = new Supervisor();
    const crashes: string[] = [];
    supervisor.onCrash((name, description) => crashes.push(`${name}: ${description}`));
    const tried: number[] = [];
    try {
      // The first attempt is handed the port another process holds, as the race would.
      const port = await onFreePort('127.0.0.1', async (free) => {
        const use = tried.length === 0 ? taken : free;
        tried.push(use);
        await simOn(supervisor, use);
        return use;
      });
      expect(tried).toHaveLength(2);
      expect(tried[0]).toBe(taken);
      expect(port).not.toBe(taken);
      const health = await fetch(`http://127.0.0.1:${port}/__sim/health`);
      expect(health.status).toBe(200);
      expect(supervisor.names).toEqual(['stripe']);
      expect(supervisor.addresses()).toEqual({ stripe: `http://127.0.0.1:${port}` });
    } finally {
      await supervisor.close();
    }
    expect(crashes).toEqual([]);
  }, 60_000);

  it('does not retry a start that failed for another reason, and says why', async () => {
    const supervisor = new Supervisor();
    let attempts = 0;
    try {
      const failing = onFreePort('127.0.0.1', async (free) => {
        attempts++;
        return supervisor.spawn('stripe', { command: process.execPath, args: [cliEntryPoint(), 'sim', 'no-such-provider', '--port', String(free)], url: `http://127.0.0.1:${free}`, readiness: { http: `http://127.0.0.1:${free}/__sim/health` }, readyTimeoutMs: 20_000 });
      });
      await expect(failing).rejects.toMatchObject({ code: 'PAYCHAOS_ERR_STACK_CHILD_CRASHED' });
      expect(attempts).toBe(1);
      expect(supervisor.names).toEqual([]);
    } finally {
      await supervisor.close();
    }
  }, 60_000);

  it('gives up after three taken ports with the child\'s own error', async () => {
    const supervisor = new Supervisor();
    const taken = await holdAPort();
    let attempts = 0;
    try {
      const failing = onFreePort('127.0.0.1', async () => {
        attempts++;
        return simOn(supervisor, taken);
      });
      await expect(failing).rejects.toThrow(/PAYCHAOS_ERR_LISTEN_IN_USE/);
      expect(attempts).toBe(3);
    } finally {
      await supervisor.close();
    }
  }, 60_000);
});
