import { describe, expect, it } from 'vitest';
import { hodgesLehmannShift, mannWhitneyExactCounts, mannWhitneyU, percentile, sampleOf, weightedSample } from '../../../src/analysis/index.js';

function expectRel(actual: number, expected: number, rel = 1e-9): void {
  expect(Math.abs(actual - expected) / Math.abs(expected), `${actual} vs ${expected}`).toBeLessThan(rel);
}

// Untied samples drawn once with numpy (seed 11) and rounded to 3 decimals; references from
// scipy.stats.mannwhitneyu(y, x) 1.17 and numpy.median(numpy.subtract.outer(y, x)).
const X30 = [100.513, 120.396, 118.371, 92.345, 95.53, 92.089, 108.546, 99.159, 111.203, 72.29, 123.498, 98.554, 110.206, 97.952, 94.314, 106.947, 112.368, 96.962, 97.708, 110.285, 86.945, 77.284, 105.925, 89.942, 71.195, 87.789, 92.986, 82.102, 77.613, 100.55];
const Y25 = [125.459, 108.503, 100.846, 117.775, 122.759, 107.5, 120.17, 127.643, 108.896, 99.797, 117.215, 115.713, 128.482, 92.731, 102.076, 99.427, 85.99, 113.897, 119.917, 100.918, 132.785, 124.329, 121.411, 118.026, 126.335];

describe('Mann–Whitney U', () => {
  it('matches SciPy\'s documented example exactly (males vs females, U = 3 for the second sample, p = 1/9)', () => {
    const r = mannWhitneyU(sampleOf([19, 22, 16, 29, 24]), sampleOf([20, 11, 17, 12]));
    expect(r.method).toBe('exact');
    expect(r.u).toBe(3);
    expectRel(r.pValue, 0.1111111111111111, 1e-12);
  });

  it('matches SciPy\'s exact p-value for untied samples of 30 and 25', () => {
    const r = mannWhitneyU(sampleOf(X30), sampleOf(Y25));
    expect(r.method).toBe('exact');
    expect(r.u).toBe(607);
    expectRel(r.pValue, 4.6176632084209334e-5, 1e-9);
    expect(r.probabilityOfSuperiority).toBeCloseTo(607 / 750, 12);
  });

  it('matches SciPy\'s tie-corrected normal approximation when there are ties', () => {
    const r = mannWhitneyU(sampleOf([1, 2, 2, 3, 3, 3, 4, 4, 5, 9]), sampleOf([2, 3, 4, 4, 5, 5, 6, 7, 7, 8, 10]));
    expect(r.method).toBe('normal');
    expect(r.ties).toBe(true);
    expect(r.u).toBe(83.5);
    expectRel(r.pValue, 0.046532394898596466, 1e-9);
    expect(r.z).toBeGreaterThan(0);
  });

  it('gives the same answer from weighted values as from the raw observations', () => {
    const raw = mannWhitneyU(sampleOf([1, 2, 2, 3, 3, 3, 4, 4, 5, 9]), sampleOf([2, 3, 4, 4, 5, 5, 6, 7, 7, 8, 10]));
    const weighted = mannWhitneyU(
      weightedSample([[3, 3], [1, 1], [2, 2], [4, 2], [5, 1], [9, 1]]),
      weightedSample([[2, 1], [3, 1], [4, 2], [5, 2], [6, 1], [7, 2], [8, 1], [10, 1]]),
    );
    expect(weighted).toEqual(raw);
  });

  it('counts the exact null distribution by the Mann–Whitney recurrence (m = 2, n = 3: 1 1 2 2 2 1 1)', () => {
    // Mann & Whitney (1947), table I: the C(5, 2) = 10 arrangements by U.
    expect([...mannWhitneyExactCounts(2, 3)]).toEqual([1, 1, 2, 2, 2, 1, 1]);
  });

  it('returns p = 1 when every observation is the same value', () => {
    const r = mannWhitneyU(weightedSample([[5, 1000]]), weightedSample([[5, 800]]));
    expect(r.pValue).toBe(1);
    expect(r.z).toBe(0);
  });

  it('handles ten million observations per side from histograms in milliseconds', () => {
    const buckets = (shift: number) => weightedSample(Array.from({ length: 3000 }, (_, i) => [i * 0.01 + shift, 10_000_000 / 3000] as const));
    const t0 = performance.now();
    const r = mannWhitneyU(buckets(0), buckets(0.5));
    expect(performance.now() - t0).toBeLessThan(500);
    expect(r.pValue).toBeLessThan(1e-100);
  });
});

describe('Hodges–Lehmann shift', () => {
  it.each([
    ['30 vs 25 untied', X30, Y25, 16.173500000000004],
    ['5 vs 4 (even number of pairs averages the middle two)', [19, 22, 16, 29, 24], [20, 11, 17, 12], -7],
    ['with ties', [1, 2, 2, 3, 3, 3, 4, 4, 5, 9], [2, 3, 4, 4, 5, 5, 6, 7, 7, 8, 10], 2],
  ])('matches the median of all pairwise differences (%s)', (_name, x, y, expected) => {
    expect(hodgesLehmannShift(sampleOf(x), sampleOf(y))).toBeCloseTo(expected, 9);
  });

  it('agrees with brute force on weighted samples large enough to need bisection', () => {
    const x = weightedSample(Array.from({ length: 400 }, (_, i) => [i * 0.37, 1 + (i % 7)] as const));
    const y = weightedSample(Array.from({ length: 300 }, (_, i) => [5 + i * 0.41, 1 + (i % 5)] as const));
    const diffs: Array<[number, number]> = [];
    x.values.forEach((xv, i) => y.values.forEach((yv, j) => diffs.push([yv - xv, x.counts[i]! * y.counts[j]!])));
    diffs.sort((a, b) => a[0] - b[0]);
    const total = x.total * y.total;
    const kth = (k: number): number => {
      let seen = 0;
      for (const [d, w] of diffs) if ((seen += w) >= k) return d;
      return Number.NaN;
    };
    const expected = (kth(Math.floor((total + 1) / 2)) + kth(Math.floor(total / 2) + 1)) / 2;
    expect(hodgesLehmannShift(x, y)).toBe(expected);
  });

  it('recovers a constant shift added to every observation', () => {
    const base = Array.from({ length: 2000 }, (_, i) => [1 + i * 0.05, 50] as const);
    const shifted = base.map(([v, c]) => [v + 12, c] as const);
    expect(hodgesLehmannShift(weightedSample(base), weightedSample(shifted))).toBeCloseTo(12, 9);
  });
});

describe('percentile (nearest rank, as HDR Histogram)', () => {
  it('picks the smallest value whose cumulative count reaches ⌈p·N⌉', () => {
    const s = sampleOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(percentile(s, 50)).toBe(5);
    expect(percentile(s, 95)).toBe(10);
    expect(percentile(s, 0)).toBe(1);
    expect(percentile(weightedSample([[4, 90], [40, 10]]), 90)).toBe(4);
    expect(percentile(weightedSample([[4, 90], [40, 10]]), 91)).toBe(40);
    expect(Number.isNaN(percentile(sampleOf([]), 50))).toBe(true);
  });
});
