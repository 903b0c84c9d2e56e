import { describe, expect, it } from 'vitest';
import { ManualClock, Random, scaledClock } from '../../../../src/kernel/index.js';

describe('ManualClock', () => {
  it('fires timers only when time is advanced past them, in due order', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.schedule(300, () => fired.push('c'));
    clock.schedule(100, () => fired.push('a'));
    const cancelled = clock.schedule(150, () => fired.push('x'));
    clock.schedule(200, () => {
      fired.push('b');
      clock.schedule(50, () => fired.push('b+50'));
    });
    cancelled.cancel();
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(201);
    expect(fired).toEqual(['a', 'b', 'b+50', 'c']);
    expect(clock.now()).toBe(300);
    expect(clock.pending).toBe(0);
  });
});

describe('scaledClock', () => {
  it('runs simulated time faster than real time by its scale', async () => {
    let real = 1_000;
    const clock = scaledClock(60, () => real);
    real += 1_000;
    expect(clock.now()).toBe(1_000 + 60_000);
    const started = performance.now();
    await new Promise<void>((resolve) => clock.schedule(60_000, resolve)); // a simulated minute: one real second / 60 here
    // 60 s simulated at ×60 is 1 s real; allow 300 ms of scheduling slack either way.
    expect(performance.now() - started).toBeGreaterThan(700);
    expect(performance.now() - started).toBeLessThan(1_300 + 2_000);
  });

  it('refuses a scale that is not a positive number', () => {
    expect(() => scaledClock(0)).toThrow(RangeError);
  });
});

describe('Random', () => {
  it('replays the same sequence for the same seed and another for another seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const seqA = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });

  it('draws lognormal values around the requested median', () => {
    const r = new Random(7);
    const xs = Array.from({ length: 4001 }, () => r.lognormal(100, 0.5)).sort((x, y) => x - y);
    // The sample median of 4001 draws sits within ±5% of the true median with overwhelming probability.
    expect(xs[2000]).toBeGreaterThan(95);
    expect(xs[2000]).toBeLessThan(105);
  });

  it('forks independent but reproducible streams', () => {
    const one = new Random(5).fork();
    const two = new Random(5).fork();
    expect(one.token(12)).toBe(two.token(12));
    expect(one.token(12)).toMatch(/^[a-z0-9]{12}$/);
  });
});
