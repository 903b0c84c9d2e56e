import { describe, expect, it } from 'vitest';
import { VariantAggregate, type PaymentEvent, judgeCanary, variantDataOf } from '../../../src/analysis/index.js';
import { rng } from './fixtures.js';

/** Drive a live aggregate the way the demo's load driver does. */
function aggregate(n: number, errorShare: number, code: 'card_declined' | 'provider_error', medianMs: number, seed: number): VariantAggregate {
  const agg = new VariantAggregate();
  const r = rng(seed);
  for (let i = 0; i < n; i++) {
    const failed = r() < errorShare;
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const event: PaymentEvent = {
      t: i,
      variant: 'baseline',
      provider: i % 2 ? 'stripe' : 'adyen',
      outcome: failed ? 'failed' : 'succeeded',
      ...(failed ? { errorCode: code } : {}),
      latencyMs: medianMs * Math.exp(0.4 * z),
      status: failed ? 402 : 200,
      orderId: `o${i}`,
      idempotencyKey: `k${i}`,
    };
    agg.record(event);
  }
  return agg;
}

describe('judging live aggregates (what paychaos demo --canary does)', () => {
  it('carries counts, codes, the latency histogram and the per-provider slices over', () => {
    const data = variantDataOf(aggregate(3000, 0.02, 'card_declined', 40, 1));
    expect(data.requests).toBe(3000);
    expect(data.failed + data.succeeded).toBe(3000);
    expect(data.errorCodes).toEqual({ card_declined: data.failed });
    expect(data.latency?.total).toBe(3000);
    expect(Object.keys(data.byProvider ?? {}).sort()).toEqual(['adyen', 'stripe']);
  });

  it('passes a clean canary and fails one with extra provider errors and latency', () => {
    const baseline = variantDataOf(aggregate(3000, 0.02, 'card_declined', 40, 1));
    const clean = variantDataOf(aggregate(3000, 0.02, 'card_declined', 40, 2));
    const regressed = variantDataOf(aggregate(3000, 0.08, 'provider_error', 60, 3));
    expect(judgeCanary(baseline, clean).verdict).toBe('pass');
    const report = judgeCanary(baseline, regressed);
    expect(report.verdict).toBe('fail');
    expect(report.metrics.map((m) => m.classification)).toEqual(['high', 'high', 'high']);
  });
});
