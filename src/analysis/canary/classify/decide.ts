import type { Direction } from '../config.js';
import type { Classification } from '../result.js';

export interface Evidence {
  /** p < alpha, with the test's sign agreeing with the material direction. */
  readonly significant: boolean;
  /** Which way the effect crossed its tolerance, if it did. */
  readonly material: 'high' | 'low' | undefined;
  readonly direction: Direction;
}

/**
 * The rule every metric kind shares — statistical significance alone never fails a canary,
 * and a large effect alone never passes one:
 *
 *                      within tolerance   beyond tolerance (harmful direction)
 *   significant        pass ("tiny")      high / low
 *   not significant    pass               inconclusive ("large but noisy")
 *
 * A change in the direction the metric allows (latency falling, success rate rising) passes.
 */
export function decide(e: Evidence): { classification: Classification; why: string } {
  if (e.material === undefined) {
    return { classification: 'pass', why: e.significant ? 'a statistically significant change, but within tolerance' : 'within tolerance' };
  }
  if ((e.direction === 'increase' && e.material === 'low') || (e.direction === 'decrease' && e.material === 'high')) {
    return { classification: 'pass', why: `${e.material === 'low' ? 'lower' : 'higher'}, which direction "${e.direction}" allows` };
  }
  if (e.significant) return { classification: e.material, why: 'beyond tolerance and statistically significant' };
  return { classification: 'inconclusive', why: 'beyond tolerance but not statistically significant: more data is needed' };
}
