import { describe, expect, it } from 'vitest';
import type { PaymentEvent } from '../../../src/analysis/index.js';
import { WarmupTally } from '../../../src/run/warmup-tally.js';
import { warmupRate } from '../../../src/run/warm-up.js';

const event = (outcome: PaymentEvent['outcome'], latencyMs: number): PaymentEvent => ({ t: 0, variant: 'baseline', provider: 'stripe', outcome, latencyMs, status: 201, orderId: 'o', idempotencyKey: 'k' });

describe('the warm-up tally', () => {
  it('counts outcomes and summarises latency, with the driver figures it is given', () => {
    const tally = new WarmupTally();
    for (let i = 1; i <= 100; i++) tally.record(event(i <= 90 ? 'succeeded' : i <= 98 ? 'failed' : 'pending', i));
    const s = tally.section({ durationS: 2.0004, targetRate: 50, rampS: 0.5, extendedS: 1.00049, settled: true, scheduledIterations: 100, droppedIterations: 0 });
    expect(s).toMatchObject({ durationS: 2, targetRate: 50, rampS: 0.5, extendedS: 1, settled: true, scheduledIterations: 100, droppedIterations: 0, requests: 100, succeeded: 90, failed: 8, pending: 2, successRate: 0.9 });
    expect(s.latencyMs.p50).toBeCloseTo(50, 0);
    expect(s.latencyMs.p99).toBeCloseTo(99, 0);
    expect(s.latencyMs.max).toBeCloseTo(100, 0);
    expect(s.latencyMs).not.toHaveProperty('count');
  });

  it('reports an empty phase as zeros, not NaN', () => {
    const s = new WarmupTally().section({ durationS: 0, targetRate: 10, rampS: 0, extendedS: 0, settled: false, scheduledIterations: 0, droppedIterations: 0 });
    expect(s).toMatchObject({ requests: 0, successRate: 0, latencyMs: { p50: 0, p99: 0, max: 0 } });
  });
});

describe('the warm-up rate', () => {
  it('is the constant rate, or the rate a ramp reaches in its first stage', () => {
    expect(warmupRate({ rate: 200 })).toBe(200);
    expect(warmupRate({ rate: 4000, ramp: { startRate: 100, stages: [{ target: 1000 }, { target: 4000 }] } })).toBe(1000);
    expect(warmupRate({ rate: 500, ramp: { startRate: 500, stages: [{ target: 0 }] } })).toBe(500);
  });
});
