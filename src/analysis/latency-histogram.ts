import * as hdr from 'hdr-histogram-js';

/**
 * A latency histogram in milliseconds over HDR Histogram (recorded internally in microseconds,
 * 3 significant digits, 1 µs … 1 h; 32-bit counts: ~95 KB and ~150 ns a record, where the
 * "packed" layout is 2 KB smaller per bucket set but 15× slower — see bench/aggregator.ts). Memory is fixed whatever the sample count, histograms
 * merge exactly (so shards and replicas combine), and they serialise to HDR's compressed
 * base64 so results.json keeps whole distributions for rank tests.
 */
const MAX_US = 3_600_000_000;

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

export interface HistogramPrecision {
  /** Significant decimal digits kept (1–5). 3 by default; 2 for short-lived per-second buckets. */
  digits?: number;
}

export class LatencyHistogram {
  readonly #h: hdr.Histogram;
  #clamped = 0;

  constructor(precision: HistogramPrecision = {}, from?: hdr.Histogram) {
    this.#h = from ?? hdr.build({ bitBucketSize: 32, lowestDiscernibleValue: 1, highestTrackableValue: MAX_US, numberOfSignificantValueDigits: (precision.digits ?? 3) as 1 | 2 | 3 | 4 | 5, useWebAssembly: false });
  }

  /** Record one latency in ms. Values beyond an hour are clamped (and counted) rather than thrown away. */
  record(ms: number, count = 1): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    let us = Math.max(1, Math.round(ms * 1000));
    if (us > MAX_US) {
      us = MAX_US;
      this.#clamped += count;
    }
    this.#h.recordValueWithCount(us, count);
  }

  add(other: LatencyHistogram): void {
    this.#h.add(other.#h);
    this.#clamped += other.#clamped;
  }

  get count(): number {
    return this.#h.totalCount;
  }

  /** Latency at a percentile (0–100) in ms; 0 when empty. */
  percentile(p: number): number {
    // HDR reports the highest value equivalent to the bucket; never report above the true max.
    return this.#h.totalCount === 0 ? 0 : Math.min(this.#h.getValueAtPercentile(p), this.#h.maxValue) / 1000;
  }

  summary(): LatencySummary {
    const empty = this.#h.totalCount === 0;
    const at = (p: number): number => round3(this.percentile(p));
    return {
      count: this.#h.totalCount,
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
      p999: at(99.9),
      max: empty ? 0 : round3(this.#h.maxValue / 1000),
      mean: empty ? 0 : round3(this.#h.mean / 1000),
    };
  }

  /** The distribution as (value ms, count) pairs, ascending: input for rank statistics. */
  weightedValues(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const h = this.#h as hdr.Histogram & { recordedValuesIterator?: { reset(): void; hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } }; medianEquivalentValue?(v: number): number };
    const it = h.recordedValuesIterator;
    if (!it) return out;
    it.reset();
    while (it.hasNext()) {
      const v = it.next();
      const median = h.medianEquivalentValue ? h.medianEquivalentValue(v.valueIteratedTo) : v.valueIteratedTo;
      out.push([median / 1000, v.countAtValueIteratedTo]);
    }
    return out;
  }

  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.#h);
  }

  static decode(base64: string): LatencyHistogram {
    const decoded = hdr.decodeFromCompressedBase64(base64, 32, false);
    const into = new LatencyHistogram();
    into.#h.add(decoded);
    return into;
  }
}

export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
