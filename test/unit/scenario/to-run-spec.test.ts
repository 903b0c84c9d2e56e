import { describe, expect, it } from 'vitest';
import { checkScenario, toRunSpec, worstExit } from '../../../src/scenario/index.js';
import { formatProgress } from '../../../src/cli/progress.js';

function scenarioOf(document: unknown) {
  const checked = checkScenario(document, 'test.yaml');
  expect(checked.problems).toEqual([]);
  return checked.scenario!;
}

describe('a scenario file as a run spec', () => {
  it('maps every section: stack, a ramp, the timeline, thresholds, invariants and the canary', () => {
    const spec = toRunSpec(
      scenarioOf({
        name: 'a-rather-long-scenario-name-for-ids',
        stack: { seed: 9, timeScale: 60, shopperApprovesAfter: '50ms', gateway: { providerTimeout: '2s', regression: { extraLatencyMs: 5 } }, canary: { weight: 0.2, regression: { skipOrderGuard: true } } },
        load: { executor: 'ramping-arrival-rate', startRate: 5, stages: [{ duration: '2s', target: 40 }, { duration: '3s', target: 10 }], mix: 'double11', behaviours: { pay: 1 } },
        timeline: [{ id: 'slow', type: 'latency', target: 'alipay', at: '1s', for: '2s', latencyMs: 100 }],
        expect: { thresholds: { success_rate: ['rate>=0.9'] }, invariants: ['no-double-charge'] },
      }),
      { paychaosVersion: '1.2.3', outDir: '/tmp/x' },
    );
    expect(spec.scenario).toBe('a-rather-long-scenario-name-for-ids');
    // The run id prefixes order ids, which the traffic model caps at 40 characters.
    expect(spec.runId.length).toBeLessThanOrEqual(40);
    expect(spec.outDir).toBe('/tmp/x');
    expect(spec.stack.providers).toEqual(expect.arrayContaining(['alipay', 'wechatpay', 'stripe']));
    expect(spec.stack).toMatchObject({ seed: 9, simulator: { shopperApprovesAfterMs: 50, clockScale: 60 } });
    expect(spec.stack.systems).toEqual([
      { variant: 'baseline', mode: 'child', config: { variant: 'baseline', version: '1.2.3', providerTimeoutMs: 2000, regression: { extraLatencyMs: 5, seed: 1 } } },
      { variant: 'canary', mode: 'child', config: { variant: 'canary', version: '1.2.3-canary', providerTimeoutMs: 10_000, regression: { skipOrderGuard: true, seed: 1 } } },
    ]);
    expect(spec.load).toMatchObject({ engine: 'builtin', rate: 40, durationMs: 5000, maxInFlight: 80, ramp: { startRate: 5, stages: [{ target: 40, durationMs: 2000 }, { target: 10, durationMs: 3000 }] } });
    expect(spec.load.traffic).toMatchObject({ seed: 9, variants: { baseline: 0.8, canary: 0.2 } });
    expect(spec.timeline).toEqual([expect.objectContaining({ id: 'slow', type: 'latency', target: 'alipay', atMs: 1000, forMs: 2000 })]);
    expect(spec.expect).toEqual({ thresholds: { success_rate: ['rate>=0.9'] }, invariants: ['no-double-charge'] });
    expect(spec.canary?.judge).toBeDefined();
  });

  it('carries load.warmup into the run spec, and leaves it out when absent or 0', () => {
    const load = { executor: 'constant-arrival-rate', rate: 10, duration: '5s' };
    expect(toRunSpec(scenarioOf({ name: 'w', load: { ...load, warmup: '1500ms' } }), { paychaosVersion: '1' }).load.warmupMs).toBe(1500);
    expect(toRunSpec(scenarioOf({ name: 'w', load: { ...load, warmup: 0 } }), { paychaosVersion: '1' }).load).not.toHaveProperty('warmupMs');
    expect(toRunSpec(scenarioOf({ name: 'w', load }), { paychaosVersion: '1' }).load).not.toHaveProperty('warmupMs');
  });

  it('drives a gateway at a URL when given a target, and starts no reference gateway', () => {
    const spec = toRunSpec(scenarioOf({ name: 'x', load: { executor: 'constant-arrival-rate', rate: 5, duration: '1s' } }), { paychaosVersion: '1', target: 'http://127.0.0.1:9999' });
    expect(spec.stack.systems).toEqual([{ variant: 'baseline', mode: 'url', url: 'http://127.0.0.1:9999' }]);
    expect(spec.stack.providers).toEqual(['stripe']);
    expect(spec.expect?.invariants).toEqual(['no-double-charge', 'captures-within-orders']);
    expect(spec.load).not.toHaveProperty('ramp');
  });

  it('refuses a provider the reference gateway cannot charge through, naming the scenario', () => {
    expect(() => toRunSpec(scenarioOf({ name: 'x', stack: { providers: ['nosuchpay'] }, load: { executor: 'constant-arrival-rate', rate: 5, duration: '1s' } }), { paychaosVersion: '1' })).toThrow(/x: stack.providers: provider "nosuchpay"/);
  });
});

describe('a suite', () => {
  it('exits with its worst run: interrupted over harness failure over bad input over a failed check over inconclusive', () => {
    expect(worstExit([])).toBe(0);
    expect(worstExit([0, 4, 0])).toBe(4);
    expect(worstExit([4, 1, 0])).toBe(1);
    expect(worstExit([1, 2])).toBe(2);
    expect(worstExit([2, 3, 1])).toBe(3);
    expect(worstExit([3, 130, 0])).toBe(130);
  });
});

describe('the progress line', () => {
  it('shows scenario, phase, elapsed/total, current/target rate, success, p99 and the active faults', () => {
    const line = formatProgress({ scenario: 'smoke', phase: 'drive', elapsedS: 4, totalS: 10, targetRate: 50, peakRate: 50, currentRate: 49.8, successRate: 0.9123, p99Ms: 12.3, requests: 200, activeFaults: ['slow-stripe'] });
    expect(line).toBe('smoke  drive  4.0/10.0s  rate 49.8/50/s  ok 91.2%  p99 12.3 ms  200 req  faults: slow-stripe');
  });
});
