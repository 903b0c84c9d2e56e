import { describe, expect, it } from 'vitest';
import { scaledClock, systemClock } from '../../../src/kernel/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A Clock's timer never fires before the clock's own now() says it is due: Node's timers run on
 * the loop's cached millisecond and may fire a little early, and a fault step must never start
 * before its plan (a CI run once saw a step start at 1.499 s for a plan of 1.5 s).
 */
describe('Clock timers never fire early by their own clock', () => {
  it('a timer whose real time has passed but whose clock has not reached the due time waits, and fires once it has', async () => {
    let realNow = 1_000;
    const clock = scaledClock(1, () => realNow);
    let fired = 0;
    clock.schedule(30, () => fired++);
    await sleep(60); // the underlying setTimeout has fired by now…
    realNow = 1_025; // …but the clock reads 25 ms of the 30
    await sleep(20);
    expect(fired).toBe(0);
    realNow = 1_030;
    await sleep(20);
    expect(fired).toBe(1);
  });

  it('a cancelled timer stays cancelled, also after it re-armed', async () => {
    let realNow = 0;
    const clock = scaledClock(2, () => realNow);
    let fired = 0;
    const handle = clock.schedule(20, () => fired++); // 10 ms real
    await sleep(30);
    handle.cancel();
    realNow = 100;
    await sleep(30);
    expect(fired).toBe(0);
  });

  it('systemClock: every timer fires at or after its due time by Date.now()', async () => {
    const late: number[] = [];
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        const due = Date.now() + (i % 5) + 1;
        return new Promise<void>((resolve) => systemClock.schedule((i % 5) + 1, () => (late.push(Date.now() - due), resolve())));
      }),
    );
    expect(late.every((d) => d >= 0)).toBe(true);
  });
});
