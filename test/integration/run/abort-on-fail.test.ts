import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/run/index.js';
import { checkScenario, toRunSpec } from '../../../src/scenario/index.js';

/** Stop conditions: a threshold marked abortOnFail that fails live stops the run, and the verdict says why. */
describe('abortOnFail', () => {
  it('stops the load when the success rate falls under its floor, undoes the fault, and fails with the reason', async () => {
    const checked = checkScenario({
      name: 'abort-test',
      stack: { seed: 3 },
      load: { executor: 'constant-arrival-rate', rate: 20, duration: '30s', behaviours: { pay: 1, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0 } },
      timeline: [{ id: 'all-fail', type: 'provider-errors', target: 'stripe', at: '1s' }],
      expect: { thresholds: { success_rate: [{ threshold: 'rate>=0.6', abortOnFail: true, delayAbortEval: '2s' }] } },
    });
    expect(checked.problems).toEqual([]);
    const out = await mkdtemp(join(tmpdir(), 'paychaos-abort-'));
    const outcome = await runScenario(toRunSpec(checked.scenario!, { paychaosVersion: '0.0.0-test', outDir: out }));
    expect(outcome.exitCode).toBe(1);
    expect(outcome.results.status).toBe('completed');
    // Stopped long before its 30 s: every payment fails from 1 s, so the rate falls under 0.6 within seconds.
    expect(outcome.results.durationS).toBeLessThan(10);
    const stop = outcome.results.assertions.find((a) => a.name.startsWith('abortOnFail: success_rate rate>=0.6'));
    expect(stop).toMatchObject({ passed: false, threshold: 0.6 });
    expect(stop!.measured!).toBeLessThan(0.6);
    const [fault] = outcome.results.faults;
    expect(fault).toMatchObject({ id: 'all-fail', layer: 'provider' });
    expect(fault).not.toHaveProperty('error');
    expect(fault!.endS).toBeGreaterThan(fault!.startS);
  }, 60_000);
});
