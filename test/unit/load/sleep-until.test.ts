import { describe, expect, it } from 'vitest';
import { sleepUntil } from '../../../src/load/sleep.js';

describe('sleepUntil', () => {
  it('never returns before its deadline on the clock it was given, however short the wait', async () => {
    // A clock that runs at half speed: a plain timer for the remaining wait fires before this
    // clock says it is due, as a libuv timer can before performance.now() does.
    const lagging = () => performance.now() / 2;
    for (let i = 0; i < 50; i++) {
      const deadline = lagging() + (i % 5) * 0.4;
      await sleepUntil(deadline, undefined, lagging);
      expect(lagging()).toBeGreaterThanOrEqual(deadline);
    }
  });

  it('returns at once when aborted, and when the deadline has passed', async () => {
    const controller = new AbortController();
    controller.abort();
    const started = performance.now();
    await sleepUntil(performance.now() + 10_000, controller.signal);
    await sleepUntil(performance.now() - 5);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
