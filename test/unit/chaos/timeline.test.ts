import { describe, expect, it } from 'vitest';
import { ManualClock, isPaychaosError, type PaychaosError } from '../../../src/kernel/index.js';
import { checkTimeline, parseTimeline, playTimeline, type ChaosControl, type FaultContext, type ProcessHandle, type TimelineStep } from '../../../src/chaos/index.js';
import { TrafficOverrides } from '../../../src/load/index.js';

/** A child process stand-in that records what was done to it, on the test's clock. */
function fakeProcess(clock: ManualClock, log: string[], fail: { kill?: boolean; restart?: boolean } = {}): ProcessHandle {
  return {
    async kill(signal) {
      log.push(`kill ${signal} @${clock.now() - T0}`);
      if (fail.kill) throw new Error('kill refused');
    },
    async restart() {
      log.push(`restart @${clock.now() - T0}`);
      if (fail.restart) throw new Error('would not start');
    },
  };
}

const T0 = Date.UTC(2026, 10, 11);
const flush = () => new Promise<void>((r) => setImmediate(r));

function context(processes: Record<string, ProcessHandle> = {}, clock = new ManualClock(T0)) {
  const abort = new AbortController();
  const ctx: FaultContext = {
    clock,
    signal: abort.signal,
    // These tests play client and process steps only: the network is never reached.
    network: {} as ChaosControl,
    provider: () => undefined,
    client: new TrafficOverrides(),
    process: (t) => processes[t],
  };
  return { ctx, clock, abort };
}

function recorder() {
  const events: string[] = [];
  return {
    events,
    hooks: {
      onStart: (s: TimelineStep, at: number) => events.push(`start ${s.id} @${at}`),
      onEnd: (s: TimelineStep, at: number, err?: unknown) => events.push(`end ${s.id} @${at}${err ? ` error: ${(err as Error).message}` : ''}`),
    },
  };
}

describe('parseTimeline', () => {
  it('reads k6-style durations and numbers of seconds, names unnamed steps, and freezes the result', () => {
    const steps = parseTimeline([
      { at: '10s', for: '1m30s', target: 'stripe', type: 'latency', latencyMs: 300 },
      { id: 'crash', at: 45, target: 'baseline', type: 'kill', restartAfter: '5s' },
    ]);
    expect(steps.map(({ index, id, type, layer, target, atMs, forMs }) => ({ index, id, type, layer, target, atMs, forMs }))).toEqual([
      { index: 0, id: 'latency-0', type: 'latency', layer: 'network', target: 'stripe', atMs: 10_000, forMs: 90_000 },
      { index: 1, id: 'crash', type: 'kill', layer: 'process', target: 'baseline', atMs: 45_000, forMs: undefined },
    ]);
    expect(Object.isFrozen(steps)).toBe(true);
    expect(Object.isFrozen(steps[0]!.params)).toBe(true);
  });

  it('reports every problem at once, each with its path, as PAYCHAOS_ERR_CHAOS_BAD_TIMELINE', () => {
    let err: unknown;
    try {
      parseTimeline([
        { at: 'soon', target: 'stripe', type: 'down' },
        { at: '1s', for: '0s', target: 'stripe', type: 'down' },
        { at: '1s', target: 'stripe', type: 'blackhole' },
        { id: 'x', at: '1s', target: '', type: 'maintenance' },
        { id: 'x', at: '2s', target: 'stripe', type: 'maintenance' },
      ]);
    } catch (e) {
      err = e;
    }
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_CHAOS_BAD_TIMELINE')).toBe(true);
    expect((err as PaychaosError).details.fields).toEqual(['timeline[0].at', 'timeline[1].for', 'timeline[2].type', 'timeline[3].target']);
    // A duplicate id is a whole-list check: it runs once every step is valid on its own.
    expect(() => parseTimeline([{ id: 'x', at: 1, target: 's', type: 'down' }, { id: 'x', at: 2, target: 's', type: 'down' }])).toThrow(/timeline\[1\]\.id: "x" is the id of step 0 too/);
  });

  it('refuses what is not a list, under the given path', () => {
    expect(() => parseTimeline({ at: '1s' }, ['scenario', 'timeline'])).toThrow(/scenario\.timeline: /);
  });
});

describe('checkTimeline', () => {
  it('refuses, before anything runs, a kill of something that is not a child process and a client step not aimed at shoppers', async () => {
    const { ctx } = context({ baseline: fakeProcess(new ManualClock(), []) });
    const steps = parseTimeline([
      { at: 0, target: 'baseline', type: 'kill' },
      { at: 0, target: 'canary', type: 'kill' },
      { at: 0, target: 'everyone', type: 'double-click', share: 0.5 },
      { at: 0, target: 'stripe', type: 'maintenance' },
    ]);
    const err = await checkTimeline(steps, ctx).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET')).toBe(true);
    expect((err as PaychaosError).details.fields).toEqual(['timeline[1].target', 'timeline[2].target', 'timeline[3].target']);
    expect((err as Error).message).toContain('"canary" is not a child process of this stack');
    // playTimeline checks first: nothing was killed.
    const log: string[] = [];
    const played = await playTimeline(parseTimeline([{ at: 0, target: 'nobody', type: 'kill' }]), context({ baseline: fakeProcess(new ManualClock(), log) }).ctx).catch((e: unknown) => e);
    expect(isPaychaosError(played, 'PAYCHAOS_ERR_CHAOS_UNKNOWN_TARGET')).toBe(true);
    expect(log).toEqual([]);
  });
});

describe('playTimeline', () => {
  it('applies each step at `at` and undoes it at `at + for` on the injected clock', async () => {
    const log: string[] = [];
    const { ctx, clock } = context();
    Object.assign(ctx, { process: () => fakeProcess(clock, log) });
    const { events, hooks } = recorder();
    const playing = await playTimeline(
      parseTimeline([
        { id: 'clicks', at: '10s', for: '20s', target: 'shoppers', type: 'double-click', share: 0.5 },
        { id: 'crash', at: '5s', target: 'gw', type: 'kill', restartAfter: '3s' },
      ]),
      ctx,
      hooks,
    );
    clock.advance(5_000);
    await flush();
    expect(log).toEqual(['kill SIGKILL @5000']);
    clock.advance(3_000);
    await flush();
    expect(log).toEqual(['kill SIGKILL @5000', 'restart @8000']);
    clock.advance(2_000);
    await flush();
    expect(ctx.client.size).toBe(1);
    expect(playing.active().map((s) => s.id)).toEqual(['crash', 'clicks']);
    clock.advance(19_999);
    await flush();
    expect(ctx.client.size).toBe(1);
    clock.advance(1);
    await flush();
    expect(ctx.client.size).toBe(0);
    expect(events).toEqual(['start crash @5000', 'start clicks @10000', 'end clicks @30000']);
    // The kill has no `for`: it ends when the timeline stops; its process was restarted already, so not again.
    await playing.stop();
    expect(events.at(-1)).toBe('end crash @30000');
    expect(log).toEqual(['kill SIGKILL @5000', 'restart @8000']);
  });

  it('reports a step whose apply fails, goes on with the others, and stop() undoes everything in effect', async () => {
    const log: string[] = [];
    const clock = new ManualClock(T0);
    const { ctx } = context({ gw: fakeProcess(clock, log, { kill: true }), sim: fakeProcess(clock, log) }, clock);
    const { events, hooks } = recorder();
    const playing = await playTimeline(
      parseTimeline([
        { id: 'bad-kill', at: '1s', target: 'gw', type: 'kill' },
        { id: 'storm', at: '2s', target: 'shoppers', type: 'retry-storm', share: 0.4 },
        { id: 'sim-down', at: '3s', target: 'sim', type: 'kill', signal: 'SIGTERM' },
        { id: 'later', at: '1h', target: 'shoppers', type: 'abandon-resume', share: 0.1 },
      ]),
      ctx,
      hooks,
    );
    for (let s = 0; s < 3; s++) {
      clock.advance(1_000);
      await flush();
    }
    expect(events).toEqual(['start bad-kill @1000', 'end bad-kill @1000 error: kill refused', 'start storm @2000', 'start sim-down @3000']);
    expect(ctx.client.size).toBe(1);
    await playing.stop();
    await playing.stop(); // idempotent
    expect(ctx.client.size).toBe(0);
    expect(log).toEqual(['kill SIGKILL @1000', 'kill SIGTERM @3000', 'restart @3000']);
    expect(events.slice(4).sort()).toEqual(['end sim-down @3000', 'end storm @3000']);
    // What had not started never will.
    clock.advance(3_600_000);
    await flush();
    expect(ctx.client.size).toBe(0);
    expect(events).toHaveLength(6);
  });

  it('waits for an apply still under way before undoing it, so nothing applied late is left behind', async () => {
    const log: string[] = [];
    const clock = new ManualClock(T0);
    let release!: () => void;
    const slow: ProcessHandle = {
      kill: () => new Promise<void>((r) => (release = () => (log.push('killed'), r()))),
      restart: async () => void log.push('restarted'),
    };
    const { ctx, abort } = context({ gw: slow }, clock);
    await playTimeline(parseTimeline([{ at: 0, target: 'gw', type: 'kill' }]), ctx);
    clock.advance(0);
    await flush();
    abort.abort(); // SIGINT: the context's signal stops the timeline
    await flush();
    expect(log).toEqual([]);
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toEqual(['killed', 'restarted']);
  });

  it('tries every undo and rejects stop() with PAYCHAOS_ERR_CHAOS_TEARDOWN_FAILED naming the ones that failed', async () => {
    const log: string[] = [];
    const clock = new ManualClock(T0);
    const { ctx } = context({ gw: fakeProcess(clock, log, { restart: true }) }, clock);
    const { events, hooks } = recorder();
    const playing = await playTimeline(
      parseTimeline([
        { id: 'crash', at: 0, target: 'gw', type: 'kill' },
        { id: 'dup', at: 0, target: 'canary', type: 'duplicate-submit', share: 1, key: 'new' },
      ]),
      ctx,
      hooks,
    );
    clock.advance(0);
    await flush();
    const err = await playing.stop().catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_CHAOS_TEARDOWN_FAILED')).toBe(true);
    expect((err as PaychaosError).details.failures).toEqual(['crash: would not start']);
    expect(ctx.client.size).toBe(0);
    expect(events).toContain('end crash @0 error: would not start');
  });
});
