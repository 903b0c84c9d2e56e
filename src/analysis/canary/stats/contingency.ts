import { chiSquareSf, normalTwoSided } from './special.js';

export type HomogeneityTest = 'chi-square' | 'g-test';

export interface CategoryShift {
  readonly category: string;
  readonly count1: number;
  readonly count2: number;
  /** Share of the row's total, 0–1. */
  readonly share1: number;
  readonly share2: number;
  /** share2 − share1 in percentage points. */
  readonly deltaPp: number;
  /** Adjusted standardised residual of row 2's cell (Haberman, 1973): ~N(0, 1) under H₀. */
  readonly residual: number;
  /** Two-sided p-value of the residual, unadjusted. */
  readonly pValue: number;
}

export interface HomogeneityResult {
  readonly test: HomogeneityTest;
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  readonly n1: number;
  readonly n2: number;
  /** Total variation distance between the two share vectors, ½Σ|share2 − share1|, in pp. */
  readonly shiftPp: number;
  /** Cramér's V for a 2×K table: √(X² / N). */
  readonly cramersV: number;
  /** Per category, ordered by |residual| descending. */
  readonly categories: readonly CategoryShift[];
}

/**
 * Test of homogeneity for a 2×K table — do two rows (baseline, canary) share one distribution
 * over K categories (the normalised error codes)?
 *
 *   E_rk = R_r · C_k / N
 *   Pearson  X² = Σ (O − E)² / E            (no continuity correction)
 *   G-test   G  = 2 Σ O ln(O / E)           (Sokal & Rohlf, "Biometry", §17.1)
 *
 * both referred to χ² with K − 1 degrees of freedom. To name what moved, each canary cell gets
 * the adjusted standardised residual (O − E) / √(E (1 − R₂/N)(1 − C_k/N)) (Agresti, "Categorical
 * Data Analysis", §2.4.5). Categories empty in both rows are dropped. Needs ≥ 2 categories and
 * two non-empty rows; the caller pools sparse categories first (Cochran: expected counts ≥ 5).
 */
export function homogeneityTest(
  row1: Readonly<Record<string, number>>,
  row2: Readonly<Record<string, number>>,
  test: HomogeneityTest = 'chi-square',
): HomogeneityResult {
  const categories = [...new Set([...Object.keys(row1), ...Object.keys(row2)])].filter((k) => (row1[k] ?? 0) + (row2[k] ?? 0) > 0).sort();
  const o1 = categories.map((k) => row1[k] ?? 0);
  const o2 = categories.map((k) => row2[k] ?? 0);
  for (const v of [...o1, ...o2]) if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`homogeneityTest: counts must be finite and ≥ 0, got ${v}`);
  const n1 = sum(o1);
  const n2 = sum(o2);
  if (categories.length < 2 || n1 === 0 || n2 === 0) {
    throw new RangeError(`homogeneityTest needs ≥ 2 categories and two non-empty rows, got K=${categories.length}, n1=${n1}, n2=${n2}`);
  }
  const n = n1 + n2;
  let statistic = 0;
  let pearson = 0;
  const shifts: CategoryShift[] = [];
  let tvd = 0;
  categories.forEach((category, k) => {
    const c = o1[k]! + o2[k]!;
    const e1 = (n1 * c) / n;
    const e2 = (n2 * c) / n;
    pearson += (o1[k]! - e1) ** 2 / e1 + (o2[k]! - e2) ** 2 / e2;
    if (test === 'g-test') statistic += gTerm(o1[k]!, e1) + gTerm(o2[k]!, e2);
    const residual = (o2[k]! - e2) / Math.sqrt(e2 * (1 - n2 / n) * (1 - c / n));
    const share1 = o1[k]! / n1;
    const share2 = o2[k]! / n2;
    tvd += Math.abs(share2 - share1) / 2;
    shifts.push({
      category,
      count1: o1[k]!,
      count2: o2[k]!,
      share1,
      share2,
      deltaPp: (share2 - share1) * 100,
      residual: Number.isFinite(residual) ? residual : 0,
      pValue: Number.isFinite(residual) ? normalTwoSided(residual) : 1,
    });
  });
  if (test === 'chi-square') statistic = pearson;
  const degreesOfFreedom = categories.length - 1;
  shifts.sort((p, q) => Math.abs(q.residual) - Math.abs(p.residual) || p.category.localeCompare(q.category));
  return {
    test,
    statistic,
    degreesOfFreedom,
    pValue: chiSquareSf(statistic, degreesOfFreedom),
    n1,
    n2,
    shiftPp: tvd * 100,
    cramersV: Math.sqrt(pearson / n),
    categories: shifts,
  };
}

/** 2·O·ln(O/E), with the limit 0 at O = 0. */
function gTerm(observed: number, expected: number): number {
  return observed === 0 ? 0 : 2 * observed * Math.log(observed / expected);
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
