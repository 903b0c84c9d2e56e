import { assertProportion, type Proportion } from './two-proportion.js';

export interface FisherExactResult {
  /** Two-sided p-value; 0 when it is below ~1e-300 (beyond double precision). */
  readonly pValue: number;
  /** Conditional-free sample odds ratio (b.events·a.non) / (a.events·b.non); Infinity or NaN at zeros. */
  readonly oddsRatio: number;
}

/**
 * Fisher's exact test, two-sided, for the 2×2 table
 *
 *              events      non-events
 *   a (row 1)  x₁          n₁ − x₁
 *   b (row 2)  x₂          n₂ − x₂
 *
 * Given the margins, x₁ is hypergeometric: P(x) = C(n₁, x) C(n₂, m − x) / C(N, m), m = x₁ + x₂.
 * The two-sided p-value sums P(x) over every table no more likely than the observed one, with
 * the relative tolerance 1e-7 R and SciPy use so ties in probability are not lost to rounding.
 *
 * Rather than evaluating each P(x) through log-factorials, we walk out from the mode with the
 * ratio P(x+1)/P(x) = (n₁ − x)(m − x) / ((x + 1)(n₂ − m + x + 1)) and normalise by the sum:
 * exact up to rounding, no cancellation, and O(√N) steps because terms beyond ~38 standard
 * deviations underflow and are dropped. This is what keeps it usable at millions of requests.
 */
export function fisherExact(a: Proportion, b: Proportion): FisherExactResult {
  assertProportion(a);
  assertProportion(b);
  const n1 = a.trials;
  const n2 = b.trials;
  const m = a.events + b.events;
  const lo = Math.max(0, m - n2);
  const hi = Math.min(n1, m);
  const oddsRatio = (b.events * (n1 - a.events)) / (a.events * (n2 - b.events));
  if (lo === hi) return { pValue: 1, oddsRatio };

  const up = (x: number): number => ((n1 - x) * (m - x)) / ((x + 1) * (n2 - m + x + 1));
  const mode = Math.min(hi, Math.max(lo, Math.floor(((n1 + 1) * (m + 1)) / (n1 + n2 + 2))));
  const CUTOFF = 1e-300;

  // Relative probabilities (mode = 1), one side at a time.
  const right: number[] = [];
  for (let x = mode, r = 1; x < hi; x++) {
    r *= up(x);
    if (r < CUTOFF) break;
    right.push(r);
  }
  const left: number[] = [];
  for (let x = mode, r = 1; x > lo; x--) {
    r /= up(x - 1);
    if (r < CUTOFF) break;
    left.push(r);
  }
  const relAt = (x: number): number | undefined => (x === mode ? 1 : x > mode ? right[x - mode - 1] : left[mode - x - 1]);
  const observed = relAt(a.events);
  if (observed === undefined) return { pValue: 0, oddsRatio };

  const limit = observed * (1 + 1e-7);
  let total = 1;
  let tail = 1 <= limit ? 1 : 0; // the mode itself
  for (const r of right) {
    total += r;
    if (r <= limit) tail += r;
  }
  for (const r of left) {
    total += r;
    if (r <= limit) tail += r;
  }
  return { pValue: Math.min(1, tail / total), oddsRatio };
}
