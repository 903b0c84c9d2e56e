import { describe, expect, it } from 'vitest';
import { chiSquareSf, gammaQ, lnGamma, normalQuantile, normalSf } from '../../../src/analysis/index.js';

/** Relative closeness, so tail probabilities like 1e-89 are checked to their own precision. */
function expectRel(actual: number, expected: number, rel = 1e-9): void {
  if (expected === 0) expect(Math.abs(actual)).toBeLessThan(1e-300);
  else expect(Math.abs(actual - expected) / Math.abs(expected), `${actual} vs ${expected}`).toBeLessThan(rel);
}

// Reference values: Python 3 math.lgamma and SciPy 1.17 (special.gammaincc, stats.norm, stats.chi2),
// an implementation independent of ours (Cephes).
describe('special functions', () => {
  it.each([
    [0.1, 2.2527126517342055],
    [0.5, 0.5723649429247004],
    [1, 0],
    [1.5, -0.12078223763524543],
    [2.5, 0.2846828704729196],
    [10, 12.801827480081467],
    [100.5, 361.4355404677776],
    [4001, 29181.264544594702],
    [1e6, 12815504.569147611],
  ])('lnGamma(%d) matches math.lgamma', (x, expected) => {
    if (expected === 0) expect(Math.abs(lnGamma(x))).toBeLessThan(1e-14);
    else expectRel(lnGamma(x), expected, 1e-13);
  });

  it.each([
    [0.5, 0.1, 0.6547208460185768],
    [0.5, 2, 0.04550026389635857],
    [3, 1, 0.9196986029286058],
    [3, 10, 0.0027693957155115775],
    [10, 3, 0.9988975118698845],
    [50, 80, 0.0001307839765914092],
    [0.5, 200, 5.507248237212379e-89],
  ])('gammaQ(%d, %d) matches scipy.special.gammaincc', (a, x, expected) => {
    expectRel(gammaQ(a, x), expected, 1e-10);
  });

  it.each([
    [0, 0.5],
    [0.5, 0.3085375387259869],
    [1.96, 0.024997895148220435],
    [3, 0.0013498980316300933],
    [5, 2.866515718791933e-7],
    [10, 7.61985302416047e-24],
    [20, 2.7536241186061556e-89],
    [-1.5, 0.9331927987311419],
  ])('normalSf(%d) matches scipy.stats.norm.sf, far into the tail', (z, expected) => {
    expectRel(normalSf(z), expected, 1e-10);
  });

  it.each([
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.025, -1.9599639845400545],
    [1e-6, -4.753424308822899],
  ])('normalQuantile(%d) matches scipy.stats.norm.ppf', (p, expected) => {
    expectRel(normalQuantile(p), expected, 1e-9);
  });

  it.each([
    [3.84, 1, 0.05004352124870519],
    [10, 3, 0.01856613546304325],
    [0.5, 2, 0.7788007830714049],
    [100, 5, 5.285148360943219e-20],
    [30, 18, 0.037446493479672875],
  ])('chiSquareSf(%d, %d) matches scipy.stats.chi2.sf', (x, k, expected) => {
    expectRel(chiSquareSf(x, k), expected, 1e-10);
  });
});
