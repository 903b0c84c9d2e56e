import { SPAN_BUCKETS_MS, type SeriesSnapshot, type SpanMetricsSnapshot } from './span-metrics.js';

/**
 * What arrived between two snapshots of the same span-metrics (a receiver another process keeps
 * running: `paychaos up`'s, read by a run attached to it). Counters and buckets subtract exactly;
 * the largest span and the exemplars can only be narrowed: trace ids already in `before` are
 * dropped, and the max is capped at the upper bound of the highest bucket that grew. Pure.
 */
export function snapshotSince(after: SpanMetricsSnapshot, before: SpanMetricsSnapshot): SpanMetricsSnapshot {
  const earlier = new Map(before.series.map((s) => [labelKey(s), s]));
  const series: SeriesSnapshot[] = [];
  for (const s of after.series) {
    const b = earlier.get(labelKey(s));
    if (!b) {
      series.push(s);
      continue;
    }
    const calls = s.calls - b.calls;
    if (calls <= 0) continue;
    const buckets = s.buckets.map((n, i) => n - (b.buckets[i] ?? 0));
    const top = buckets.findLastIndex((n) => n > 0);
    const bound = top >= 0 && top < SPAN_BUCKETS_MS.length ? SPAN_BUCKETS_MS[top]! : Number.POSITIVE_INFINITY;
    const seen = new Set([...b.slowest, ...b.errored].map((e) => e.traceId));
    series.push({
      labels: s.labels,
      calls,
      errors: s.errors - b.errors,
      retries: s.retries - b.retries,
      failovers: s.failovers - b.failovers,
      sumMs: s.sumMs - b.sumMs,
      maxMs: Math.min(s.maxMs, bound),
      buckets,
      slowest: s.slowest.filter((e) => !seen.has(e.traceId)),
      errored: s.errored.filter((e) => !seen.has(e.traceId)),
    });
  }
  return { spans: after.spans - before.spans, overflowed: after.overflowed - before.overflowed, series };
}

function labelKey(s: SeriesSnapshot): string {
  const l = s.labels;
  return JSON.stringify([l.service, l.span, l.kind, l.variant, l.provider, l.method, l.outcome, l.errorCode, l.overflow === true]);
}
