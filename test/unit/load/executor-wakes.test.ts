import { describe, expect, it } from 'vitest';
import { constantSchedule, runArrivals } from '../../../src/load/index.js';

/**
 * A virtual clock whose sleep behaves like Node's timers: nothing shorter than 1 ms. The driver
 * must then wake about once per millisecond and release every iteration due by then.
 */
function nodeLikeClock() {
  let t = 0;
  let wakes = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      wakes++;
      t += Math.max(1, ms);
    },
    wakes: () => wakes,
  };
}

describe('the driver waits on timers, never on a poll', () => {
  it('at 4,000/s wakes about 1,000 times a second and releases ~4 per wake, each at most 1 ms late', async () => {
    const clock = nodeLikeClock();
    const s = constantSchedule(4000, 1000);
    const lateness: number[] = [];
    const scheduledAt: number[] = [];
    const stats = await runArrivals(s, { maxInFlight: 10_000, now: clock.now, sleep: clock.sleep }, async (i, at) => {
      lateness.push(clock.now() - at);
      scheduledAt.push(at - s.at(i));
    });
    expect(stats).toMatchObject({ scheduled: 4000, started: 4000, dropped: 0 });
    // One wake per millisecond of schedule (±1 for the edges), not one per arrival.
    expect(clock.wakes()).toBeGreaterThanOrEqual(999);
    expect(clock.wakes()).toBeLessThanOrEqual(1001);
    // Released on schedule: never early, never more than one timer tick late.
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...lateness)).toBeLessThanOrEqual(1);
    // Each iteration is still handed its own scheduled time (no coordinated omission).
    expect(scheduledAt.every((d) => d === 0)).toBe(true);
  });

  it('asks its sleep for the real gap, so a low rate sleeps once per arrival', async () => {
    const clock = nodeLikeClock();
    const asked: number[] = [];
    const sleep = async (ms: number) => {
      asked.push(ms);
      await clock.sleep(ms);
    };
    const stats = await runArrivals(constantSchedule(10, 1000), { maxInFlight: 10, now: clock.now, sleep }, async () => {});
    expect(stats.started).toBe(10);
    expect(asked).toHaveLength(9);
    expect(asked.every((ms) => Math.abs(ms - 100) < 1e-9)).toBe(true);
  });

  it('refills a slot freed by an answer at the next wake', async () => {
    const clock = nodeLikeClock();
    const pending: Array<() => void> = [];
    // 1 slot, 1,000/s: iteration 0 holds the slot until it is answered during the first wake.
    const sleep = async (ms: number) => {
      for (const r of pending.splice(0)) r();
      await new Promise((r) => setImmediate(r)); // let the answered iteration leave its slot
      await clock.sleep(ms);
    };
    const run = runArrivals(constantSchedule(1000, 10), { maxInFlight: 1, now: clock.now, sleep }, () => new Promise<void>((r) => pending.push(r)));
    // The last iteration is answered after the schedule ends.
    const drain = setInterval(() => pending.splice(0).forEach((r) => r()), 1);
    const stats = await run.finally(() => clearInterval(drain));
    // Every arrival found the slot free again: answers between wakes are not lost slots.
    expect(stats).toMatchObject({ scheduled: 10, started: 10, dropped: 0 });
  });
});

describe('handing over to what follows', () => {
  it('calls onScheduled at the schedule end, not at its last release, before awaiting what runs', async () => {
    const clock = nodeLikeClock();
    let handedAt: number | undefined;
    let running = 0;
    const release: Array<() => void> = [];
    const run = runArrivals(constantSchedule(40, 1000), { maxInFlight: 100, now: clock.now, sleep: clock.sleep, onScheduled: () => (handedAt = clock.now()) }, () => {
      running++;
      return new Promise<void>((r) => release.push(r));
    });
    await new Promise((r) => setTimeout(r, 20));
    // The last of 40 arrivals is released at 975 ms; the hand-over waits for 1,000 ms, and
    // happens while all 40 still run.
    expect(handedAt).toBe(1000);
    expect(running).toBe(40);
    release.forEach((r) => r());
    expect((await run).started).toBe(40);
  });
});
