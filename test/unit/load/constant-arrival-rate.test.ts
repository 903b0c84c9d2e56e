import { describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { constantSchedule, pickWeighted, runArrivals, runConstantArrivalRate, seededRng } from '../../../src/load/index.js';

describe('constant arrival rate', () => {
  it('schedules rate × duration iterations at evenly spaced times, whatever each one takes', async () => {
    const scheduled: number[] = [];
    const stats = await runConstantArrivalRate({ rate: 100, durationMs: 300, maxInFlight: 100 }, async (_i, at) => {
      scheduled.push(at);
      await new Promise((r) => setTimeout(r, 50)); // slower than the 10 ms interval: open model keeps arriving
    });
    expect(stats.scheduled).toBe(30);
    expect(stats.started).toBe(30);
    expect(stats.dropped).toBe(0);
    expect(stats.maxInFlightSeen).toBeGreaterThan(1);
    const gaps = scheduled.slice(1).map((t, i) => t - scheduled[i]!);
    for (const gap of gaps) expect(gap).toBeCloseTo(10, 6);
  });

  it('counts iterations due beyond the concurrency cap as dropped instead of sending them late', async () => {
    const stats = await runConstantArrivalRate({ rate: 200, durationMs: 200, maxInFlight: 2 }, () => new Promise((r) => setTimeout(r, 100)));
    expect(stats.scheduled).toBe(40);
    expect(stats.dropped).toBeGreaterThan(20);
    expect(stats.started + stats.dropped).toBe(stats.scheduled);
    expect(stats.maxInFlightSeen).toBe(2);
  });

  it('reports the real scheduling window when the driver released arrivals late, so the achieved rate drops', async () => {
    // Fake clock: timers fire on time, except one stall of 600 ms near the end (a blocked loop).
    let t = 0;
    let stalled = false;
    const sleep = async (ms: number): Promise<void> => {
      t += ms;
      if (t > 900 && !stalled) {
        stalled = true;
        t += 600;
      }
    };
    const late = await runArrivals(constantSchedule(100, 1000), { maxInFlight: 100, now: () => t, sleep }, async () => {});
    expect(late.started).toBe(100);
    expect(late.elapsedMs).toBeGreaterThanOrEqual(1500);
    expect(late.started / (late.elapsedMs / 1000)).toBeLessThan(70);

    t = 0;
    const onTime = await runArrivals(constantSchedule(100, 1000), { maxInFlight: 100, now: () => t, sleep: async (ms) => void (t += ms) }, async () => {});
    expect(onTime.started).toBe(100);
    expect(onTime.elapsedMs).toBe(1000);
  });

  it('stops scheduling when aborted and waits for what is in flight', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    let finished = 0;
    const stats = await runConstantArrivalRate({ rate: 100, durationMs: 10_000, maxInFlight: 50, signal: ac.signal }, async () => {
      await new Promise((r) => setTimeout(r, 20));
      finished++;
    });
    expect(stats.scheduled).toBeLessThan(30);
    expect(finished).toBe(stats.started);
    expect(stats.elapsedMs).toBeLessThan(1000);
  });

  it('rejects an invalid profile with every problem named at once', async () => {
    await expect(runConstantArrivalRate({ rate: -5, durationMs: 0, maxInFlight: 0 }, async () => {})).rejects.toSatisfy((err: unknown) => {
      expect(isPaychaosError(err, 'PAYCHAOS_ERR_LOAD_BAD_PROFILE')).toBe(true);
      const message = (err as Error).message;
      return message.includes('rate') && message.includes('durationMs') && message.includes('maxInFlight');
    });
  });
});

describe('seeded randomness', () => {
  it('replays the same draws for the same seed', () => {
    const a = seededRng(42);
    const b = seededRng(42);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
  });

  it('picks weighted choices in proportion', () => {
    const rng = seededRng(1);
    let a = 0;
    for (let i = 0; i < 10_000; i++) if (pickWeighted([['a', 3], ['b', 1]] as const, rng()) === 'a') a++;
    expect(a / 10_000).toBeCloseTo(0.75, 1);
  });
});
