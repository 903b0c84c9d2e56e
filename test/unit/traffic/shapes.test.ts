import { describe, expect, it } from 'vitest';
import { SINGLES_DAY_PEAKS, durationSeconds, profileSeconds, rateAt, singlesDayProfile, totalIterations } from '../../../load/lib/index.js';

describe("the Singles'-Day shape", () => {
  it('scales the 2020 peak of 583,000/s by the factor', () => {
    const peak = (scale: number): number => Math.max(...singlesDayProfile({ scale }).stages.map((s) => s.target));
    expect(peak(1)).toBe(SINGLES_DAY_PEAKS.tmallOrders2020);
    expect(peak(0.001)).toBe(583);
    expect(singlesDayProfile().stages[2]!.target).toBe(583);
    expect(peak(0.5)).toBe(291_500);
  });

  it('is calm before midnight, ramps steeply to many times the base rate, holds for minutes, then decays', () => {
    const p = singlesDayProfile({ peakRate: 1200 });
    const base = rateAt(p, 30);
    expect(base).toBe(100);
    expect(rateAt(p, 59)).toBe(100);
    // The midnight ramp: base → peak in 20 s.
    expect(rateAt(p, 70)).toBeCloseTo(650, 5);
    expect(rateAt(p, 80)).toBe(1200);
    expect(rateAt(p, 80) / base).toBeGreaterThanOrEqual(10);
    // Held for three minutes.
    expect(rateAt(p, 81)).toBe(1200);
    expect(rateAt(p, 259)).toBe(1200);
    // Then a decay that stays above the evening's rate for a while.
    expect(rateAt(p, 380)).toBeCloseTo(700, 5);
    expect(rateAt(p, 499)).toBeGreaterThan(base);
    expect(rateAt(p, 559)).toBeGreaterThanOrEqual(base);
    expect(rateAt(p, profileSeconds(p) + 1)).toBe(0);
  });

  it('schedules the area under its curve', () => {
    const p = { startRate: 0, timeUnit: '1s', stages: [{ duration: '10s', target: 100 }, { duration: '1m', target: 100 }, { duration: '10s', target: 0 }] };
    expect(totalIterations(p)).toBe(500 + 6000 + 500);
    expect(profileSeconds(p)).toBe(80);
  });

  it('reads k6 durations and rejects anything else', () => {
    expect(durationSeconds('1m30s')).toBe(90);
    expect(durationSeconds('500ms')).toBe(0.5);
    expect(durationSeconds('2h')).toBe(7200);
    expect(() => durationSeconds('90')).toThrow(RangeError);
    expect(() => durationSeconds('1m banana')).toThrow(RangeError);
  });
});
