import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeCanary, parseJudgeConfig, verdictExitCode, weightedSample, type JudgeReport, type MetricResult, LatencyHistogram } from '../../../src/analysis/index.js';
import { latencies, variant } from './fixtures.js';

const metric = (report: JudgeReport, name: string): MetricResult => {
  const m = report.metrics.find((x) => x.name === name);
  if (!m) throw new Error(`no metric ${name}`);
  return m;
};

const BASE_LATENCY = latencies(2000, 40, 1);
const SAME_LATENCY = latencies(2000, 40, 2);

describe('the canary judge (default config)', () => {
  it('passes a canary identical to its baseline with a score of 100', () => {
    const v = variant(2000, { card_declined: 30, insufficient_funds: 10 }, BASE_LATENCY);
    const report = judgeCanary(v, v);
    expect(report.verdict).toBe('pass');
    expect(report.score).toBe(100);
    expect(verdictExitCode(report.verdict)).toBe(0);
  });

  it('passes a canary that differs from its baseline only by sampling noise', () => {
    const report = judgeCanary(
      variant(2000, { card_declined: 30, insufficient_funds: 10 }, BASE_LATENCY),
      variant(2000, { card_declined: 27, insufficient_funds: 14 }, SAME_LATENCY),
    );
    expect(report.verdict).toBe('pass');
  });

  it('fails a canary with 5 percentage points more errors on 2,000 requests each', () => {
    const report = judgeCanary(variant(2000, { card_declined: 40 }, BASE_LATENCY), variant(2000, { card_declined: 140 }, SAME_LATENCY));
    expect(report.verdict).toBe('fail');
    const m = metric(report, 'error-rate');
    expect(m.classification).toBe('high');
    expect(m.test?.name).toBe('two-proportion-z');
    expect(m.effect).toMatchObject({ kind: 'proportion', differencePp: expect.closeTo(5, 9) });
    expect(report.reasons[0]).toMatch(/critical metric error-rate is high/);
    expect(verdictExitCode(report.verdict)).toBe(1);
  });

  it('fails a canary with 3% errors against a zero-error baseline of 2,000 requests', () => {
    const report = judgeCanary(variant(2000, {}, BASE_LATENCY), variant(2000, { provider_error: 60 }, SAME_LATENCY));
    expect(report.verdict).toBe('fail');
    expect(metric(report, 'error-rate').classification).toBe('high');
  });

  it("fails a canary with 3 errors in 100 requests against a zero-error baseline of 2,000, by Fisher's exact test", () => {
    const config = parseJudgeConfig({ metrics: [{ name: 'error-rate', kind: 'proportion', critical: true, mustHaveData: true }] });
    const report = judgeCanary(variant(2000, {}), variant(100, { provider_error: 3 }), config);
    const m = metric(report, 'error-rate');
    expect(m.test?.name).toBe('fisher-exact');
    expect(m.test?.pValue).toBeCloseTo(0.00010491173108443759, 12);
    expect(m.classification).toBe('high');
    expect(report.verdict).toBe('fail');
  });

  it('does not pass 3 errors against none in 2,000 when the tolerance is 0.1 pp: large but noisy is inconclusive', () => {
    const config = parseJudgeConfig({ metrics: [{ name: 'error-rate', kind: 'proportion', tolerancePp: 0.1, critical: true, mustHaveData: true }] });
    const report = judgeCanary(variant(2000, {}), variant(2000, { provider_error: 3 }), config);
    expect(metric(report, 'error-rate').classification).toBe('inconclusive');
    expect(report.verdict).toBe('inconclusive');
    expect(verdictExitCode(report.verdict)).toBe(4);
  });

  it('passes 3 errors against none in 2,000 under the default 0.5 pp tolerance, and says so', () => {
    const report = judgeCanary(variant(2000, {}, BASE_LATENCY), variant(2000, { provider_error: 3 }, SAME_LATENCY));
    const m = metric(report, 'error-rate');
    expect(m.classification).toBe('pass');
    expect(m.reason).toMatch(/0% → 0\.15% \(\+0\.15 pp, tolerance ±0\.5 pp\)/);
  });

  it('fails a canary whose declines turned into provider errors while the total error rate stayed flat', () => {
    const report = judgeCanary(
      variant(2000, { card_declined: 60, insufficient_funds: 30, provider_error: 10 }, BASE_LATENCY),
      variant(2000, { card_declined: 25, insufficient_funds: 30, provider_error: 45 }, SAME_LATENCY),
    );
    expect(metric(report, 'error-rate').classification).toBe('pass');
    const codes = metric(report, 'error-codes');
    expect(codes.classification).toBe('high');
    expect(codes.effect).toMatchObject({ kind: 'distribution', moved: expect.arrayContaining(['provider_error', 'card_declined']) });
    expect(codes.reason).toMatch(/moved: provider_error, card_declined/);
    // errors group 50 × 60 + latency 100 × 40 → 70, below marginal 75
    expect(report.score).toBeCloseTo(70, 9);
    expect(report.verdict).toBe('fail');
  });

  it('does not pass a complete change of error codes when every code is too rare to test alone (all pooled into "(other)")', () => {
    // 20 errors each (the default minErrors), four codes of 5 apiece: every expected count is 2.5 < 5.
    const report = judgeCanary(
      variant(2000, { card_declined: 5, insufficient_funds: 5, expired_card: 5, do_not_honor: 5 }, BASE_LATENCY),
      variant(2000, { provider_error: 5, timeout: 5, rate_limited: 5, network_error: 5 }, SAME_LATENCY),
    );
    const codes = metric(report, 'error-codes');
    expect(codes.classification).toBe('inconclusive');
    expect(codes.reason).toMatch(/shifted 100 pp/);
    expect(report.verdict).not.toBe('pass');
  });

  it('passes rare codes that did not move, even when all of them are pooled', () => {
    const codes = { card_declined: 5, insufficient_funds: 5, expired_card: 5, do_not_honor: 5 };
    const report = judgeCanary(variant(2000, codes, BASE_LATENCY), variant(2000, codes, SAME_LATENCY));
    expect(metric(report, 'error-codes').classification).toBe('pass');
  });

  it('is inconclusive on tiny samples rather than passing them', () => {
    const report = judgeCanary(variant(30, { card_declined: 1 }, latencies(30, 40, 3)), variant(30, { card_declined: 9 }, latencies(30, 80, 4)));
    expect(report.verdict).toBe('inconclusive');
    expect(metric(report, 'error-rate').classification).toBe('nodata');
    expect(metric(report, 'error-rate').reason).toMatch(/fewer than 100 requests/);
  });

  it('is inconclusive, without throwing, when there is no data at all', () => {
    const empty = variant(0, {});
    const report = judgeCanary(empty, empty);
    expect(report.verdict).toBe('inconclusive');
    expect(report.score).toBeNull();
    expect(report.metrics.every((m) => m.classification === 'nodata')).toBe(true);
  });

  it('is inconclusive when the latency histogram that must have data is missing', () => {
    const report = judgeCanary(variant(2000, { card_declined: 30 }, BASE_LATENCY), variant(2000, { card_declined: 31 }));
    expect(metric(report, 'latency-p95').classification).toBe('nodata');
    expect(report.verdict).toBe('inconclusive');
    expect(report.reasons[0]).toMatch(/latency-p95 must have data/);
  });

  it('fails a canary 50% slower at p95 on its latency metric', () => {
    const report = judgeCanary(variant(2000, {}, BASE_LATENCY), variant(2000, {}, latencies(2000, 60, 2)));
    const m = metric(report, 'latency-p95');
    expect(m.classification).toBe('high');
    expect(m.effect).toMatchObject({ kind: 'latency', ratio: expect.closeTo(1.5, 1) });
    // errors 100 × 60 + latency 0 × 40 → 60
    expect(report.verdict).toBe('fail');
  });

  it('passes a faster canary, since latency may only increase to fail', () => {
    const report = judgeCanary(variant(2000, {}, BASE_LATENCY), variant(2000, {}, latencies(2000, 20, 2)));
    expect(metric(report, 'latency-p95').classification).toBe('pass');
    expect(metric(report, 'latency-p95').reason).toMatch(/which direction "increase" allows/);
  });

  it('passes a significant but tiny latency shift over ten million requests', () => {
    // 0.5% slower everywhere: overwhelming significance, negligible effect.
    const hist = (scale: number) => weightedSample(Array.from({ length: 3000 }, (_, i) => [(10 + i * 0.05) * scale, 10_000_000 / 3000] as const));
    const report = judgeCanary(variant(10_000_000, {}, hist(1)), variant(10_000_000, {}, hist(1.005)));
    const m = metric(report, 'latency-p95');
    expect(m.test!.pValue).toBeLessThan(1e-10);
    expect(m.classification).toBe('pass');
    expect(m.reason).toMatch(/statistically significant change, but within tolerance/);
  });

  it('judges ten million requests per variant, from HDR histograms, in well under 5 seconds', () => {
    // 20,000 distinct latencies × 500 each, recorded into the run's own HDR histogram type.
    const hdr = (scale: number) => {
      const h = new LatencyHistogram();
      for (let i = 0; i < 20_000; i++) h.record((1 + i * 0.05) * scale, 500);
      return weightedSample(h.weightedValues());
    };
    const baseline = hdr(1);
    const canary = hdr(1.3);
    expect(baseline.total).toBe(10_000_000);
    const t0 = performance.now();
    const report = judgeCanary(variant(10_000_000, { card_declined: 100_000 }, baseline), variant(10_000_000, { card_declined: 100_500 }, canary));
    const elapsed = performance.now() - t0;
    expect(elapsed, `judged in ${elapsed.toFixed(0)} ms`).toBeLessThan(5000);
    expect(metric(report, 'latency-p95').classification).toBe('high');
    expect(metric(report, 'error-rate').classification).toBe('pass');
  });

  it('calls a large but noisy latency difference inconclusive', () => {
    // 120 requests each; the canary's slowest 8% are 3× slower: p95 triples, ranks barely move.
    const base = Array.from({ length: 120 }, (_, i) => 20 + i * 0.25);
    const canary = base.map((v, i) => (i >= 110 ? v * 3 : v + 0.1));
    const config = parseJudgeConfig({ metrics: [{ name: 'latency-p95', kind: 'latency', mustHaveData: true }] });
    const report = judgeCanary(
      variant(120, {}, weightedSample(base.map((v) => [v, 1] as const))),
      variant(120, {}, weightedSample(canary.map((v) => [v, 1] as const))),
      config,
    );
    const m = metric(report, 'latency-p95');
    expect(m.effect).toMatchObject({ ratio: expect.any(Number) });
    expect((m.effect as { ratio: number }).ratio).toBeGreaterThan(2);
    expect(m.test!.pValue).toBeGreaterThan(0.05);
    expect(m.classification).toBe('inconclusive');
    expect(report.verdict).toBe('inconclusive');
  });

  it('explains every classification: test, p-value, alpha, effect, thresholds and sample sizes', () => {
    const report = judgeCanary(
      variant(2000, { card_declined: 60, provider_error: 10 }, BASE_LATENCY),
      variant(2000, { card_declined: 50, provider_error: 30 }, SAME_LATENCY),
    );
    for (const m of report.metrics) {
      expect(m.reason.length).toBeGreaterThan(20);
      expect(m.test).toMatchObject({ pValue: expect.any(Number), alpha: 0.05 });
      expect(m.effect).not.toBeNull();
      expect(m.samples.baseline).toBeGreaterThan(0);
      expect(m.samples.minimum).toBeGreaterThan(0);
    }
    expect(report.reasons.length).toBeGreaterThan(0);
    // Plain JSON: survives a round trip unchanged (no Infinity, no NaN, no typed arrays).
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('never fails a canary judged against itself (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 400, max: 20_000 }), // ≥ the most errors the codes below can add up to
        fc.dictionary(fc.constantFrom('card_declined', 'insufficient_funds', 'provider_error', 'fraud_suspected'), fc.integer({ min: 0, max: 90 })),
        fc.integer({ min: 100, max: 3000 }),
        fc.integer(),
        (requests, codes, n, seed) => {
          const v = variant(requests, codes, latencies(n, 40, seed));
          const report = judgeCanary(v, v);
          expect(report.verdict).toBe('pass');
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('scoring with groups, weights and critical metrics', () => {
  const twoGroups = (weights: { a: number; b: number }, critical = false) =>
    parseJudgeConfig({
      groups: weights,
      metrics: [
        { name: 'a-errors', kind: 'proportion', group: 'a', critical },
        { name: 'b-errors', kind: 'proportion', group: 'b', count: ['provider_error'] },
      ],
    });
  // a-errors fails (card_declined +5 pp); b-errors (provider_error only) passes.
  const baseline = variant(2000, { card_declined: 40 });
  const canary = variant(2000, { card_declined: 140 });

  it('weights group scores: a failing group of weight 1 beside a passing one of weight 9 scores 90, marginal', () => {
    const report = judgeCanary(baseline, canary, twoGroups({ a: 1, b: 9 }));
    expect(report.score).toBeCloseTo(90, 9);
    expect(report.verdict).toBe('marginal');
    expect(verdictExitCode('marginal')).toBe(4);
    expect(report.groups).toEqual([
      { name: 'a', weight: 1, score: 0, passed: 0, failed: 1, unscored: 0 },
      { name: 'b', weight: 9, score: 100, passed: 1, failed: 0, unscored: 0 },
    ]);
  });

  it('fails below the marginal threshold: weights 3 and 1 score 25', () => {
    const report = judgeCanary(baseline, canary, twoGroups({ a: 3, b: 1 }));
    expect(report.score).toBeCloseTo(25, 9);
    expect(report.verdict).toBe('fail');
  });

  it('fails on a critical metric whatever the score', () => {
    const report = judgeCanary(baseline, canary, twoGroups({ a: 1, b: 99 }, true));
    expect(report.score).toBeCloseTo(99, 9);
    expect(report.verdict).toBe('fail');
  });

  it('passes at or above the pass threshold', () => {
    const report = judgeCanary(baseline, canary, parseJudgeConfig({ ...twoGroupsInput({ a: 1, b: 19 }), thresholds: { pass: 95, marginal: 75 } }));
    expect(report.score).toBeCloseTo(95, 9);
    expect(report.verdict).toBe('pass');
  });

  it('judges a metric scoped to one provider from its byProvider slice', () => {
    const base = { ...variant(4000, { card_declined: 40 }), byProvider: { stripe: variant(2000, { card_declined: 20 }), adyen: variant(2000, { card_declined: 20 }) } };
    const can = { ...variant(4000, { card_declined: 140 }), byProvider: { stripe: variant(2000, { card_declined: 20 }), adyen: variant(2000, { card_declined: 120 }) } };
    const config = parseJudgeConfig({
      metrics: [
        { name: 'stripe-errors', kind: 'proportion', provider: 'stripe' },
        { name: 'adyen-errors', kind: 'proportion', provider: 'adyen' },
        { name: 'paypal-errors', kind: 'proportion', provider: 'paypal' },
      ],
    });
    const report = judgeCanary(base, can, config);
    expect(report.metrics.map((m) => m.classification)).toEqual(['pass', 'high', 'nodata']);
  });
});

function twoGroupsInput(weights: { a: number; b: number }) {
  return {
    groups: weights,
    metrics: [
      { name: 'a-errors', kind: 'proportion' as const, group: 'a' },
      { name: 'b-errors', kind: 'proportion' as const, group: 'b', count: ['provider_error'] },
    ],
  };
}

describe('the failure modes of the issue, as properties', () => {
  it('fails any canary with 5 percentage points more errors on 2,000 requests each', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer(), (baseErrors, seed) => {
        const report = judgeCanary(variant(2000, { card_declined: baseErrors }, latencies(2000, 40, seed)), variant(2000, { card_declined: baseErrors + 100 }, latencies(2000, 40, seed + 1)));
        expect(report.verdict).toBe('fail');
      }),
      { numRuns: 25 },
    );
  });

  it('fails any canary with 3% errors against a zero-error baseline', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 50_000 }), (requests) => {
        const report = judgeCanary(variant(requests, {}, BASE_LATENCY), variant(requests, { provider_error: Math.round(requests * 0.03) }, SAME_LATENCY));
        expect(report.verdict).toBe('fail');
      }),
      { numRuns: 25 },
    );
  });

  it('fails on the distribution when declines turn into provider_error at the same total error rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 60, max: 300 }), fc.double({ min: 0.3, max: 0.9, noNaN: true }), (errors, moved) => {
        const shifted = Math.round(errors * moved);
        const report = judgeCanary(
          variant(2000, { card_declined: errors }, BASE_LATENCY),
          variant(2000, { card_declined: errors - shifted, provider_error: shifted }, SAME_LATENCY),
        );
        expect(report.metrics.find((m) => m.name === 'error-rate')?.classification).toBe('pass');
        expect(report.metrics.find((m) => m.name === 'error-codes')?.classification).toBe('high');
        expect(report.verdict).toBe('fail');
      }),
      { numRuns: 25 },
    );
  });

  it('never passes tiny samples, whatever they hold', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 100 }), (n1, n2, errorPct) => {
        const report = judgeCanary(
          variant(n1, { card_declined: Math.floor((n1 * errorPct) / 100) }, latencies(n1, 40, n1)),
          variant(n2, { card_declined: Math.floor((n2 * errorPct) / 100) }, latencies(n2, 40, n2 + 7)),
        );
        expect(report.verdict).toBe('inconclusive');
      }),
      { numRuns: 40 },
    );
  });
});
