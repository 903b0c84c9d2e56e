/**
 * The exact null distribution of the Mann–Whitney U statistic for untied samples of sizes m, n.
 *
 * Counting arrangements by the largest observation (Mann & Whitney, 1947, eq. 2): if it belongs
 * to the second sample it beats all m of the first, so
 *
 *   c(u; m, n) = c(u − m; m, n − 1) + c(u; m − 1, n),   c(0; m, 0) = c(0; 0, n) = 1.
 *
 * Only additions, so the counts (up to C(100, 50) ≈ 10²⁹) keep full relative precision as
 * doubles. Cost O(m·n·mn) — fine for the sizes it is used at (≤ 50 each).
 */
export function mannWhitneyExactCounts(m: number, n: number): Float64Array {
  // prev[j] = counts for (i − 1, j); cur[j] = counts for (i, j).
  let prev: Float64Array[] = [];
  for (let j = 0; j <= n; j++) prev.push(Float64Array.of(1));
  for (let i = 1; i <= m; i++) {
    const cur: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n; j++) {
      const size = i * j + 1;
      const c = new Float64Array(size);
      const left = cur[j - 1]!; // (i, j − 1): shifted by i
      const down = prev[j]!; // (i − 1, j)
      for (let u = 0; u < left.length; u++) c[u + i]! += left[u]!;
      for (let u = 0; u < down.length; u++) c[u]! += down[u]!;
      cur.push(c);
    }
    prev = cur;
  }
  return prev[n]!;
}

/** Two-sided exact p-value: 2 · min(P(U ≤ u), P(U ≥ u)), capped at 1. */
export function mannWhitneyExactPValue(u: number, m: number, n: number): number {
  const counts = mannWhitneyExactCounts(m, n);
  let total = 0;
  let atMost = 0;
  let atLeast = 0;
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k]!;
    total += c;
    if (k <= u) atMost += c;
    if (k >= u) atLeast += c;
  }
  return Math.min(1, (2 * Math.min(atMost, atLeast)) / total);
}
