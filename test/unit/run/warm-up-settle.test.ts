import { describe, expect, it } from 'vitest';
import { WarmupSettle } from '../../../src/run/warm-up-settle.js';

/** Window after window from 0, each with `perWindow` completions spread over it at its latency. */
function fill(settle: WarmupSettle, latencies: number[], perWindow = 200): number {
  latencies.forEach((latencyMs, index) => {
    for (let i = 0; i < perWindow; i++) settle.record((index + i / perWindow) * settle.windowMs, latencyMs);
  });
  return latencies.length * settle.windowMs;
}

describe('whether a warm-up has settled', () => {
  it('sizes its windows to hold enough completions at the rate: 250 ms at 800/s, 2 s at 10/s', () => {
    expect(new WarmupSettle(800).windowMs).toBe(250);
    expect(new WarmupSettle(40).windowMs).toBe(500);
    expect(new WarmupSettle(10).windowMs).toBe(2_000);
  });

  it('is not settled while the latency is still falling: start-up queue draining', () => {
    const settle = new WarmupSettle(800);
    expect(settle.settled(fill(settle, [900, 800, 700, 600, 500, 400]))).toBe(false);
  });

  it('sees a slow drain over a second even where one window to the next moves under 10 %', () => {
    const settle = new WarmupSettle(800);
    // −6 % per 250 ms window: a deep queue and little spare capacity.
    expect(settle.settled(fill(settle, [500, 470, 442, 415, 390, 367]))).toBe(false);
  });

  it('is settled once the latency is flat; not while it rises (a queue still building: cold, or a rate it cannot carry)', () => {
    const flat = new WarmupSettle(800);
    expect(flat.settled(fill(flat, [300, 100, 20, 21, 20, 19, 20, 21, 20]))).toBe(true);
    const rising = new WarmupSettle(800);
    expect(rising.settled(fill(rising, [100, 200, 300, 400, 500]))).toBe(false);
  });

  it('sees a deep queue draining slowly: seconds of latency falling 1–2 % a window is no steady state', () => {
    const settle = new WarmupSettle(800);
    // A 7 s queue drained by 14 % spare capacity: 35 ms less per 250 ms window.
    expect(settle.settled(fill(settle, [7_140, 7_105, 7_070, 7_035, 7_000]))).toBe(false);
    // …while a steady 7 s (a designed wait) with a few ms of noise is settled.
    const steady = new WarmupSettle(800);
    expect(steady.settled(fill(steady, [7_010, 7_000, 7_012, 7_004, 7_008]))).toBe(true);
  });

  it('sees a queue that peaked within the last second as draining, though the latency a second ago was lower', () => {
    const settle = new WarmupSettle(800);
    // Rising while cold, a peak, then a drain: the last window is above the one a span ago (120 ms).
    expect(settle.settled(fill(settle, [100, 120, 300, 420, 330, 250]))).toBe(false);
  });

  it('reads a small wobble as flat (10 % and 2 ms of slack), a bigger fall or rise as not', () => {
    const wobble = new WarmupSettle(800);
    expect(wobble.settled(fill(wobble, [12, 12, 12, 12, 9.5]))).toBe(true);
    const falling = new WarmupSettle(800);
    expect(falling.settled(fill(falling, [100, 100, 100, 100, 85]))).toBe(false);
    const rising = new WarmupSettle(800);
    expect(rising.settled(fill(rising, [100, 100, 100, 100, 115]))).toBe(false);
  });

  it('is not settled while answers stall: a window that completed under half of what arrived', () => {
    const settle = new WarmupSettle(800);
    const end = fill(settle, [20, 20, 20, 20]);
    for (let i = 0; i < 40; i++) settle.record(end + i, 20); // 200 arrived in the window, 40 came back
    expect(settle.settled(end + settle.windowMs)).toBe(false);
    // …and an empty window (the stack frozen) is no proof of anything either.
    expect(new WarmupSettle(800).settled(10 * 250)).toBe(false);
  });

  it('judges only complete windows, not the one still filling', () => {
    const settle = new WarmupSettle(800);
    const end = fill(settle, [50, 20, 20, 20, 20, 20]);
    for (let i = 0; i < 5; i++) settle.record(end + i, 500); // the next window has only begun
    expect(settle.settled(end + 10)).toBe(true);
  });

  it('has nothing to wait for at a rate too low to judge a queue', () => {
    expect(new WarmupSettle(2).settled(10_000)).toBe(true);
  });
});
