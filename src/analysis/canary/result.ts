import type { CategoryShift } from './stats/index.js';

/**
 * What the judge says, and why. Every field is plain JSON (non-finite numbers are null), so a
 * report is written to results.json, returned over HTTP and rendered as Markdown unchanged.
 */

/**
 * Kayenta's classes plus one: `inconclusive` is a change beyond tolerance that is not (yet)
 * statistically significant — "large but noisy". It is never a pass.
 */
export type Classification = 'pass' | 'high' | 'low' | 'nodata' | 'inconclusive';
export type Verdict = 'pass' | 'marginal' | 'fail' | 'inconclusive';

export interface TestReport {
  readonly name: 'fisher-exact' | 'two-proportion-z' | 'mann-whitney-u' | 'chi-square' | 'g-test';
  /** z for the z and Mann–Whitney tests, X² or G for the homogeneity tests; null for Fisher. */
  readonly statistic: number | null;
  readonly pValue: number;
  readonly alpha: number;
  readonly method?: 'exact' | 'normal';
  readonly degreesOfFreedom?: number;
}

export interface ProportionEffect {
  readonly kind: 'proportion';
  readonly baselineRate: number;
  readonly canaryRate: number;
  /** canary − baseline, percentage points. */
  readonly differencePp: number;
  readonly tolerancePp: number;
  /** 95% Wald interval of the difference, pp. */
  readonly ciPp: readonly [number, number];
}

export interface LatencyEffect {
  readonly kind: 'latency';
  readonly percentile: number;
  readonly baselineMs: number;
  readonly canaryMs: number;
  /** canary / baseline at the percentile; null when the baseline's is 0 and the canary's is not. */
  readonly ratio: number | null;
  readonly maxRatio: number;
  /** Hodges–Lehmann shift, canary − baseline, ms. */
  readonly shiftMs: number;
  readonly maxShiftMs: number | null;
  /** P(a canary request is slower than a baseline one) + ½P(tie); 0.5 = no difference. */
  readonly probabilityCanarySlower: number;
}

export interface DistributionEffect {
  readonly kind: 'distribution';
  /** Total variation distance of the two error-code distributions, pp. */
  readonly shiftPp: number;
  readonly maxShiftPp: number;
  readonly cramersV: number;
  /** Codes pooled into "(other)" because they were too rare to test alone. */
  readonly pooled: readonly string[];
  /** The codes whose share moved significantly (Bonferroni-adjusted residuals), biggest first. */
  readonly moved: readonly string[];
  readonly codes: readonly CategoryShift[];
}

export type Effect = ProportionEffect | LatencyEffect | DistributionEffect;

export interface MetricResult {
  readonly name: string;
  readonly kind: 'proportion' | 'latency' | 'distribution';
  readonly group: string;
  readonly direction: 'increase' | 'decrease' | 'either';
  readonly critical: boolean;
  readonly mustHaveData: boolean;
  readonly classification: Classification;
  /** One sentence a release manager can read: what was seen, against which threshold. */
  readonly reason: string;
  readonly samples: { readonly baseline: number; readonly canary: number; readonly minimum: number };
  readonly test: TestReport | null;
  readonly effect: Effect | null;
}

export interface GroupResult {
  readonly name: string;
  readonly weight: number;
  /** 0–100, or null when none of its metrics could be scored. */
  readonly score: number | null;
  readonly passed: number;
  readonly failed: number;
  /** nodata and inconclusive metrics: reported, not scored. */
  readonly unscored: number;
}

export interface JudgeReport {
  readonly verdict: Verdict;
  /** Weighted mean of group scores, 0–100; null when no metric could be scored. */
  readonly score: number | null;
  readonly thresholds: { readonly pass: number; readonly marginal: number };
  /** Why the verdict is what it is, most decisive first. */
  readonly reasons: readonly string[];
  readonly groups: readonly GroupResult[];
  readonly metrics: readonly MetricResult[];
}
