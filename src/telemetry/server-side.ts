import { round3 } from '../analysis/index.js';
import { quantileOfBuckets, SPAN_BUCKETS_MS, type Exemplar, type SeriesSnapshot, type SpanMetricsSnapshot } from './span-metrics.js';

/**
 * The gateway's own account of a run, from its spans: what results.json calls `serverSide`
 * (docs/results.md). Pure: a span-metrics snapshot in, the section out.
 *
 * Which spans count as what, by the conventions (DESIGN.md "Telemetry conventions"), so a
 * gateway of someone else's instrumented the same way gets the same section:
 *   - a payment: a SERVER span carrying payment.outcome (its provider: the one that answered);
 *   - a provider attempt: a CLIENT span carrying payment.provider, except status queries
 *     (span name provider.query), counted apart;
 *   - a retry: an attempt that repeated a call to the same provider (payment.retry, or for spans
 *     that do not say, payment.attempt > 1 without payment.failover);
 *   - a failover: a payment whose server span says payment.failover; on the provider side, the
 *     first call on a channel after the primary.
 * Other spans (health checks, HTTP auto-instrumentation) are counted in `spans` and nowhere else.
 */
export interface LatencyView {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface ExemplarsView {
  /** Trace ids of the slowest spans, slowest first. */
  slowest: string[];
  /** Trace ids of recent spans that failed (error status, or an outcome other than succeeded). */
  errored: string[];
}

export interface CallsView {
  count: number;
  outcomes: Record<string, number>;
  errorCodes: Record<string, number>;
  latencyMs: LatencyView;
  exemplars: ExemplarsView;
}

export interface PaymentsView extends CallsView {
  /** Payments that left their primary provider. */
  failovers: number;
}

export interface ProviderView {
  /** Payments this provider answered. */
  payments: PaymentsView;
  /** Charge calls made to it: first calls, retries and failover calls. */
  attempts: number;
  retries: number;
  /** Calls to it as a later channel, after the primary had certainly not charged. */
  failoverCalls: number;
  /** Status queries (recovery of outcomes left unknown). */
  queries: number;
  /** The charge calls, by outcome and code, with their latency. */
  calls: CallsView;
}

export interface VariantView {
  payments: PaymentsView;
  attempts: number;
  retries: number;
  failoverCalls: number;
  byProvider: Record<string, ProviderView>;
}

export interface ServerSideView {
  /** Spans received and aggregated. */
  spans: number;
  /** Spans in the cardinality overflow series (not split by variant or provider). */
  overflowed: number;
  /** Spans refused as malformed (partial success). */
  rejected: number;
  variants: Record<string, VariantView>;
}

export interface ServerSideOptions {
  /** The variant of spans that carry none (a gateway that does not set paychaos.variant). */
  defaultVariant?: string;
  /** Exemplar trace ids kept per list (default 3). */
  exemplars?: number;
  rejected?: number;
}

export function serverSideView(snapshot: SpanMetricsSnapshot, options: ServerSideOptions = {}): ServerSideView {
  const keep = options.exemplars ?? 3;
  const variants: Record<string, { payments: SeriesSnapshot[]; providers: Map<string, { payments: SeriesSnapshot[]; calls: SeriesSnapshot[]; queries: number }> }> = {};
  for (const s of snapshot.series) {
    const { labels } = s;
    if (labels.overflow) continue;
    const isPayment = labels.kind === 'server' && labels.outcome !== '';
    const isCall = labels.kind === 'client' && labels.provider !== '';
    if (!isPayment && !isCall) continue;
    const variant = labels.variant || options.defaultVariant || 'unknown';
    const v = (variants[variant] ??= { payments: [], providers: new Map() });
    const provider = labels.provider || 'unknown';
    let p = v.providers.get(provider);
    if (!p) v.providers.set(provider, (p = { payments: [], calls: [], queries: 0 }));
    if (isPayment) {
      v.payments.push(s);
      p.payments.push(s);
    } else if (labels.span === 'provider.query') p.queries += s.calls;
    else p.calls.push(s);
  }
  const out: Record<string, VariantView> = {};
  for (const [variant, v] of Object.entries(variants).sort(([a], [b]) => a.localeCompare(b))) {
    const byProvider: Record<string, ProviderView> = {};
    for (const [provider, p] of [...v.providers].sort(([a], [b]) => a.localeCompare(b))) {
      const calls = callsOf(p.calls, keep);
      byProvider[provider] = { payments: paymentsOf(p.payments, keep), attempts: calls.count, retries: sum(p.calls, (s) => s.retries), failoverCalls: sum(p.calls, (s) => s.failovers), queries: p.queries, calls };
    }
    const providers = Object.values(byProvider);
    out[variant] = {
      payments: paymentsOf(v.payments, keep),
      attempts: providers.reduce((n, p) => n + p.attempts, 0),
      retries: providers.reduce((n, p) => n + p.retries, 0),
      failoverCalls: providers.reduce((n, p) => n + p.failoverCalls, 0),
      byProvider,
    };
  }
  return { spans: snapshot.spans, overflowed: snapshot.overflowed, rejected: options.rejected ?? 0, variants: out };
}

function paymentsOf(series: readonly SeriesSnapshot[], keep: number): PaymentsView {
  return { ...callsOf(series, keep), failovers: sum(series, (s) => s.failovers) };
}

function callsOf(series: readonly SeriesSnapshot[], keep: number): CallsView {
  const outcomes: Record<string, number> = {};
  const errorCodes: Record<string, number> = {};
  const buckets = new Array<number>(SPAN_BUCKETS_MS.length + 1).fill(0);
  let count = 0;
  let sumMs = 0;
  let maxMs = 0;
  for (const s of series) {
    count += s.calls;
    sumMs += s.sumMs;
    maxMs = Math.max(maxMs, s.maxMs);
    s.buckets.forEach((n, i) => (buckets[i] = (buckets[i] ?? 0) + n));
    if (s.labels.outcome) outcomes[s.labels.outcome] = (outcomes[s.labels.outcome] ?? 0) + s.calls;
    if (s.labels.errorCode) errorCodes[s.labels.errorCode] = (errorCodes[s.labels.errorCode] ?? 0) + s.calls;
  }
  const q = (p: number): number => round3(quantileOfBuckets(buckets, p, maxMs));
  const slowest = series.flatMap((s) => s.slowest).sort((a, b) => b.ms - a.ms);
  const errored: Exemplar[] = series.flatMap((s) => s.errored);
  return {
    count,
    outcomes,
    errorCodes,
    latencyMs: { p50: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99), max: round3(maxMs), mean: count === 0 ? 0 : round3(sumMs / count) },
    exemplars: { slowest: unique(slowest.map((e) => e.traceId)).slice(0, keep), errored: unique(errored.map((e) => e.traceId)).slice(-keep) },
  };
}

function sum(series: readonly SeriesSnapshot[], of: (s: SeriesSnapshot) => number): number {
  return series.reduce((n, s) => n + of(s), 0);
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
