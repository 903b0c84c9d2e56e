import { describe, expect, it } from 'vitest';
import { homogeneityTest } from '../../../src/analysis/index.js';

function expectRel(actual: number, expected: number, rel = 1e-9): void {
  expect(Math.abs(actual - expected) / Math.abs(expected), `${actual} vs ${expected}`).toBeLessThan(rel);
}

// References: scipy.stats.chi2_contingency(table, correction=False) and with
// lambda_="log-likelihood" (the G-test), SciPy 1.17; adjusted residuals computed with numpy
// from scipy.stats.contingency.expected_freq.
describe('homogeneity of two error-code distributions', () => {
  const baseline = { card_declined: 120, insufficient_funds: 60, provider_error: 20 };
  const canary = { card_declined: 80, insufficient_funds: 58, provider_error: 62 };

  it('computes Pearson chi-square with K − 1 degrees of freedom', () => {
    const r = homogeneityTest(baseline, canary, 'chi-square');
    expectRel(r.statistic, 29.546093427035963);
    expect(r.degreesOfFreedom).toBe(2);
    expectRel(r.pValue, 3.838374376220842e-7, 1e-8);
  });

  it('computes the G-test (log-likelihood ratio)', () => {
    const r = homogeneityTest(baseline, canary, 'g-test');
    expectRel(r.statistic, 30.656241096807);
    expectRel(r.pValue, 2.2033415679971195e-7, 1e-8);
  });

  it('names the codes that moved by their adjusted residuals, largest first', () => {
    const r = homogeneityTest(baseline, canary);
    expect(r.categories.map((c) => c.category)).toEqual(['provider_error', 'card_declined', 'insufficient_funds']);
    expectRel(r.categories[0]!.residual, 5.20186167955973);
    expectRel(r.categories[1]!.residual, -4.0);
    expectRel(r.categories[2]!.residual, -0.21927768296811767, 1e-8);
    expect(r.categories[0]!.deltaPp).toBeCloseTo(21, 12);
    // total variation distance: ½(|40−60| + |29−30| + |31−10|) = 21 pp
    expect(r.shiftPp).toBeCloseTo(21, 12);
  });

  it('finds no difference between two similar 4-category tables', () => {
    const r = homogeneityTest({ a: 10, b: 20, c: 30, d: 40 }, { a: 12, b: 18, c: 33, d: 37 });
    expectRel(r.statistic, 0.5468215994531784);
    expectRel(r.pValue, 0.9084908633713743, 1e-8);
    const g = homogeneityTest({ a: 10, b: 20, c: 30, d: 40 }, { a: 12, b: 18, c: 33, d: 37 }, 'g-test');
    expectRel(g.statistic, 0.5472051487254828);
  });

  it('ignores codes empty in both rows and refuses a table it cannot test', () => {
    expect(homogeneityTest({ a: 5, b: 5, z: 0 }, { a: 5, b: 5 }).degreesOfFreedom).toBe(1);
    expect(() => homogeneityTest({ a: 5 }, { a: 7 })).toThrow(RangeError);
    expect(() => homogeneityTest({ a: 5, b: 1 }, {})).toThrow(RangeError);
  });
});
