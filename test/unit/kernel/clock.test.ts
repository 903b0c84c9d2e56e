import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../src/kernel/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * systemClock's timers never fire before its own now() (Date.now) says they are due: Node's
 * timers run on the loop's cached millisecond and may fire a little early, and a fault step must
 * never start before its plan (a CI run once saw a step start at 1.499 s for a plan of 1.5 s).
 * Date.now is held back here to make "early" certain rather than occasional.
 */
describe('systemClock timers never fire early by Date.now', () => {
  afterEach(() => void vi.restoreAllMocks());

  it('a timer whose real delay has passed while Date.now has not reached its due time waits, then fires', async () => {
    let now = 1_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    let fired = 0;
    systemClock.schedule(30, () => fired++);
    await sleep(60); // the underlying setTimeout has fired by now…
    now = 1_025; // …but the clock reads 25 ms of the 30
    await sleep(20);
    expect(fired).toBe(0);
    now = 1_030;
    await sleep(20);
    expect(fired).toBe(1);
  });

  it('a cancelled timer stays cancelled, also after it re-armed', async () => {
    let now = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    let fired = 0;
    const handle = systemClock.schedule(10, () => fired++);
    await sleep(30);
    handle.cancel();
    now = 100;
    await sleep(30);
    expect(fired).toBe(0);
  });

  it('with the real Date.now, every timer fires at or after its due time', async () => {
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
