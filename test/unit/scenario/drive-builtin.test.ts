import { describe, expect, it } from 'vitest';
import { constantSchedule, runArrivals, trafficConfig } from '../../../src/load/index.js';
import { driveBuiltin } from '../../../src/run/index.js';

describe('built-in drive', () => {
  it('counts iterations that threw instead of losing them silently', async () => {
    let t = 0;
    const stats = await runArrivals(constantSchedule(10, 1000), { maxInFlight: 10, now: () => t, sleep: async (ms) => void (t += ms) }, async (i) => {
      if (i % 2 === 0) throw new Error('harness bug');
    });
    expect(stats.started).toBe(10);
    expect(stats.errors).toBe(5);
  });

  it('fails a driver_errors assertion when shoppers could not be played (no target for their variant)', async () => {
    const outcome = await driveBuiltin({
      rate: 20,
      durationMs: 200,
      maxInFlight: 10,
      targets: {},
      traffic: trafficConfig({ runId: 'drive-test', seed: 1 }),
      cut: new AbortController().signal,
      record: () => {},
    });
    const errors = outcome.assertions.find((a) => a.name.startsWith('driver_errors'));
    expect(errors).toMatchObject({ passed: false, measured: 4, threshold: 0 });
  });
});
