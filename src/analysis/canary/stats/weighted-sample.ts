/**
 * A sample as distinct values with counts — the shape an HDR histogram already has. Rank
 * statistics, percentiles and the Hodges–Lehmann shift all work on this form, so ten million
 * latencies cost what their few thousand distinct histogram buckets cost.
 *
 * Invariants: `values` strictly ascending and finite; every count > 0; total = Σ counts.
 */
export interface WeightedSample {
  readonly values: Float64Array;
  readonly counts: Float64Array;
  readonly total: number;
}

/** Build from (value, count) pairs in any order; equal values merge, zero counts drop. */
export function weightedSample(pairs: Iterable<readonly [number, number]>): WeightedSample {
  const list: Array<readonly [number, number]> = [];
  for (const [value, count] of pairs) {
    if (!Number.isFinite(value)) throw new RangeError(`weighted sample: value must be finite, got ${value}`);
    if (!(count >= 0) || !Number.isFinite(count)) throw new RangeError(`weighted sample: count must be ≥ 0, got ${count}`);
    if (count > 0) list.push([value, count]);
  }
  list.sort((x, y) => x[0] - y[0]);
  const values: number[] = [];
  const counts: number[] = [];
  for (const [value, count] of list) {
    if (values.length > 0 && values[values.length - 1] === value) counts[counts.length - 1]! += count;
    else {
      values.push(value);
      counts.push(count);
    }
  }
  return freeze(Float64Array.from(values), Float64Array.from(counts));
}

/** Build from raw observations (each counts once). */
export function sampleOf(observations: Iterable<number>): WeightedSample {
  const sorted = Float64Array.from(observations).sort();
  const values: number[] = [];
  const counts: number[] = [];
  for (const v of sorted) {
    if (!Number.isFinite(v)) throw new RangeError(`sample: value must be finite, got ${v}`);
    if (values.length > 0 && values[values.length - 1] === v) counts[counts.length - 1]! += 1;
    else {
      values.push(v);
      counts.push(1);
    }
  }
  return freeze(Float64Array.from(values), Float64Array.from(counts));
}

export const EMPTY_SAMPLE: WeightedSample = freeze(new Float64Array(0), new Float64Array(0));

function freeze(values: Float64Array, counts: Float64Array): WeightedSample {
  let total = 0;
  for (const c of counts) total += c;
  return Object.freeze({ values, counts, total });
}

/**
 * The p-th percentile (0–100) by nearest rank — the smallest value whose cumulative count
 * reaches ⌈p/100 · N⌉ — the definition HDR Histogram uses, so a ratio of our p95s agrees with
 * the p95 in results.json. NaN for an empty sample.
 */
export function percentile(sample: WeightedSample, p: number): number {
  if (sample.total === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sample.total));
  let cumulative = 0;
  for (let i = 0; i < sample.values.length; i++) {
    cumulative += sample.counts[i]!;
    if (cumulative >= rank) return sample.values[i]!;
  }
  return sample.values[sample.values.length - 1]!;
}

export function mean(sample: WeightedSample): number {
  if (sample.total === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < sample.values.length; i++) sum += sample.values[i]! * sample.counts[i]!;
  return sum / sample.total;
}
