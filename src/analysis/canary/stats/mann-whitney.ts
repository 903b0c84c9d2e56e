import { mannWhitneyExactPValue } from './mann-whitney-exact.js';
import { normalSf } from './special.js';
import type { WeightedSample } from './weighted-sample.js';

export interface MannWhitneyResult {
  /** U of the second sample (the canary): pairs (x, y) with y > x, plus half the ties. */
  readonly u: number;
  /** Standardised U (tie- and continuity-corrected); positive when the canary ranks higher. Reported for the exact method too. */
  readonly z: number;
  readonly pValue: number;
  readonly method: 'exact' | 'normal';
  readonly n1: number;
  readonly n2: number;
  /** U / (n₁n₂): P(canary > baseline) + ½P(tie), the "common-language" effect size. 0.5 = no difference. */
  readonly probabilityOfSuperiority: number;
  /** Whether the pooled sample has ties (then the exact distribution does not apply). */
  readonly ties: boolean;
}

/** Exact p-values up to this many observations per sample (without ties); above, the normal approximation is excellent. */
export const MANN_WHITNEY_EXACT_MAX = 50;

/**
 * Mann–Whitney U test, two-sided, on weighted samples (x = baseline, y = canary).
 *
 * One merge pass over the distinct values gives every midrank: a value with t tied observations
 * occupying ranks c+1 … c+t gets (2c + t + 1)/2. Then U_y = R_y − n₂(n₂+1)/2 and, under H₀,
 *
 *   E[U] = n₁n₂/2,   Var[U] = n₁n₂/12 · ((N + 1) − Σ(t³ − t) / (N(N − 1)))
 *
 * (tie correction: Lehmann, "Nonparametrics", 1975, eq. 1.32; the same as SciPy's
 * mannwhitneyu). z carries a 0.5 continuity correction toward the mean, as SciPy does by
 * default. Small untied samples get the exact null distribution instead (mann-whitney-exact.ts).
 * Cost: O(K₁ + K₂) in the number of distinct values, whatever the counts.
 */
export function mannWhitneyU(x: WeightedSample, y: WeightedSample): MannWhitneyResult {
  const n1 = x.total;
  const n2 = y.total;
  if (!(n1 > 0 && n2 > 0)) throw new RangeError(`mannWhitneyU needs two non-empty samples, got n1=${n1}, n2=${n2}`);
  const n = n1 + n2;

  let i = 0;
  let j = 0;
  let below = 0; // observations with a smaller value
  let rankSumY = 0;
  let tieSum = 0;
  while (i < x.values.length || j < y.values.length) {
    const vx = i < x.values.length ? x.values[i]! : Infinity;
    const vy = j < y.values.length ? y.values[j]! : Infinity;
    const v = Math.min(vx, vy);
    const a = vx === v ? x.counts[i++]! : 0;
    const b = vy === v ? y.counts[j++]! : 0;
    const t = a + b;
    rankSumY += b * (below + (t + 1) / 2);
    if (t > 1) tieSum += t * t * t - t;
    below += t;
  }
  const u = rankSumY - (n2 * (n2 + 1)) / 2;
  const meanU = (n1 * n2) / 2;
  const ties = tieSum > 0;
  const probabilityOfSuperiority = u / (n1 * n2);

  const variance = ((n1 * n2) / 12) * (n + 1 - tieSum / (n * (n - 1)));
  const sd = Math.sqrt(variance);
  const distance = Math.abs(u - meanU);
  const zAbs = sd > 0 ? Math.max(0, distance - 0.5) / sd : 0;
  const z = Math.sign(u - meanU) * zAbs;

  const exactOk = !ties && n1 <= MANN_WHITNEY_EXACT_MAX && n2 <= MANN_WHITNEY_EXACT_MAX && Number.isInteger(n1) && Number.isInteger(n2);
  if (exactOk) {
    return { u, z, pValue: mannWhitneyExactPValue(u, n1, n2), method: 'exact', n1, n2, probabilityOfSuperiority, ties };
  }
  // All observations tied: no evidence of any difference.
  const pValue = sd > 0 ? Math.min(1, 2 * normalSf(zAbs)) : 1;
  return { u, z, pValue, method: 'normal', n1, n2, probabilityOfSuperiority, ties };
}
