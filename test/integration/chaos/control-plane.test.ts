import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, isPaychaosError } from '../../../src/kernel/index.js';
import { startChaosControl, type ChaosControl } from '../../../src/chaos/index.js';
import { startToxiproxyServer, type StartedToxiproxyServer } from '../../../src/toxiproxy/index.js';
import { connectTo, portOf, raw, readAll, roundTrip, startEcho, tryConnect, type TcpServer } from '../toxiproxy/support.js';

/** The control plane against a Toxiproxy-compatible server, over real sockets. */
let echo: TcpServer;
let toxiproxy: StartedToxiproxyServer;
beforeAll(async () => {
  echo = await startEcho();
  // Stands in for a real Toxiproxy at TOXIPROXY_URL; the control plane only sees the API.
  toxiproxy = await startToxiproxyServer();
});
afterAll(async () => {
  await toxiproxy.close();
  await echo.close();
});

const toxicNames = async (url: string, proxy: string): Promise<string[]> =>
  (JSON.parse((await raw(url, 'GET', `/proxies/${proxy}/toxics`)).text) as Array<{ name: string }>).map((t) => t.name);

describe('chaos control plane', () => {
  it('runs its own embedded server when TOXIPROXY_URL is not set, and stops it on close', async () => {
    const chaos = await startChaosControl({ env: {} });
    expect(chaos.embedded).toBe(true);
    expect((await raw(chaos.url, 'GET', '/version')).status).toBe(200);
    await chaos.close();
    expect(await tryConnect(portOf(chaos.url))).toBe('ECONNREFUSED');
  });

  it('drives the Toxiproxy at TOXIPROXY_URL and leaves that server running on close', async () => {
    const chaos = await startChaosControl({ env: { TOXIPROXY_URL: `${toxiproxy.url}/` } });
    expect(chaos.embedded).toBe(false);
    expect(chaos.url).toBe(toxiproxy.url);
    await chaos.close();
    expect((await raw(toxiproxy.url, 'GET', '/version')).status).toBe(200);
  });

  it('fails with PAYCHAOS_ERR_CHAOS_UNREACHABLE when nothing answers at TOXIPROXY_URL', async () => {
    const err = await startChaosControl({ toxiproxyUrl: 'http://127.0.0.1:1' }).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_CHAOS_UNREACHABLE')).toBe(true);
  });

  describe('with a proxy in front of an echo server', () => {
    let chaos: ChaosControl;
    let port: number;
    beforeAll(async () => {
      chaos = await startChaosControl({ toxiproxyUrl: toxiproxy.url });
      port = portOf((await chaos.ensureProxy({ name: 'psp', upstream: echo.address })).listen);
    });
    afterAll(() => chaos.close());

    it('adds latency while the fault is active and removes it when the step ends (100 ms, -1/+90 ms; under 80 ms without it)', async () => {
      const socket = await connectTo(port);
      const fault = await chaos.applyFault({ type: 'latency', target: 'psp', latencyMs: 100 });
      const slow = await roundTrip(socket);
      expect(slow).toBeGreaterThanOrEqual(99);
      expect(slow).toBeLessThan(190);
      expect(await toxicNames(chaos.url, 'psp')).toEqual([`paychaos_${fault.id}_downstream`]);
      await fault.remove();
      expect(await roundTrip(socket)).toBeLessThan(80);
      expect(await toxicNames(chaos.url, 'psp')).toEqual([]);
      socket.destroy();
    });

    it('takes a proxy down (refusing connections) and brings it back when the step ends', async () => {
      const fault = await chaos.applyFault({ type: 'down', target: 'psp' });
      expect(await tryConnect(port)).toBe('ECONNREFUSED');
      await fault.remove();
      expect(await tryConnect(port)).toBe('connected');
    });

    it('keeps a proxy down until the last of two overlapping down steps ends', async () => {
      const a = await chaos.applyFault({ type: 'down', target: 'psp' });
      const b = await chaos.applyFault({ type: 'down', target: 'psp' });
      await a.remove();
      expect(await tryConnect(port)).toBe('ECONNREFUSED');
      await b.remove();
      expect(await tryConnect(port)).toBe('connected');
    });

    it('keeps a proxy down until the last of two down steps applied at the same moment ends', async () => {
      const [a, b] = await Promise.all([chaos.applyFault({ type: 'down', target: 'psp' }), chaos.applyFault({ type: 'down', target: 'psp' })]);
      await a.remove();
      expect(await tryConnect(port)).toBe('ECONNREFUSED');
      await b.remove();
      expect(await tryConnect(port)).toBe('connected');
    });

    it('applies one of two faults given the same id at the same moment and refuses the other', async () => {
      const results = await Promise.allSettled([
        chaos.applyFault({ id: 'twice', type: 'down', target: 'psp' }),
        chaos.applyFault({ id: 'twice', type: 'down', target: 'psp' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((r) => r.status === 'rejected')!.reason as unknown;
      expect(isPaychaosError(refused, 'PAYCHAOS_ERR_CHAOS_BAD_FAULT')).toBe(true);
      expect(chaos.activeFaults().map((f) => f.id)).toEqual(['twice']);
      await chaos.activeFaults()[0]!.remove();
      expect(await tryConnect(port)).toBe('connected');
    });

    it('cuts responses with limit_data and resets with reset_peer', async () => {
      await chaos.withFault({ type: 'limit_data', target: 'psp', bytes: 3 }, async () => {
        const socket = await connectTo(port);
        socket.write('hello');
        const got = await readAll(socket);
        expect(got.data.toString()).toBe('hel');
      });
      await chaos.withFault({ type: 'reset_peer', target: 'psp' }, async () => {
        const socket = await connectTo(port);
        socket.write('hello');
        expect((await readAll(socket)).how).toBe('ECONNRESET');
      });
      expect(await toxicNames(chaos.url, 'psp')).toEqual([]);
    });

    it('maps bandwidth, slicer and timeout steps to their toxics in both directions', async () => {
      const faults = [
        await chaos.applyFault({ id: 'bw', type: 'bandwidth', target: 'psp', rateKBps: 50, direction: 'both' }),
        await chaos.applyFault({ id: 'sl', type: 'slicer', target: 'psp', averageSize: 10, sizeVariation: 2 }),
        await chaos.applyFault({ id: 'to', type: 'timeout', target: 'psp', timeoutMs: 1000, direction: 'upstream' }),
      ];
      const listed = JSON.parse((await raw(chaos.url, 'GET', '/proxies/psp/toxics')).text) as Array<{ name: string; type: string; attributes: object }>;
      expect(listed).toEqual([
        expect.objectContaining({ name: 'paychaos_bw_upstream', type: 'bandwidth', attributes: { rate: 50 } }),
        expect.objectContaining({ name: 'paychaos_to_upstream', type: 'timeout', attributes: { timeout: 1000 } }),
        expect.objectContaining({ name: 'paychaos_bw_downstream', type: 'bandwidth' }),
        expect.objectContaining({ name: 'paychaos_sl_downstream', type: 'slicer', attributes: { average_size: 10, size_variation: 2, delay: 0 } }),
      ]);
      for (const f of faults) await f.remove();
      expect(await toxicNames(chaos.url, 'psp')).toEqual([]);
    });

    it('removes a fault after forMs, reporting it active then inactive', async () => {
      const changes: string[] = [];
      const clock = new ManualClock();
      const fire = () => clock.advance(30_000);
      const own = await startChaosControl({ toxiproxyUrl: toxiproxy.url, clock, onFaultChange: (c) => changes.push(`${c.id}:${c.active}`) });
      const fault = await own.applyFault({ id: 'timed', type: 'latency', target: 'psp', latencyMs: 5 }, { forMs: 30_000 });
      expect(await toxicNames(own.url, 'psp')).toEqual(['paychaos_timed_downstream']);
      expect(own.activeFaults().map((f) => f.id)).toEqual(['timed']);
      fire();
      // The timer started the removal; remove() joins it (it is idempotent) instead of guessing how long it takes.
      expect(own.activeFaults()).toEqual([]);
      await fault.remove();
      expect(await toxicNames(own.url, 'psp')).toEqual([]);
      expect(changes).toEqual(['timed:true', 'timed:false']);
      await own.close();
    });

    it('removes the fault even when the step body throws', async () => {
      const err = await chaos
        .withFault({ type: 'latency', target: 'psp', latencyMs: 5 }, async () => {
          throw new Error('the gateway crashed');
        })
        .catch((e: unknown) => e);
      expect((err as Error).message).toBe('the gateway crashed');
      expect(await toxicNames(chaos.url, 'psp')).toEqual([]);
    });

    it("keeps Toxiproxy's error message, which toxiproxy-node-client drops", async () => {
      await raw(chaos.url, 'POST', '/proxies/psp/toxics', JSON.stringify({ name: 'paychaos_clash_downstream', type: 'noop' }));
      const err = await chaos.applyFault({ id: 'clash', type: 'latency', target: 'psp', latencyMs: 1 }).catch((e: unknown) => e);
      expect(isPaychaosError(err, 'PAYCHAOS_ERR_CHAOS_TOXIPROXY_REQUEST')).toBe(true);
      expect(err).toMatchObject({ details: { status: 409, serverMessage: 'toxic already exists' } });
      await raw(chaos.url, 'DELETE', '/proxies/psp/toxics/paychaos_clash_downstream');
    });

    it('refuses a fault on an unknown target with PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET', async () => {
      const err = await chaos.applyFault({ type: 'latency', target: 'nope', latencyMs: 1 }).catch((e: unknown) => e);
      expect(isPaychaosError(err, 'PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET')).toBe(true);
    });
  });

  it('restores a clean state on close after failures: faults removed, leftovers swept, own proxies deleted', async () => {
    const chaos = await startChaosControl({ toxiproxyUrl: toxiproxy.url });
    await chaos.ensureProxy({ name: 'temp', upstream: echo.address });
    await chaos.applyFault({ id: 'a', type: 'latency', target: 'temp', latencyMs: 50 });
    await chaos.applyFault({ id: 'b', type: 'down', target: 'temp' });
    // Someone removed a toxic behind our back, and a crashed run left one of ours behind.
    await raw(chaos.url, 'DELETE', '/proxies/temp/toxics/paychaos_a_downstream');
    await raw(chaos.url, 'POST', '/proxies/temp/toxics', JSON.stringify({ name: 'paychaos_crashed_downstream', type: 'noop' }));
    await chaos.close();
    expect((await raw(toxiproxy.url, 'GET', '/proxies/temp')).status).toBe(404);
  });

  it('re-enables and sweeps paychaos toxics from proxies it did not create, leaving theirs and the proxy', async () => {
    await raw(toxiproxy.url, 'POST', '/proxies', JSON.stringify({ name: 'theirs', listen: '127.0.0.1:0', upstream: echo.address }));
    const chaos = await startChaosControl({ toxiproxyUrl: toxiproxy.url });
    await chaos.applyFault({ type: 'down', target: 'theirs' });
    await chaos.applyFault({ type: 'timeout', target: 'theirs', timeoutMs: 0 });
    await raw(toxiproxy.url, 'POST', '/proxies/theirs/toxics', JSON.stringify({ name: 'paychaos_crashed_downstream', type: 'noop' }));
    await raw(toxiproxy.url, 'POST', '/proxies/theirs/toxics', JSON.stringify({ name: 'not_ours', type: 'noop' }));
    await chaos.close();
    const after = JSON.parse((await raw(toxiproxy.url, 'GET', '/proxies/theirs')).text) as { enabled: boolean; toxics: unknown[] };
    expect(after).toMatchObject({ enabled: true, toxics: [{ name: 'not_ours' }] });
    expect(after.toxics).toHaveLength(1);
  });
});
