import { describe, expect, it } from 'vitest';
import { parseResults, type Results } from '../../../src/report/index.js';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { judge } from '../../integration/canary/cli-runner.js';
import { resultsOf, tempDir } from '../../integration/canary/results-fixture.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const good = (): Results => structuredClone(resultsOf({ baseline: { requests: 200, errorCodes: { card_declined: 20 }, medianMs: 40 }, canary: { requests: 200, errorCodes: { card_declined: 22 }, medianMs: 40, seed: 3 } }));

function problemsOf(results: Results): string[] {
  try {
    parseResults(JSON.stringify(results), 'r.json');
    return [];
  } catch (err) {
    if (!isPaychaosError(err)) throw err;
    expect(err.code).toBe('PAYCHAOS_ERR_RESULTS_INVALID');
    return (err.details as { problems: string[] }).problems;
  }
}

describe('a results file that contradicts itself is refused with every problem and its path', () => {
  it('accepts a consistent file (the control)', () => {
    expect(problemsOf(good())).toEqual([]);
  });

  it('refuses succeeded > requests, naming the variant', () => {
    const r = good();
    r.variants.canary!.succeeded = r.variants.canary!.requests + 5;
    expect(problemsOf(r)).toEqual(expect.arrayContaining([expect.stringMatching(/^variants\.canary: succeeded \+ failed \+ pending = 227, but requests is 200/)]));
  });

  it('refuses a successRate that is not succeeded / requests, and provider slices that do not add up', () => {
    const r = good();
    r.variants.baseline!.successRate = 0.99;
    r.variants.baseline!.byProvider.stripe!.requests = 150;
    const problems = problemsOf(r);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^variants\.baseline\.successRate: is 0\.99, but succeeded \/ requests is 0\.9$/),
        expect.stringMatching(/^variants\.baseline\.byProvider: its requests add up to 150, but variants\.baseline\.requests is 200/),
      ]),
    );
  });

  it('refuses a latency histogram that is not base64 or not a compressed HDR histogram, without a stack trace', () => {
    for (const bad of ['%%% not base64 %%%', Buffer.from('not zlib at all, just bytes').toString('base64')]) {
      const r = good();
      r.variants.canary!.latencyHistogram = bad;
      expect(problemsOf(r)).toEqual([expect.stringMatching(/^variants\.canary\.latencyHistogram: not an HDR histogram/)]);
    }
  });

  it('refuses a histogram holding more latencies than requests', () => {
    const r = good();
    r.variants.canary!.latencyHistogram = r.variants.baseline!.latencyHistogram;
    r.variants.canary!.requests = 100;
    r.variants.canary!.succeeded = 78;
    r.variants.canary!.successRate = 0.78;
    r.variants.canary!.byProvider.stripe = { ...r.variants.canary!.byProvider.stripe!, requests: 100, succeeded: 78, successRate: 0.78 };
    expect(problemsOf(r)).toEqual([expect.stringMatching(/^variants\.canary\.latencyHistogram: holds 200 latencies, more than the 100 requests/)]);
  });

  it('paychaos judge exits 2 naming the field (not 3 with a stack trace) on a corrupt histogram', async () => {
    const dir = await tempDir();
    const r = good();
    r.variants.canary!.latencyHistogram = Buffer.from('garbage').toString('base64');
    const path = join(dir, 'corrupt.json');
    await writeFile(path, JSON.stringify(r));
    const out = await judge('--baseline', path, '--canary', path);
    expect(out.code).toBe(2);
    expect(out.err).toMatch(/PAYCHAOS_ERR_RESULTS_INVALID/);
    expect(out.err).toMatch(/variants\.canary\.latencyHistogram/);
    expect(out.err).not.toMatch(/\n\s+at /);
  });
});
