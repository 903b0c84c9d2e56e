import { describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { constantSchedule, rampingSchedule, runArrivals } from '../../../src/load/index.js';

/** A virtual clock: sleeping advances time instantly, so schedules are checked exactly. */
function fakeClock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

function countPerSecond(times: number[], seconds: number): number[] {
  const out = new Array<number>(seconds).fill(0);
  for (const t of times) out[Math.min(seconds - 1, Math.floor(t / 1000))]!++;
  return out;
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
    expect(countPerSecond(times, 3)).toEqual([50, 100, 50]);
    // Within the ramp the count grows as t²: a quarter of the first stage's iterations by t = 0.5 s.
    expect(times.filter((t) => t < 500).length).toBe(13); // ∫0..0.5 of 100t dt = 12.5 → iterations 0..12
    expect(s.rateAt(500)).toBeCloseTo(50, 9);
    expect(s.rateAt(1500)).toBeCloseTo(100, 9);
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
