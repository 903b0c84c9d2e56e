import { describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { constantSchedule, rampingSchedule, runArrivals } from '../../../src/load/index.js';

/** A virtual clock: sleeping advances time instantly, so schedules are checked exactly. */
function fakeClock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

/** Iterations per stage, a stage being (previous end, end]. */
function perStage(times: number[], ends: number[]): number[] {
  return ends.map((end, k) => times.filter((t) => t > (k === 0 ? -1 : ends[k - 1]! + 1e-6) && t <= end + 1e-6).length);
}

describe('arrival schedules', () => {
  it('spaces a constant rate evenly and releases exactly rate × duration', () => {
    const s = constantSchedule(200, 3000);
    expect(s.total).toBe(600);
    expect(s.at(0)).toBe(0);
    expect(s.at(1)).toBeCloseTo(5, 9);
    expect(s.at(599)).toBeCloseTo(2995, 6);
  });

  it('ramps linearly within a stage, as k6 ramping-arrival-rate does', () => {
    // 0 → 100/s over 1 s, hold 100/s for 1 s, 100 → 0 over 1 s: 50 + 100 + 50 iterations.
    const s = rampingSchedule(0, [
      { target: 100, durationMs: 1000 },
      { target: 100, durationMs: 1000 },
      { target: 0, durationMs: 1000 },
    ]);
    expect(s.total).toBe(200);
    const times = Array.from({ length: s.total }, (_, i) => s.at(i));
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    // k6 starts iteration n when the area under the rate reaches n (its `cal` counts from 1), so a
    // stage holds the iterations its area completes, the last one at its very end: (start, end].
    expect(perStage(times, [1000, 2000, 3000])).toEqual([50, 100, 50]);
    expect(times[0]).toBeCloseTo(Math.sqrt(2 / 100) * 1000, 6); // ∫0..t 100t dt = 1 → t = √(1/50) s
    expect(times[49]).toBeCloseTo(1000, 6);
    expect(times[199]).toBeCloseTo(3000, 3);
    // Within the ramp the count grows as t²: ∫0..0.5 of 100t dt = 12.5 → iterations 1..12.
    expect(times.filter((t) => t < 500).length).toBe(12);
    expect(s.rateAt(500)).toBeCloseTo(50, 9);
    expect(s.rateAt(1500)).toBeCloseTo(100, 9);
  });

  it('follows k6 on a ramp with a start rate: 2/s then up to 3/s (k6 cal\'s own example)', () => {
    // k6's comment: 2/s for 5 s is 10 events (the 1st at 0.5 s); then 2 → 3/s over 5 s adds 12.5.
    const s = rampingSchedule(2, [
      { target: 2, durationMs: 5000 },
      { target: 3, durationMs: 5000 },
    ]);
    expect(s.total).toBe(22);
    expect(s.at(0)).toBeCloseTo(500, 6);
    expect(s.at(9)).toBeCloseTo(5000, 6);
    // The 12th event is when the area past 5 s is 2: 2τ + τ²/10 = 2 → τ = -10 + √120.
    expect(s.at(11)).toBeCloseTo(5000 + (-10 + Math.sqrt(120)) * 1000, 3);
  });

  it('starts a constant rate at once, as k6 constant-arrival-rate does', () => {
    const s = constantSchedule(4, 1000);
    expect([0, 1, 2, 3].map((i) => s.at(i))).toEqual([0, 250, 500, 750]);
  });

  it('honours timeUnit: 30 per minute is one every 2 s', () => {
    const s = constantSchedule(30, 10_000, 60_000);
    expect(s.total).toBe(5);
    expect(s.at(1)).toBeCloseTo(2000, 6);
  });

  it('shapes a Singles-Day spike: the midnight stage carries most of the iterations', () => {
    const s = rampingSchedule(10, [
      { target: 10, durationMs: 2000 },
      { target: 400, durationMs: 500 }, // the ramp at midnight
      { target: 400, durationMs: 2000 },
      { target: 20, durationMs: 2000 },
    ]);
    const times = Array.from({ length: s.total }, (_, i) => s.at(i));
    const peak = times.filter((t) => t >= 2500 && t < 4500).length;
    expect(peak).toBe(800);
    // 20 before midnight, 102.5 on the ramp, 800 at the peak, 420 on the decay.
    expect(s.total).toBe(1342);
  });

  it('rejects a bad schedule naming every field at fault', () => {
    try {
      rampingSchedule(-1, [{ target: -5, durationMs: 0 }], 0);
      expect.unreachable();
    } catch (err) {
      expect(isPaychaosError(err, 'PAYCHAOS_ERR_LOAD_BAD_PROFILE')).toBe(true);
      for (const field of ['startRate', 'timeUnit', 'stages[0].target', 'stages[0].duration']) expect((err as Error).message).toContain(field);
    }
  });
});

describe('executor on a fake clock', () => {
  it('achieves the stage shape exactly and hands each iteration its scheduled time', async () => {
    const clock = fakeClock();
    const s = rampingSchedule(0, [
      { target: 1000, durationMs: 1000 },
      { target: 1000, durationMs: 1000 },
    ]);
    const scheduled: number[] = [];
    const stats = await runArrivals(s, { maxInFlight: 10_000, ...clock }, async (i, at) => void scheduled.push(at - s.at(i)));
    expect(stats).toMatchObject({ scheduled: 1500, started: 1500, dropped: 0 });
    expect(scheduled.every((d) => d === 0)).toBe(true); // start was t=0, so at === schedule.at(i)
  });

  it('drops what is due beyond the cap instead of queueing it, and waits for what runs', async () => {
    const clock = fakeClock();
    const release: Array<() => void> = [];
    // Iterations hang until released: only the first 5 can start; the other 95 are dropped.
    const run = runArrivals(constantSchedule(100, 1000), { maxInFlight: 5, ...clock }, () => new Promise<void>((r) => release.push(r)));
    await new Promise((r) => setTimeout(r, 50));
    expect(release).toHaveLength(5);
    for (const r of release) r();
    expect(await run).toMatchObject({ scheduled: 100, started: 5, dropped: 95, maxInFlightSeen: 5 });
  });
});
