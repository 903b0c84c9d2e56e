import { describe, expect, it } from 'vitest';
import { fisherExact, minExpectedCount, twoProportionZTest } from '../../../src/analysis/index.js';

function expectRel(actual: number, expected: number, rel = 1e-9): void {
  expect(Math.abs(actual - expected) / Math.abs(expected), `${actual} vs ${expected}`).toBeLessThan(rel);
}

describe("Fisher's exact test (two-sided)", () => {
  // Rows are [events, non-events] of baseline and canary. References: Fisher (1935), "lady
  // tasting tea" (p = 34/70 = 0.4857); the rest from scipy.stats.fisher_exact 1.17, which
  // enumerates the hypergeometric pmf independently of our ratio walk.
  it.each([
    [[3, 1], [1, 3], 0.48571428571428565],
    [[0, 2000], [3, 97], 0.00010491173108443759],
    [[0, 2000], [3, 1997], 0.2498124531132783],
    [[10, 990], [25, 975], 0.015749705522146405],
    [[1, 9], [11, 3], 0.0027594561852200836],
    [[40, 1960], [140, 1860], 8.989733031379202e-15],
    [[2, 3], [5, 0], 0.16666666666666666],
    [[0, 100], [0, 100], 1],
    [[20000, 980000], [20500, 979500], 0.012242704681282425],
  ])('table %j / %j has p = %d', (a, b, expected) => {
    const r = fisherExact({ events: a[0]!, trials: a[0]! + a[1]! }, { events: b[0]!, trials: b[0]! + b[1]! });
    expectRel(r.pValue, expected, 1e-8);
  });

  it('is symmetric in its two rows', () => {
    const a = { events: 7, trials: 400 };
    const b = { events: 19, trials: 380 };
    expect(fisherExact(a, b).pValue).toBeCloseTo(fisherExact(b, a).pValue, 14);
  });

  it('rejects counts that are not a proportion', () => {
    expect(() => fisherExact({ events: 5, trials: 3 }, { events: 0, trials: 1 })).toThrow(RangeError);
    expect(() => fisherExact({ events: 1.5, trials: 3 }, { events: 0, trials: 1 })).toThrow(RangeError);
  });
});

describe('two-proportion z-test (pooled)', () => {
  // References computed with the textbook formula in Python (statsmodels proportions_ztest
  // gives the same pooled z) and scipy.stats.norm.sf for the p-value.
  it.each([
    [10, 1000, 25, 1000, 2.557943557892809, 0.010529318065282926],
    [40, 2000, 140, 2000, 7.627146032604593, 2.400076676149255e-14],
    [480, 10000, 520, 10000, 1.2977713690460992, 0.1943659108031094],
    [0, 2000, 60, 2000, 7.804723286815256, 5.963223965817835e-15],
  ])('%d/%d vs %d/%d gives z = %d, p = %d', (x1, n1, x2, n2, z, p) => {
    const r = twoProportionZTest({ events: x1, trials: n1 }, { events: x2, trials: n2 });
    expectRel(r.z, z, 1e-12);
    expectRel(r.pValue, p, 1e-9);
    expect(r.differencePp).toBeCloseTo((x2 / n2 - x1 / n1) * 100, 12);
  });

  it('reports the difference in percentage points with a Wald interval around it', () => {
    const r = twoProportionZTest({ events: 40, trials: 2000 }, { events: 140, trials: 2000 });
    expect(r.differencePp).toBeCloseTo(5, 12);
    // 1.959964 · √(0.02·0.98/2000 + 0.07·0.93/2000) = 0.0127548 → ±1.27548 pp
    expect(r.ciPp[0]).toBeCloseTo(5 - 1.27548, 4);
    expect(r.ciPp[1]).toBeCloseTo(5 + 1.27548, 4);
  });

  it('returns p = 1 when neither variant has any event', () => {
    const r = twoProportionZTest({ events: 0, trials: 500 }, { events: 0, trials: 800 });
    expect(r.z).toBe(0);
    expect(r.pValue).toBe(1);
  });

  it('computes the smallest expected cell count (Cochran)', () => {
    // 3 events in 4100: expected events per row 2000·3/4100 and 2100·3/4100 → min 1.463…
    expect(minExpectedCount({ events: 0, trials: 2000 }, { events: 3, trials: 2100 })).toBeCloseTo((2000 * 3) / 4100, 12);
  });
});
