import type { ProportionMetricConfig } from '../config.js';
import type { MetricResult } from '../result.js';
import { fisherExact, minExpectedCount, twoProportionZTest, type Proportion } from '../stats/index.js';
import { decide } from './decide.js';
import { fmt, fmtP } from './format.js';
import { baseResult, nodata } from './shared.js';

/**
 * A rate (errors, successes, one error code) compared as two proportions. The effect is the
 * absolute difference in percentage points — what payment teams gate on, and well defined when
 * the baseline had no errors at all (where Kayenta's ratio-based effect breaks down). Sparse
 * counts get Fisher's exact test, so three errors in a hundred against none in two thousand is
 * caught rather than lost in a rank test of mostly-zero buckets.
 */
export function classifyProportion(metric: ProportionMetricConfig, alpha: number, baseline?: Proportion, canary?: Proportion): MetricResult {
  const base = baseResult(metric, baseline?.trials ?? 0, canary?.trials ?? 0, metric.minRequests);
  if (!baseline || !canary || baseline.trials < metric.minRequests || canary.trials < metric.minRequests) {
    return nodata(base, `fewer than ${metric.minRequests} requests in a variant (baseline ${baseline?.trials ?? 0}, canary ${canary?.trials ?? 0})`);
  }
  for (const [side, p] of [['baseline', baseline], ['canary', canary]] as const) {
    if (!Number.isInteger(p.events) || p.events < 0 || p.events > p.trials) {
      return nodata(base, `the ${side}'s counts are inconsistent (${p.events} events in ${p.trials} requests)`);
    }
  }
  const z = twoProportionZTest(baseline, canary);
  const useFisher = metric.test === 'fisher' || (metric.test === 'auto' && minExpectedCount(baseline, canary) < 5);
  const pValue = useFisher ? fisherExact(baseline, canary).pValue : z.pValue;
  const material = z.differencePp > metric.tolerancePp ? 'high' : z.differencePp < -metric.tolerancePp ? 'low' : undefined;
  const { classification, why } = decide({ significant: pValue < alpha, material, direction: metric.direction });
  const testName = useFisher ? "Fisher's exact test" : 'two-proportion z-test';
  return {
    ...base,
    classification,
    reason:
      `${fmt(z.rate1 * 100)}% → ${fmt(z.rate2 * 100)}% (${z.differencePp >= 0 ? '+' : ''}${fmt(z.differencePp)} pp, tolerance ±${fmt(metric.tolerancePp)} pp); ` +
      `${testName} ${fmtP(pValue)} (alpha ${alpha}): ${why}`,
    test: { name: useFisher ? 'fisher-exact' : 'two-proportion-z', statistic: useFisher ? null : z.z, pValue, alpha },
    effect: {
      kind: 'proportion',
      baselineRate: z.rate1,
      canaryRate: z.rate2,
      differencePp: z.differencePp,
      tolerancePp: metric.tolerancePp,
      ciPp: z.ciPp,
    },
  };
}
