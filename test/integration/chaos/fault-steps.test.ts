import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, isPaychaosError, systemClock } from '../../../src/kernel/index.js';
import { parseTimeline, playTimeline, startChaosControl, type ChaosControl, type FaultContext, type ProcessHandle, type TimelineStep } from '../../../src/chaos/index.js';
import { TrafficOverrides } from '../../../src/load/index.js';
import { startSimulator, type StartedSimulator } from '../../../simulators/index.js';
import { connectTo, portOf, readAll, roundTrip, sleep, startEcho, startSender, tryConnect, type TcpServer } from '../toxiproxy/support.js';

/**
 * Fault steps of every layer played from a timeline against real parts: bytes delayed and cut by
 * the embedded proxy, a real simulator's behaviour changed and restored exactly, a real child
 * process killed and started again.
 */
let chaos: ChaosControl;
let echo: TcpServer;
let sender: TcpServer;
let sim: StartedSimulator;
let echoPort: number;
let senderPort: number;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  echo = await startEcho();
  sender = await startSender(Buffer.alloc(10_000, 7));
  chaos = await startChaosControl({ env: {} });
  echoPort = portOf((await chaos.ensureProxy({ name: 'psp', upstream: echo.address })).listen);
  senderPort = portOf((await chaos.ensureProxy({ name: 'body', upstream: sender.address })).listen);
  // A profile of its own, so "restored exactly" cannot pass by restoring the defaults.
  sim = await startSimulator('stripe', { seed: 7, profile: { latency: { kind: 'fixed', value: 1 }, webhooks: { duplicate: 0.1 }, outcomes: { card_declined: 0.05 } } });
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await sim?.close();
  await chaos?.close();
  await sender?.close();
  await echo?.close();
});

function context(processes: Record<string, ProcessHandle> = {}): FaultContext {
  return {
    clock: systemClock,
    signal: new AbortController().signal,
    network: chaos,
    provider: (t) => (t === 'stripe' ? { behaviourUrl: `${sim.url}/__sim/behaviour` } : undefined),
    client: new TrafficOverrides(),
    process: (t) => processes[t],
  };
}

function recorder() {
  const starts: Array<[string, number]> = [];
  const ends: Array<[string, number, unknown]> = [];
  const observed = new Map<string, Readonly<Record<string, number>> | undefined>();
  return {
    starts,
    ends,
    observed,
    hooks: {
      onStart: (s: TimelineStep, at: number) => void starts.push([s.id, at]),
      onEnd: (s: TimelineStep, at: number, err?: unknown, seen?: Readonly<Record<string, number>>) => {
        observed.set(s.id, seen);
        ends.push([s.id, at, err]);
      },
    },
  };
}

const until = async (what: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(5);
  }
};

describe('network steps through the control plane', () => {
  it('latency delays real bytes while the step lasts (100 ms, -1/+150 ms) and not after stop()', async () => {
    const socket = await connectTo(echoPort);
    const { starts, ends, hooks } = recorder();
    const playing = await playTimeline(parseTimeline([{ id: 'slow', at: 0, target: 'psp', type: 'latency', latencyMs: 100 }]), context(), hooks);
    await until(() => starts.length === 1 && playing.active().length === 1);
    await sleep(50); // the toxic is added once apply resolves; active() counts a step being applied
    const slow = await roundTrip(socket);
    expect(slow).toBeGreaterThanOrEqual(99);
    expect(slow).toBeLessThan(250);
    await playing.stop();
    expect(ends.map((e) => e[0])).toEqual(['slow']);
    expect(await roundTrip(socket)).toBeLessThan(80);
    socket.destroy();
  });

  it('down refuses connections for its `for`, then the proxy is back', async () => {
    const { ends, hooks } = recorder();
    const playing = await playTimeline(parseTimeline([{ id: 'outage', at: 0, for: '300ms', target: 'psp', type: 'down' }]), context(), hooks);
    await sleep(100);
    expect(await tryConnect(echoPort)).toBe('ECONNREFUSED');
    await until(() => ends.length === 1);
    expect(await tryConnect(echoPort)).toBe('connected');
    // It ended at its planned time (300 ms), give or take a loaded machine.
    expect(ends[0]![1]).toBeGreaterThanOrEqual(299);
    expect(ends[0]![1]).toBeLessThan(1000);
    await playing.stop();
  });

  it('limit_data cuts a body after `bytes`, and stop() leaves no toxic behind', async () => {
    const playing = await playTimeline(parseTimeline([{ at: 0, target: 'body', type: 'limit_data', bytes: 1000 }]), context());
    await until(() => playing.active().length === 1);
    await sleep(50);
    const cut = await readAll(await connectTo(senderPort));
    expect(cut.data.length).toBe(1000);
    await playing.stop();
    expect((await chaos.api.listToxics((await chaos.api.findProxy('body'))!)).map((t) => t.name)).toEqual([]);
    expect((await readAll(await connectTo(senderPort))).data.length).toBe(10_000);
  });

  it('a step on a proxy that does not exist is refused before anything runs', async () => {
    const err = await playTimeline(parseTimeline([{ at: 0, target: 'nope', type: 'down' }]), context()).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET')).toBe(true);
    expect((err as Error).message).toContain('timeline[0].target: no proxy named "nope"');
  });
});

describe('provider steps against a real simulator', () => {
  const profile = async () => ((await (await fetch(`${sim.url}/__sim/behaviour`)).json()) as { profile: Record<string, unknown> }).profile;
  const charge = () => fetch(`${sim.url}/v1/payment_intents`, { method: 'POST', headers: { authorization: 'Bearer sk_test_paychaos', 'content-type': 'application/x-www-form-urlencoded' }, body: 'amount=1000&currency=eur&payment_method=pm_card_visa&confirm=true' });

  it('layers overlapping steps over the current profile, real requests meet them, and the end restores the profile exactly', async () => {
    const before = await profile();
    const ok = await charge();
    expect(ok.status).toBeLessThan(500);
    const { ends, hooks } = recorder();
    const playing = await playTimeline(
      parseTimeline([
        { id: 'hooks', at: 0, target: 'stripe', type: 'webhook', drop: 0.5 },
        { id: 'window', at: 0, target: 'stripe', type: 'maintenance' },
      ]),
      context(),
      hooks,
    );
    await until(() => playing.active().length === 2);
    await sleep(100);
    const during = await profile();
    expect(during).toMatchObject({ maintenance: { after: 0 }, latency: before.latency, outcomes: before.outcomes, webhooks: { ...(before.webhooks as object), drop: 0.5 } });
    expect((await charge()).status).toBe(503);
    await playing.stop();
    expect(ends.map((e) => [e[0], e[2]])).toEqual(expect.arrayContaining([['hooks', undefined], ['window', undefined]]));
    expect(await profile()).toEqual(before);
    expect((await charge()).status).toBeLessThan(500);
  });

  it('ends one of two overlapping steps without dropping the other', async () => {
    const before = await profile();
    const { ends, hooks } = recorder();
    const playing = await playTimeline(
      parseTimeline([
        { id: 'short', at: 0, for: '200ms', target: 'stripe', type: 'provider-errors', rate: 1, status: 502 },
        { id: 'long', at: '50ms', target: 'stripe', type: 'rate-limit', perSecond: 1000, retryAfter: '3s' },
      ]),
      context(),
      hooks,
    );
    await until(() => ends.length === 1);
    const after = await profile();
    expect(after.serverErrors).toBeUndefined();
    expect(after.rateLimit).toEqual({ perSecond: 1000, retryAfter: 3000 });
    await playing.stop();
    expect(await profile()).toEqual(before);
  });

  it('reports what each step made the simulator do while it was on: charges committed then answered 500 counted, 0 for a step that met no request, nothing for a step that cannot tell', async () => {
    const { ends, observed, hooks } = recorder();
    const idle = await playTimeline(parseTimeline([{ id: 'idle', at: 0, for: '100ms', target: 'stripe', type: 'charged-then-error' }]), context(), hooks);
    await until(() => ends.length === 1);
    await idle.stop();
    expect(observed.get('idle')).toEqual({ commitThenError: 0 });
    const playing = await playTimeline(
      parseTimeline([
        { id: 'lies', at: 0, target: 'stripe', type: 'charged-then-error', rate: 1 },
        { id: 'hooks', at: 0, target: 'stripe', type: 'webhook', delay: '1ms' },
      ]),
      context(),
      hooks,
    );
    await until(() => playing.active().length === 2);
    await sleep(100);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await charge()).status);
    expect(statuses).toEqual([500, 500, 500]);
    await playing.stop();
    // The same simulator answers a charge after the step: not counted against it.
    expect((await charge()).status).toBeLessThan(500);
    expect(observed.get('lies')).toEqual({ commitThenError: 3 });
    expect(observed.has('hooks')).toBe(true);
    expect(observed.get('hooks')).toBeUndefined();
  });

  it('a behaviour the simulator refuses is reported as PAYCHAOS_ERR_CHAOS_BAD_FAULT naming the field, and changes nothing', async () => {
    const before = await profile();
    const { ends, hooks } = recorder();
    const playing = await playTimeline(parseTimeline([{ id: 'odd', at: 0, target: 'stripe', type: 'behaviour', profile: { outcomes: { martian_decline: 1 } } }]), context(), hooks);
    await until(() => ends.length === 1);
    expect(isPaychaosError(ends[0]![2], 'PAYCHAOS_ERR_CHAOS_BAD_FAULT')).toBe(true);
    expect((ends[0]![2] as Error).message).toContain('profile.outcomes.martian_decline');
    expect(await profile()).toEqual(before);
    await playing.stop();
  });

  it('a simulator that does not run is refused before anything runs', async () => {
    const err = await playTimeline(parseTimeline([{ at: 0, target: 'adyen', type: 'maintenance' }]), context()).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET')).toBe(true);
  });
});

/** A tiny HTTP server as its own process, on a port fixed up front so a restart answers where it did. */
function childServer(port: number): ProcessHandle & { start(): Promise<void> } {
  let child: ChildProcess | undefined;
  const start = async () => {
    const script = `require('node:http').createServer((q, s) => s.end(String(process.pid))).listen(${port}, '127.0.0.1', () => console.log('ready'))`;
    child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    const c = child;
    c.once('exit', () => children.delete(c));
    await once(child.stdout!, 'data');
  };
  return {
    start,
    restart: start,
    async kill(signal = 'SIGKILL') {
      const c = child!;
      const exited = once(c, 'exit');
      c.kill(signal);
      await exited;
    },
  };
}

/** The pid the server answers with, once it answers. */
async function answer(port: number, ms = 5000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await (await fetch(`http://127.0.0.1:${port}/`)).text();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(20);
    }
  }
}

describe('the settlement-discrepancy step against a real simulator', () => {
  it('misreports in the settlement file the payments made while it was on, and only those, after it ended', async () => {
    // A charge that succeeded (this simulator declines 5% by its profile: try again, a new intent each time).
    const charge = async (): Promise<string> => {
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${sim.url}/v1/payment_intents`, { method: 'POST', headers: { authorization: 'Bearer sk_test_paychaos', 'content-type': 'application/x-www-form-urlencoded' }, body: 'amount=1000&currency=eur&payment_method=pm_card_visa&confirm=true' });
        const body = (await res.json()) as { id?: string; status?: string };
        if (body.status === 'succeeded') return body.id!;
      }
      throw new Error('no charge succeeded in 20 attempts');
    };
    const before = ((await (await fetch(`${sim.url}/__sim/behaviour`)).json()) as { profile: unknown }).profile;
    const playing = await playTimeline(parseTimeline([{ id: 'stl', at: 0, target: 'stripe', type: 'settlement-discrepancy', missingLine: 1 }]), context());
    await until(() => playing.active().length === 1);
    await sleep(50);
    const during = await charge();
    await playing.stop();
    expect(((await (await fetch(`${sim.url}/__sim/behaviour`)).json()) as { profile: unknown }).profile).toEqual(before);
    const after = await charge();
    const report = await (await fetch(`${sim.url}/__sim/settlement.csv?version=2&asOf=2100-01-01T00:00:00Z`)).text();
    expect(report).not.toContain(`,${during},`);
    expect(report).toContain(`,${after},`);
    // Version 1 (the ledger as listed) is not misreported.
    expect(await (await fetch(`${sim.url}/__sim/settlement.csv`)).text()).toContain(`,${during},`);
  });
});

describe('process steps against a real child process', () => {
  it('kill -9 takes it down, restartAfter brings it back on the same port, as a new process', async () => {
    const port = await freePort();
    const target = childServer(port);
    await target.start();
    const firstPid = await answer(port);
    const { starts, hooks } = recorder();
    const playing = await playTimeline(parseTimeline([{ id: 'crash', at: 0, target: 'gateway', type: 'kill', restartAfter: '400ms' }]), context({ gateway: target }), hooks);
    await until(() => starts.length === 1);
    await sleep(100);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    const secondPid = await answer(port);
    expect(secondPid).not.toBe(firstPid);
    // Already restarted: stop() does not start a second copy.
    await playing.stop();
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe(secondPid);
    await target.kill();
  });

  it('a process killed without restartAfter is started again when the timeline stops', async () => {
    const port = await freePort();
    const target = childServer(port);
    await target.start();
    const playing = await playTimeline(parseTimeline([{ at: 0, target: 'sim', type: 'kill', signal: 'SIGTERM' }]), context({ sim: target }));
    await until(() => playing.active().length === 1);
    await sleep(200);
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    await playing.stop();
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    await target.kill();
  });
});

describe('the timeline on the real clock', () => {
  it('fires each step at its `at` (−1/+200 ms on a loaded machine)', async () => {
    const { starts, hooks } = recorder();
    const ctx = context();
    const playing = await playTimeline(
      parseTimeline([
        { id: 'a', at: '100ms', for: '200ms', target: 'shoppers', type: 'double-click', share: 0.2 },
        { id: 'b', at: '300ms', target: 'baseline', type: 'abandon-resume', share: 0.2 },
      ]),
      ctx,
      hooks,
    );
    await until(() => starts.length === 2);
    const at = Object.fromEntries(starts);
    expect(at.a).toBeGreaterThanOrEqual(99);
    expect(at.a).toBeLessThan(300);
    expect(at.b).toBeGreaterThanOrEqual(299);
    expect(at.b).toBeLessThan(500);
    await playing.stop();
    expect(ctx.client.size).toBe(0);
  });
});
