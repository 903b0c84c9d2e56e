import { describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { runRampingArrivalRate } from '../../../src/load/index.js';

/** A manual clock: sleeping advances time at once, so what the driver releases is checked exactly. */
function manualClock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

async function released(options: Parameters<typeof runRampingArrivalRate>[0]): Promise<{ times: number[]; stats: Awaited<ReturnType<typeof runRampingArrivalRate>> }> {
  const times: number[] = [];
  const stats = await runRampingArrivalRate(options, async (_i, scheduledAt) => void times.push(scheduledAt));
  return { times, stats };
}

/** Arrivals per stage, each stage being (previous end, end]. */
function perStage(times: number[], durations: number[]): number[] {
  let end = 0;
  return durations.map((d) => {
    const from = end;
    end += d;
    return times.filter((t) => (from === 0 ? t >= 0 : t > from + 1e-6) && t <= end + 1e-6).length;
  });
}

describe('the built-in ramping-arrival-rate driver (k6 stages, manual clock)', () => {
  it('releases the integral of each stage: a Singles-Day midnight spike', async () => {
    const stages = [
      { target: 20, durationMs: 10_000 }, // 0 → 20/s warm-up: 100
      { target: 300, durationMs: 2_000 }, // midnight: 20 → 300/s: 320
      { target: 300, durationMs: 5_000 }, // the peak: 1500
      { target: 50, durationMs: 3_000 }, // the decay: 525
    ];
    const clock = manualClock();
    const { times, stats } = await released({ stages, maxInFlight: 10_000, ...clock });
    expect(stats).toMatchObject({ scheduled: 2445, started: 2445, dropped: 0, errors: 0 });
    expect(perStage(times, stages.map((s) => s.durationMs))).toEqual([100, 320, 1500, 525]);
    expect(stats.elapsedMs).toBe(20_000);
  });

  it('takes a start rate and a time unit: 60 → 120 per minute over 2 min is 180 iterations', async () => {
    const { times, stats } = await released({ startRate: 60, timeUnitMs: 60_000, stages: [{ target: 120, durationMs: 120_000 }], maxInFlight: 10, ...manualClock() });
    expect(stats.scheduled).toBe(180);
    // The rate doubles over the stage, so the second minute holds more than the first: ∫ = 75 then 105.
    expect(perStage(times, [60_000, 60_000])).toEqual([75, 105]);
  });

  it('within tolerance of the ideal count in every second of a ramp (no bursts, no gaps)', async () => {
    const { times } = await released({ stages: [{ target: 200, durationMs: 4000 }], maxInFlight: 10_000, ...manualClock() });
    // Rate 50·t/s: second k holds ∫k..k+1 50t dt = 25(2k+1) iterations, within one.
    const seconds = [0, 1, 2, 3].map((k) => times.filter((t) => t > k * 1000 + 1e-6 && t <= (k + 1) * 1000 + 1e-6).length);
    [25, 75, 125, 175].forEach((ideal, k) => expect(Math.abs(seconds[k]! - ideal)).toBeLessThanOrEqual(1));
  });

  it('counts what is due beyond the cap as dropped, as k6 counts dropped_iterations', async () => {
    const hang: Array<() => void> = [];
    const run = runRampingArrivalRate({ stages: [{ target: 100, durationMs: 1000 }], maxInFlight: 3, ...manualClock() }, () => new Promise<void>((r) => hang.push(r)));
    await new Promise((r) => setTimeout(r, 20));
    for (const r of hang) r();
    expect(await run).toMatchObject({ scheduled: 50, started: 3, dropped: 47 });
  });

  it('refuses a bad profile with every field named, before releasing anything', async () => {
    let calls = 0;
    const err = await runRampingArrivalRate({ startRate: -1, stages: [{ target: 10, durationMs: 0 }], maxInFlight: 5 }, async () => void calls++).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_LOAD_BAD_PROFILE')).toBe(true);
    expect((err as Error).message).toContain('startRate');
    expect((err as Error).message).toContain('stages[0].duration');
    expect(calls).toBe(0);
  });
});
