import { describe, expect, it } from 'vitest';
import { emptySpanRecord, quantileOfBuckets, serverSideView, snapshotSince, SpanMetrics, SPAN_BUCKETS_MS, type SpanRecord } from '../../../src/telemetry/index.js';

const span = (over: Partial<SpanRecord>): SpanRecord => ({ ...emptySpanRecord(), service: 'gw', name: 'payment', kind: 2, variant: 'baseline', provider: 'stripe', method: 'card', outcome: 'succeeded', durationMs: 10, traceId: 'aa', ...over });

describe('span metrics, as the collector span-metrics connector would count them', () => {
  it('counts one series per label set, with calls, errors, sum, max and buckets', () => {
    const m = new SpanMetrics();
    m.record(span({ durationMs: 4 }));
    m.record(span({ durationMs: 40 }));
    m.record(span({ outcome: 'failed', errorCode: 'card_declined', durationMs: 12, statusError: true }));
    const snap = m.snapshot();
    expect(snap.spans).toBe(3);
    expect(snap.series).toHaveLength(2);
    const ok = snap.series.find((s) => s.labels.outcome === 'succeeded')!;
    expect(ok).toMatchObject({ calls: 2, errors: 0, sumMs: 44, maxMs: 40, labels: { service: 'gw', span: 'payment', kind: 'server', variant: 'baseline', provider: 'stripe', method: 'card', errorCode: '' } });
    // 4 ms → the bucket bounded by 5; 40 ms → the one bounded by 50.
    expect(ok.buckets[SPAN_BUCKETS_MS.indexOf(5)]).toBe(1);
    expect(ok.buckets[SPAN_BUCKETS_MS.indexOf(50)]).toBe(1);
    expect(ok.buckets.reduce((a, b) => a + b, 0)).toBe(2);
    expect(snap.series.find((s) => s.labels.outcome === 'failed')).toMatchObject({ calls: 1, errors: 1, labels: { errorCode: 'card_declined' } });
  });

  it('puts every label set beyond the limit into one overflow series: memory stays bounded', () => {
    const m = new SpanMetrics({ maxSeries: 10 });
    for (let i = 0; i < 10_000; i++) m.record(span({ errorCode: `code_${i}` }));
    const snap = m.snapshot();
    expect(snap.series).toHaveLength(11);
    expect(snap.overflowed).toBe(9_990);
    expect(snap.series.at(-1)).toMatchObject({ calls: 9_990, labels: { overflow: true } });
  });

  it('keeps the slowest and the latest errored trace ids, at most `exemplars` of each', () => {
    const m = new SpanMetrics({ exemplars: 2 });
    [5, 50, 20, 70, 1].forEach((ms, i) => m.record(span({ durationMs: ms, traceId: `t${i}` })));
    [1, 2, 3].forEach((i) => m.record(span({ outcome: 'failed', errorCode: 'x', traceId: `e${i}` })));
    const [ok, failed] = m.snapshot().series;
    expect(ok!.slowest).toEqual([{ traceId: 't3', ms: 70 }, { traceId: 't1', ms: 50 }]);
    expect(ok!.errored).toEqual([]);
    expect(failed!.errored.map((e) => e.traceId)).toEqual(['e2', 'e3']);
  });

  it.each([
    ['payment.retry says so', { retry: true, attempt: 2 }, 1],
    ['payment.retry false wins over the attempt number', { retry: false, attempt: 3 }, 0],
    ['no payment.retry: a later attempt without failover is a retry', { attempt: 2 }, 1],
    ['no payment.retry: a later attempt on a failover channel is not', { attempt: 2, failover: true }, 0],
    ['a first attempt is not', { attempt: 1 }, 0],
  ])('counts retries on client spans: %s', (_what, over, retries) => {
    const m = new SpanMetrics();
    m.record(span({ kind: 3, name: 'provider.charge', ...over }));
    expect(m.snapshot().series[0]!.retries).toBe(retries);
  });

  it.each([
    // 10 spans in the bucket (5, 7.5]: the median interpolates half-way into it.
    [[0, 0, 0, 0, 10], 0.5, 100, 6.25],
    // 1 span ≤ 1 ms and 1 beyond the last bound (60 s): interpolated up to the largest seen, 90 s.
    [[1, ...new Array(SPAN_BUCKETS_MS.length - 1).fill(0), 1], 0.99, 90_000, 89_400],
    [[], 0.5, 0, 0],
  ])('estimates quantiles from buckets (%j, q=%s)', (counts, q, max, expected) => {
    const buckets = [...counts, ...new Array(Math.max(0, SPAN_BUCKETS_MS.length + 1 - counts.length)).fill(0)];
    expect(quantileOfBuckets(buckets, q, max)).toBeCloseTo(expected, 6);
  });
});

describe('the server-side view of a run', () => {
  it('splits payments, attempts, retries, failovers and queries by variant and provider', () => {
    const m = new SpanMetrics();
    // Payment 1: stripe refuses twice (a retry), adyen answers (failover).
    m.record(span({ provider: 'adyen', failover: true, durationMs: 60, traceId: 'p1' }));
    m.record(span({ kind: 3, name: 'provider.charge', outcome: 'failed', errorCode: 'provider_unavailable', attempt: 1, retry: false, durationMs: 10, traceId: 'p1' }));
    m.record(span({ kind: 3, name: 'provider.charge', outcome: 'failed', errorCode: 'provider_unavailable', attempt: 2, retry: true, durationMs: 10, traceId: 'p1' }));
    m.record(span({ kind: 3, name: 'provider.charge', provider: 'adyen', attempt: 3, failover: true, retry: false, durationMs: 30, traceId: 'p1' }));
    // Payment 2: declined by stripe; a status query later; a canary payment; a health-check span.
    m.record(span({ outcome: 'failed', errorCode: 'card_declined', durationMs: 5, traceId: 'p2' }));
    m.record(span({ kind: 3, name: 'provider.charge', outcome: 'failed', errorCode: 'card_declined', attempt: 1, retry: false, durationMs: 4, traceId: 'p2' }));
    m.record(span({ kind: 3, name: 'provider.query', outcome: 'failed', errorCode: 'card_declined', traceId: 'q1' }));
    m.record(span({ variant: 'canary', durationMs: 8, traceId: 'c1' }));
    m.record(span({ kind: 2, name: 'GET /healthz', outcome: '', provider: '' }));
    const view = serverSideView(m.snapshot());
    expect(view.spans).toBe(9);
    const base = view.variants.baseline!;
    expect(base.payments).toMatchObject({ count: 2, failovers: 1, outcomes: { succeeded: 1, failed: 1 }, errorCodes: { card_declined: 1 } });
    expect(base.payments.exemplars).toEqual({ slowest: ['p1', 'p2'], errored: ['p2'] });
    expect(base).toMatchObject({ attempts: 4, retries: 1, failoverCalls: 1 });
    expect(base.byProvider.stripe).toMatchObject({ attempts: 3, retries: 1, failoverCalls: 0, queries: 1, payments: { count: 1 }, calls: { outcomes: { failed: 3 }, errorCodes: { provider_unavailable: 2, card_declined: 1 } } });
    expect(base.byProvider.adyen).toMatchObject({ attempts: 1, retries: 0, failoverCalls: 1, payments: { count: 1, failovers: 1 } });
    expect(view.variants.canary!.payments.count).toBe(1);
    expect(base.payments.latencyMs.max).toBe(60);
  });

  it('gives spans without a variant the run default', () => {
    const m = new SpanMetrics();
    m.record(span({ variant: '' }));
    expect(Object.keys(serverSideView(m.snapshot(), { defaultVariant: 'baseline' }).variants)).toEqual(['baseline']);
    expect(Object.keys(serverSideView(m.snapshot()).variants)).toEqual(['unknown']);
  });
});

describe('span metrics since a snapshot (a run attached to `paychaos up`)', () => {
  it('subtracts counters and buckets exactly, drops exemplars seen before, and caps the max by the buckets that grew', () => {
    const m = new SpanMetrics();
    m.record(span({ durationMs: 900, traceId: 'old-slow' }));
    m.record(span({ outcome: 'failed', errorCode: 'card_declined', traceId: 'old-failed' }));
    const before = m.snapshot();
    m.record(span({ durationMs: 40, traceId: 'new1' }));
    m.record(span({ durationMs: 4, traceId: 'new2' }));
    m.record(span({ kind: 3, name: 'provider.charge', attempt: 2, durationMs: 3, traceId: 'new1' }));
    const since = snapshotSince(m.snapshot(), before);
    expect(since.spans).toBe(3);
    // The failed series did not grow: it is not this run's.
    expect(since.series.map((s) => [s.labels.span, s.labels.outcome, s.calls])).toEqual([
      ['payment', 'succeeded', 2],
      ['provider.charge', 'succeeded', 1],
    ]);
    const payments = since.series[0]!;
    expect(payments).toMatchObject({ sumMs: 44, maxMs: 50, slowest: [{ traceId: 'new1', ms: 40 }, { traceId: 'new2', ms: 4 }] });
    expect(payments.buckets.reduce((a, b) => a + b, 0)).toBe(2);
    expect(since.series[1]!.retries).toBe(1);
    expect(serverSideView(since).variants.baseline!.payments).toMatchObject({ count: 2, outcomes: { succeeded: 2 } });
  });
});
