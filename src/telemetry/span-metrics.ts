import { SPAN_KIND } from './otlp-proto.js';
import { traceIdHex, type SpanRecord } from './span-record.js';
import { keepSlowest, qualifies } from '../analysis/index.js';

const msOf = (x: { readonly ms: number }): number => x.ms;

/**
 * Spans → metrics in process, the way the collector's span-metrics connector would: one series
 * per label set, each a call count and an explicit-bucket latency histogram, with exemplar trace
 * ids. Pure (no I/O, no clock), so it is tested with known-answer tables.
 *
 *   span ─► labels (service, span name, kind, variant, provider, method, outcome, error code)
 *        ─► series (new while under the cardinality limit, else the one overflow series)
 *        ─► calls++, errors, retries, failovers, histogram[bucket]++, exemplars (slowest, errored)
 *
 * Memory is bounded by construction, whatever the run's length or the spans' labels: at most
 * `maxSeries` series plus the overflow one (as the connector's aggregation_cardinality_limit,
 * whose overflow series carries otel.metric.overflow="true"), each a fixed number of buckets and
 * at most `exemplars` trace ids of each kind.
 */

/** Bucket upper bounds in ms: fine near payment latencies (ms to s), coarse beyond. */
export const SPAN_BUCKETS_MS: readonly number[] = Object.freeze([1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000, 30000, 60000]);

export interface SeriesLabels {
  readonly service: string;
  readonly span: string;
  /** 'server', 'client', 'internal', … */
  readonly kind: string;
  readonly variant: string;
  readonly provider: string;
  readonly method: string;
  readonly outcome: string;
  readonly errorCode: string;
  /** True on the one series that takes every label set beyond the cardinality limit. */
  readonly overflow?: true;
}

export interface Exemplar {
  readonly traceId: string;
  readonly ms: number;
}

export interface SeriesSnapshot {
  readonly labels: SeriesLabels;
  readonly calls: number;
  /** Spans whose status was ERROR. */
  readonly errors: number;
  /** Provider calls that repeated a call to the same provider (payment.retry, else attempt > 1 without failover). */
  readonly retries: number;
  /** Spans with payment.failover = true: on a server span a payment that left its primary; on a client span a call on a later channel. */
  readonly failovers: number;
  readonly sumMs: number;
  readonly maxMs: number;
  /** Counts per SPAN_BUCKETS_MS bound, the last one beyond the largest bound. */
  readonly buckets: readonly number[];
  /** The slowest spans of the series (slowest first). */
  readonly slowest: readonly Exemplar[];
  /** The latest errored spans (an error status, or an outcome other than succeeded), newest last. */
  readonly errored: readonly Exemplar[];
}

export interface SpanMetricsSnapshot {
  readonly spans: number;
  /** Spans that went into the overflow series. */
  readonly overflowed: number;
  readonly series: readonly SeriesSnapshot[];
}

export interface SpanMetricsOptions {
  /** Distinct label sets kept (default 2000); beyond it, one overflow series. */
  maxSeries?: number;
  /** Trace ids kept per series and kind (slowest, errored); default 3. */
  exemplars?: number;
}

interface Series {
  labels: SeriesLabels;
  calls: number;
  errors: number;
  retries: number;
  failovers: number;
  sumMs: number;
  maxMs: number;
  buckets: number[];
  slowest: Exemplar[];
  errored: Exemplar[];
}

const KIND_NAMES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const OVERFLOW_LABELS: SeriesLabels = Object.freeze({ service: '', span: '', kind: '', variant: '', provider: '', method: '', outcome: '', errorCode: '', overflow: true as const });

export class SpanMetrics {
  readonly #series = new Map<string, Series>();
  readonly #maxSeries: number;
  readonly #exemplars: number;
  #overflow: Series | undefined;
  #spans = 0;
  #overflowed = 0;

  constructor(options: SpanMetricsOptions = {}) {
    this.#maxSeries = options.maxSeries ?? 2000;
    this.#exemplars = options.exemplars ?? 3;
    if (!(Number.isInteger(this.#maxSeries) && this.#maxSeries >= 1)) throw new RangeError(`maxSeries: expected a whole number ≥ 1, got ${options.maxSeries}`);
    if (!(Number.isInteger(this.#exemplars) && this.#exemplars >= 0)) throw new RangeError(`exemplars: expected a whole number ≥ 0, got ${options.exemplars}`);
  }

  /** Count one span. Copies what it keeps: the record may be reused by the caller. */
  record(span: SpanRecord): void {
    this.#spans++;
    // A NUL cannot appear in the joined labels' own text in practice, and only needs to be unambiguous here.
    const key = `${span.service}\0${span.name}\0${span.kind}\0${span.variant}\0${span.provider}\0${span.method}\0${span.outcome}\0${span.errorCode}`;
    let series = this.#series.get(key);
    if (series === undefined) {
      if (this.#series.size < this.#maxSeries) {
        series = newSeries({ service: span.service, span: span.name, kind: KIND_NAMES[span.kind] ?? String(span.kind), variant: span.variant, provider: span.provider, method: span.method, outcome: span.outcome, errorCode: span.errorCode });
        this.#series.set(key, series);
      } else {
        this.#overflowed++;
        series = this.#overflow ??= newSeries(OVERFLOW_LABELS);
      }
    }
    const ms = span.durationMs;
    series.calls++;
    series.sumMs += ms;
    if (ms > series.maxMs) series.maxMs = ms;
    series.buckets[bucketOf(ms)]!++;
    if (span.statusError) series.errors++;
    if (span.failover) series.failovers++;
    if (span.kind === SPAN_KIND.CLIENT && (span.retry ?? (span.attempt > 1 && !span.failover))) series.retries++;
    if (this.#exemplars === 0) return;
    const slowest = series.slowest;
    if (qualifies(slowest, this.#exemplars, ms, msOf)) keepSlowest(slowest, { traceId: traceIdHex(span.traceId), ms }, this.#exemplars, msOf);
    if (span.statusError || (span.outcome !== '' && span.outcome !== 'succeeded')) {
      series.errored.push({ traceId: traceIdHex(span.traceId), ms });
      if (series.errored.length > this.#exemplars) series.errored.shift();
    }
  }

  snapshot(): SpanMetricsSnapshot {
    const copy = (s: Series): SeriesSnapshot => ({ ...s, buckets: [...s.buckets], slowest: [...s.slowest], errored: [...s.errored] });
    return {
      spans: this.#spans,
      overflowed: this.#overflowed,
      series: [...[...this.#series.values()].map(copy), ...(this.#overflow ? [copy(this.#overflow)] : [])],
    };
  }
}

function newSeries(labels: SeriesLabels): Series {
  return { labels, calls: 0, errors: 0, retries: 0, failovers: 0, sumMs: 0, maxMs: 0, buckets: new Array<number>(SPAN_BUCKETS_MS.length + 1).fill(0), slowest: [], errored: [] };
}

/** The first bound ≥ ms (binary search), or the overflow bucket. */
function bucketOf(ms: number): number {
  let lo = 0;
  let hi = SPAN_BUCKETS_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (SPAN_BUCKETS_MS[mid]! >= ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The q-quantile (0..1) of merged bucket counts, interpolated linearly inside its bucket as
 * Prometheus' histogram_quantile does, and never above the largest span seen.
 */
export function quantileOfBuckets(buckets: readonly number[], q: number, maxMs: number): number {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const n = buckets[i]!;
    if (n > 0 && seen + n >= rank) {
      const lower = i === 0 ? 0 : SPAN_BUCKETS_MS[i - 1]!;
      const upper = i < SPAN_BUCKETS_MS.length ? SPAN_BUCKETS_MS[i]! : maxMs;
      return Math.min(maxMs, lower + (upper - lower) * ((rank - seen) / n));
    }
    seen += n;
  }
  return maxMs;
}
