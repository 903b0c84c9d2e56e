import type { WeightedSample } from './weighted-sample.js';

/**
 * The Hodges–Lehmann estimate of the shift between two samples: the median of all pairwise
 * differences y_j − x_i (Hodges & Lehmann, 1963; Hollander & Wolfe, "Nonparametric Statistical
 * Methods", §4.2). It is the shift the Mann–Whitney test is about, in the metric's own unit
 * ("the canary is 12 ms slower"), and robust to the tail.
 *
 * With weights there are Σwx·Σwy pairs — 10¹⁴ for ten million samples each — so we never list
 * them. count(d) = weight of pairs with y − x ≤ d takes one two-pointer pass over the distinct
 * values (y − x is monotone in each argument, also under IEEE rounding). Bisection on d narrows
 * the interval holding the k-th smallest difference until few enough distinct pairs fall inside
 * to list and sort exactly. Cost O((K₁ + K₂) · log(range/resolution)).
 */
export function hodgesLehmannShift(x: WeightedSample, y: WeightedSample): number {
  if (x.total === 0 || y.total === 0) return Number.NaN;
  const pairs = x.total * y.total;
  // Median of an ordered list of M items: item ⌊(M+1)/2⌋ averaged with item ⌊M/2⌋+1 (1-based).
  const lower = selectDifference(x, y, Math.floor((pairs + 1) / 2));
  const upper = pairs % 2 === 0 ? selectDifference(x, y, Math.floor(pairs / 2) + 1) : lower;
  return (lower + upper) / 2;
}

/** Enumerate once no more than this many distinct (i, j) pairs remain in the interval. */
const ENUMERATE_BELOW = 20_000;

/** The k-th smallest weighted pairwise difference y − x (1-based). */
export function selectDifference(x: WeightedSample, y: WeightedSample, k: number): number {
  const xs = x.values;
  const ys = y.values;
  // suffix[i] = total weight of x values at index ≥ i
  const suffix = new Float64Array(xs.length + 1);
  for (let i = xs.length - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + x.counts[i]!;

  const countAtMost = (d: number): number => {
    let total = 0;
    let i = 0;
    for (let j = 0; j < ys.length; j++) {
      while (i < xs.length && ys[j]! - xs[i]! > d) i++;
      total += y.counts[j]! * suffix[i]!;
    }
    return total;
  };
  /** Distinct (i, j) with lo < y − x ≤ hi. */
  const pairsWithin = (lo: number, hi: number): number => {
    let n = 0;
    let a = 0; // first i with y − x ≤ hi
    let b = 0; // first i with y − x ≤ lo
    for (let j = 0; j < ys.length; j++) {
      while (a < xs.length && ys[j]! - xs[a]! > hi) a++;
      while (b < xs.length && ys[j]! - xs[b]! > lo) b++;
      n += b - a;
    }
    return n;
  };

  const minDiff = ys[0]! - xs[xs.length - 1]!;
  const maxDiff = ys[ys.length - 1]! - xs[0]!;
  if (countAtMost(minDiff) >= k) return minDiff;
  // Invariant: countAtMost(lo) < k ≤ countAtMost(hi).
  let lo = minDiff;
  let hi = maxDiff;
  for (;;) {
    if (pairsWithin(lo, hi) <= ENUMERATE_BELOW) return enumerate(lo, hi, k - countAtMost(lo));
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) return hi; // no double between them: hi is the only candidate
    if (countAtMost(mid) >= k) hi = mid;
    else lo = mid;
  }

  function enumerate(lo: number, hi: number, rank: number): number {
    const diffs: Array<[number, number]> = [];
    let a = 0;
    let b = 0;
    for (let j = 0; j < ys.length; j++) {
      while (a < xs.length && ys[j]! - xs[a]! > hi) a++;
      while (b < xs.length && ys[j]! - xs[b]! > lo) b++;
      for (let i = a; i < b; i++) diffs.push([ys[j]! - xs[i]!, y.counts[j]! * x.counts[i]!]);
    }
    diffs.sort((p, q) => p[0] - q[0]);
    let seen = 0;
    for (const [d, w] of diffs) {
      seen += w;
      if (seen >= rank) return d;
    }
    return hi;
  }
}
