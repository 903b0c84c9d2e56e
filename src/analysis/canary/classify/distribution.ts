import type { DistributionMetricConfig } from '../config.js';
import type { MetricResult } from '../result.js';
import { fisherExact, homogeneityTest } from '../stats/index.js';
import { decide } from './decide.js';
import { fmt, fmtP } from './format.js';
import { baseResult, nodata } from './shared.js';

export const POOLED = '(other)';

/**
 * The error-code mix, compared as two distributions over the normalised codes: declines turning
 * into provider errors while the total error rate stays flat is a regression no rate metric
 * sees. A chi-square (or G) test of homogeneity decides whether the mix moved; the total
 * variation distance in pp decides whether it moved enough to matter; adjusted residuals,
 * Bonferroni-corrected over the K codes, name the codes that moved.
 */
export function classifyDistribution(
  metric: DistributionMetricConfig,
  alpha: number,
  baseline?: Readonly<Record<string, number>>,
  canary?: Readonly<Record<string, number>>,
): MetricResult {
  const n1 = baseline ? sum(baseline) : 0;
  const n2 = canary ? sum(canary) : 0;
  const base = baseResult(metric, n1, n2, metric.minErrors);
  if (!baseline || !canary || n1 < metric.minErrors || n2 < metric.minErrors) {
    return nodata(base, `fewer than ${metric.minErrors} errors in a variant to compare their codes (baseline ${n1}, canary ${n2})`);
  }
  const { row1, row2, pooled } = poolSparse(baseline, canary, metric.minExpected);
  const categories = Object.keys(row1);
  if (categories.length < 2) {
    const codes = categories[0] === POOLED ? pooled : categories;
    if (codes.length <= 1) {
      return { ...base, classification: 'pass', reason: `every error in both variants has the same code (${codes[0] ?? 'none'}): the mix cannot have moved` };
    }
    // Every code was too rare to test alone and all went into one "(other)": no test is possible,
    // but the mix may still have moved completely (other codes in the canary than in the baseline).
    const shiftPp = totalVariationPp(baseline, canary, n1, n2);
    const { classification, why } = decide({ significant: false, material: shiftPp > metric.maxShiftPp ? 'high' : undefined, direction: 'either' });
    return {
      ...base,
      classification,
      reason:
        `error-code mix shifted ${fmt(shiftPp, 2)} pp (tolerance ${fmt(metric.maxShiftPp)} pp), but each of its ${codes.length} codes is too rare ` +
        `(expected count < ${fmt(metric.minExpected)}) to test: ${why}`,
    };
  }
  const h = homogeneityTest(row1, row2, metric.test);
  // A 2×2 table with a small expected count: the exact test, not the χ² approximation.
  const smallest = Math.min(...categories.map((k) => (Math.min(n1, n2) * (row1[k]! + row2[k]!)) / (n1 + n2)));
  const exact = categories.length === 2 && smallest < 5;
  const first = categories[0]!;
  const pValue = exact ? fisherExact({ events: row1[first]!, trials: n1 }, { events: row2[first]!, trials: n2 }).pValue : h.pValue;

  const moved = h.categories.filter((c) => c.pValue < alpha / h.categories.length).map((c) => c.category);
  const material = h.shiftPp > metric.maxShiftPp ? 'high' : undefined;
  const { classification, why } = decide({ significant: pValue < alpha, material, direction: 'either' });
  const top = h.categories
    .slice(0, 3)
    .map((c) => `${c.category} ${fmt(c.share1 * 100, 1)}% → ${fmt(c.share2 * 100, 1)}%`)
    .join(', ');
  const movedText = classification === 'high' && moved.length > 0 ? `; moved: ${moved.join(', ')}` : '';
  return {
    ...base,
    classification,
    reason:
      `error-code mix shifted ${fmt(h.shiftPp, 2)} pp (tolerance ${fmt(metric.maxShiftPp)} pp; ${top}); ` +
      `${exact ? "Fisher's exact test" : metric.test} ${fmtP(pValue)} (alpha ${alpha}): ${why}${movedText}`,
    test: exact
      ? { name: 'fisher-exact', statistic: null, pValue, alpha }
      : { name: metric.test, statistic: h.statistic, pValue, alpha, degreesOfFreedom: h.degreesOfFreedom },
    effect: { kind: 'distribution', shiftPp: h.shiftPp, maxShiftPp: metric.maxShiftPp, cramersV: h.cramersV, pooled, moved, codes: h.categories },
  };
}

/** Pool codes whose expected count is below minExpected in either row into "(other)" (Cochran's rule). */
export function poolSparse(
  baseline: Readonly<Record<string, number>>,
  canary: Readonly<Record<string, number>>,
  minExpected: number,
): { row1: Record<string, number>; row2: Record<string, number>; pooled: string[] } {
  const n1 = sum(baseline);
  const n2 = sum(canary);
  const n = n1 + n2;
  const row1: Record<string, number> = {};
  const row2: Record<string, number> = {};
  const pooled: string[] = [];
  const codes = [...new Set([...Object.keys(baseline), ...Object.keys(canary)])].sort();
  for (const code of codes) {
    const a = baseline[code] ?? 0;
    const b = canary[code] ?? 0;
    if (a + b === 0) continue;
    const expected = (Math.min(n1, n2) * (a + b)) / n;
    const key = expected < minExpected ? POOLED : code;
    if (key === POOLED) pooled.push(code);
    row1[key] = (row1[key] ?? 0) + a;
    row2[key] = (row2[key] ?? 0) + b;
  }
  return { row1, row2, pooled };
}

/** ½Σ|share₂ − share₁| over the codes as given, in pp. */
function totalVariationPp(baseline: Readonly<Record<string, number>>, canary: Readonly<Record<string, number>>, n1: number, n2: number): number {
  let tvd = 0;
  for (const code of new Set([...Object.keys(baseline), ...Object.keys(canary)])) tvd += Math.abs((canary[code] ?? 0) / n2 - (baseline[code] ?? 0) / n1) / 2;
  return tvd * 100;
}

function sum(counts: Readonly<Record<string, number>>): number {
  let s = 0;
  for (const v of Object.values(counts)) s += v;
  return s;
}
