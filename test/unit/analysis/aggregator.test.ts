import { describe, expect, it } from 'vitest';
import { Aggregator, LatencyHistogram, type PaymentEvent } from '../../../src/analysis/index.js';

const event = (over: Partial<PaymentEvent>): PaymentEvent => ({
  t: 0,
  variant: 'baseline',
  provider: 'stripe',
  outcome: 'succeeded',
  latencyMs: 10,
  status: 201,
  orderId: 'o',
  idempotencyKey: 'k',
  ...over,
});

describe('LatencyHistogram', () => {
  it('reports percentiles within HDR precision (3 significant digits)', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.record(i); // 1..1000 ms
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(500, -0.5);
    expect(s.p99).toBeGreaterThanOrEqual(989);
    expect(s.p99).toBeLessThanOrEqual(991);
    expect(s.max).toBeCloseTo(1000, -0.5);
    expect(s.p50).toBeLessThanOrEqual(s.p90);
    expect(s.p90).toBeLessThanOrEqual(s.p95);
    expect(s.p95).toBeLessThanOrEqual(s.p99);
    expect(s.p99).toBeLessThanOrEqual(s.p999);
  });

  it('round-trips through base64 and merges exactly', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (let i = 0; i < 100; i++) a.record(5);
    for (let i = 0; i < 100; i++) b.record(50);
    const decoded = LatencyHistogram.decode(a.encode());
    const [da, aa] = [decoded.summary(), a.summary()];
    for (const k of Object.keys(aa) as Array<keyof typeof aa>) expect(da[k]).toBeCloseTo(aa[k], 1);
    decoded.add(b);
    expect(decoded.count).toBe(200);
    expect(decoded.percentile(25)).toBeCloseTo(5, 1);
    expect(decoded.percentile(75)).toBeCloseTo(50, 0);
  });

  it('exposes the distribution as weighted values for rank tests', () => {
    const h = new LatencyHistogram();
    h.record(2, 3);
    h.record(40, 1);
    const values = h.weightedValues();
    expect(values.reduce((n, [, c]) => n + c, 0)).toBe(4);
    expect(values[0]![0]).toBeCloseTo(2, 2);
    expect(values[1]![0]).toBeCloseTo(40, 1);
  });

  it('ignores negative and non-finite latencies instead of corrupting the histogram', () => {
    const h = new LatencyHistogram();
    h.record(-1);
    h.record(Number.NaN);
    h.record(Number.POSITIVE_INFINITY);
    expect(h.count).toBe(0);
    expect(h.summary().p99).toBe(0);
  });
});

describe('Aggregator', () => {
  it('counts outcomes and error codes per variant and per provider', () => {
    const agg = new Aggregator();
    agg.record(event({}));
    agg.record(event({ outcome: 'failed', errorCode: 'card_declined' }));
    agg.record(event({ outcome: 'failed', errorCode: 'card_declined', provider: 'adyen' }));
    agg.record(event({ outcome: 'pending', errorCode: 'outcome_unknown' }));
    agg.record(event({ variant: 'canary' }));
    const snap = agg.snapshot();
    const base = snap.variants.baseline!;
    expect(base).toMatchObject({ requests: 4, succeeded: 1, failed: 2, pending: 1, successRate: 0.25 });
    expect(base.errorCodes).toEqual({ card_declined: 2, outcome_unknown: 1 });
    expect(base.byProvider.stripe).toMatchObject({ requests: 3, failed: 1 });
    expect(base.byProvider.adyen).toMatchObject({ requests: 1, failed: 1, errorCodes: { card_declined: 1 } });
    expect(snap.variants.canary).toMatchObject({ requests: 1, successRate: 1 });
    expect(LatencyHistogram.decode(base.latencyHistogram).count).toBe(4);
  });

  it('buckets by the second a request was scheduled in, with per-variant counts', () => {
    const agg = new Aggregator();
    agg.record(event({ t: 100, latencyMs: 5 }));
    agg.record(event({ t: 999, latencyMs: 7 }));
    agg.record(event({ t: 1000, outcome: 'failed', errorCode: 'card_declined', latencyMs: 900 }));
    agg.record(event({ t: 2500, variant: 'canary' }));
    const tl = agg.snapshot().timeline;
    expect(tl.map((b) => b.t)).toEqual([0, 1, 2]);
    expect(tl[0]).toMatchObject({ requests: 2, succeeded: 2 });
    expect(tl[0]!.max).toBe(7);
    expect(tl[1]).toMatchObject({ requests: 1, failed: 1 });
    expect(tl[1]!.p99).toBeGreaterThan(890);
    expect(tl[2]!.byVariant).toEqual({ canary: { requests: 1, succeeded: 1, failed: 0, pending: 0 } });
  });

  it('keeps per-second percentiles after a bucket settles and its histogram is dropped', () => {
    const agg = new Aggregator({ settleS: 2 });
    for (let i = 0; i < 10; i++) agg.record(event({ t: 0, latencyMs: 10 }));
    agg.record(event({ t: 10_000 })); // settles second 0
    agg.record(event({ t: 50, latencyMs: 5000 })); // a straggler into the settled bucket
    const b0 = agg.snapshot().timeline[0]!;
    expect(b0.requests).toBe(11);
    expect(b0.p50).toBeCloseTo(10, 0);
    expect(b0.max).toBe(5000);
  });
});

describe('Aggregator by journey step', () => {
  it('counts each step (first submits, refunds, cancels …) apart, adding up to the variant\'s requests', () => {
    const agg = new Aggregator();
    agg.record(event({ behaviour: 'first' }));
    agg.record(event({ behaviour: 'first', outcome: 'failed', errorCode: 'card_declined', status: 402 }));
    agg.record(event({ behaviour: 'refund', refundAmount: 30 }));
    agg.record(event({ behaviour: 'refund', outcome: 'pending', errorCode: 'outcome_unknown', status: 504 }));
    agg.record(event({ behaviour: 'cancel' }));
    agg.record(event({})); // an engine that did not say: a first submit
    const v = agg.snapshot().variants.baseline!;
    expect(Object.fromEntries(Object.entries(v.byBehaviour).map(([b, c]) => [b, [c.requests, c.succeeded, c.failed, c.pending]]))).toEqual({ first: [3, 2, 1, 0], refund: [2, 1, 0, 1], cancel: [1, 1, 0, 0] });
    expect(Object.values(v.byBehaviour).reduce((n, c) => n + c.requests, 0)).toBe(v.requests);
  });
});
