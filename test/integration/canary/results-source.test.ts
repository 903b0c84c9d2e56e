import { describe, expect, it } from 'vitest';
import { inputsFromVariants, parseJudgeConfig } from '../../../src/analysis/index.js';
import { variantFromResults } from '../../../src/judge/index.js';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { resultsOf } from './results-fixture.js';

describe('reading variants from results.json', () => {
  const both = resultsOf({
    baseline: { requests: 500, errorCodes: { card_declined: 5 }, medianMs: 30, seed: 1 },
    canary: { requests: 400, errorCodes: { provider_error: 9 }, medianMs: 30, seed: 2 },
  });
  const single = resultsOf({ canary: { requests: 300, errorCodes: {}, medianMs: 30, seed: 3 } });

  it('takes the variant named for the role from a file holding both', () => {
    expect(variantFromResults(both, 'baseline').requests).toBe(500);
    expect(variantFromResults(both, 'canary').requests).toBe(400);
  });

  it("takes a single-variant file's only variant whatever its name", () => {
    expect(variantFromResults(single, 'baseline').requests).toBe(300);
  });

  it('decodes the HDR latency histogram into a weighted sample of every request', () => {
    const v = variantFromResults(both, 'baseline');
    expect(v.latency?.total).toBe(500);
    expect(v.byProvider?.stripe?.requests).toBe(500);
    expect(v.byProvider?.stripe?.latency).toBeUndefined();
  });

  it('refuses a file without variants with PAYCHAOS_ERR_JUDGE_NO_VARIANT', () => {
    let err: unknown;
    try {
      variantFromResults(resultsOf({}), 'canary', 'empty.json');
    } catch (e) {
      err = e;
    }
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_JUDGE_NO_VARIANT')).toBe(true);
    expect((err as Error).message).toBe('empty.json has no variants to judge');
  });

  it('counts events by outcome or by a list of error codes', () => {
    const config = parseJudgeConfig({
      metrics: [
        { name: 'failed', kind: 'proportion' },
        { name: 'succeeded', kind: 'proportion', count: 'succeeded', direction: 'decrease' },
        { name: 'provider', kind: 'proportion', count: ['provider_error', 'provider_unavailable'] },
      ],
    });
    const inputs = inputsFromVariants(config, variantFromResults(both, 'baseline'), variantFromResults(both, 'canary'));
    expect(inputs.get('failed')).toEqual({ kind: 'proportion', baseline: { events: 5, trials: 500 }, canary: { events: 9, trials: 400 } });
    expect(inputs.get('succeeded')).toEqual({ kind: 'proportion', baseline: { events: 495, trials: 500 }, canary: { events: 391, trials: 400 } });
    expect(inputs.get('provider')).toEqual({ kind: 'proportion', baseline: { events: 0, trials: 500 }, canary: { events: 9, trials: 400 } });
  });
});
