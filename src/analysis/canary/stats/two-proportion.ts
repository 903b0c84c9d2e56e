import { normalQuantile, normalTwoSided } from './special.js';

/** x events out of n trials. */
export interface Proportion {
  readonly events: number;
  readonly trials: number;
}

export interface TwoProportionResult {
  /** z = (p₂ − p₁) / SE_pooled: positive when the second proportion (the canary) is higher. */
  readonly z: number;
  /** Two-sided p-value from the normal approximation. */
  readonly pValue: number;
  readonly rate1: number;
  readonly rate2: number;
  /** p₂ − p₁ in percentage points, the figure payment teams gate on. */
  readonly differencePp: number;
  /** Wald (unpooled) confidence interval of p₂ − p₁, in percentage points. */
  readonly ciPp: readonly [number, number];
}

/**
 * Two-proportion z-test with the pooled standard error (e.g. Agresti, "An Introduction to
 * Categorical Data Analysis", §2.2; the same as statsmodels' proportions_ztest):
 *
 *   p̂ = (x₁ + x₂) / (n₁ + n₂),   SE = √(p̂(1 − p̂)(1/n₁ + 1/n₂)),   z = (x₂/n₂ − x₁/n₁) / SE.
 *
 * The interval uses the unpooled SE √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂), as the test's null does not
 * hold for an estimate. When both rates are 0% or both 100% there is no variance: z = 0, p = 1.
 * Valid when every expected cell count is ≥ 5; below that use fisherExact.
 */
export function twoProportionZTest(a: Proportion, b: Proportion, confidence = 0.95): TwoProportionResult {
  assertProportion(a);
  assertProportion(b);
  const r1 = a.events / a.trials;
  const r2 = b.events / b.trials;
  const pooled = (a.events + b.events) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  const z = se === 0 ? 0 : (r2 - r1) / se;
  const seUnpooled = Math.sqrt((r1 * (1 - r1)) / a.trials + (r2 * (1 - r2)) / b.trials);
  const zCrit = normalQuantile(1 - (1 - confidence) / 2);
  const diff = r2 - r1;
  return {
    z,
    pValue: se === 0 ? 1 : normalTwoSided(z),
    rate1: r1,
    rate2: r2,
    differencePp: diff * 100,
    ciPp: [(diff - zCrit * seUnpooled) * 100, (diff + zCrit * seUnpooled) * 100],
  };
}

/** Smallest expected cell count of the 2×2 table (Cochran's rule: the z-test wants ≥ 5). */
export function minExpectedCount(a: Proportion, b: Proportion): number {
  const n = a.trials + b.trials;
  const events = a.events + b.events;
  const nonEvents = n - events;
  return Math.min(a.trials, b.trials) * Math.min(events, nonEvents) / n;
}

export function assertProportion(p: Proportion): void {
  if (!Number.isInteger(p.events) || !Number.isInteger(p.trials) || p.trials <= 0 || p.events < 0 || p.events > p.trials) {
    throw new RangeError(`a proportion needs integers 0 ≤ events ≤ trials and trials > 0, got ${p.events}/${p.trials}`);
  }
}
