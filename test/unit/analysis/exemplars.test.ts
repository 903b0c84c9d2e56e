import { describe, expect, it } from 'vitest';
import { Exemplars, type PaymentEvent } from '../../../src/analysis/index.js';

const event = (i: number, latencyMs: number, outcome: PaymentEvent['outcome'] = 'succeeded', traceId: string | null = `trace${i}`): PaymentEvent => ({
  t: i,
  variant: 'baseline',
  provider: 'stripe',
  outcome,
  ...(outcome === 'succeeded' ? {} : { errorCode: 'card_declined' as const }),
  latencyMs,
  status: outcome === 'succeeded' ? 201 : 402,
  orderId: `ord_${i}`,
  idempotencyKey: `k${i}`,
  ...(traceId !== null ? { traceId } : {}),
});

describe('exemplar payments kept with their trace ids', () => {
  it('keeps the slowest, slowest first, bounded, whatever the order they arrive in', () => {
    const x = new Exemplars(3);
    for (const [i, ms] of [5, 50, 1, 40, 60, 2, 45].entries()) x.record(event(i, ms));
    expect(x.snapshot().slowest.map((e) => [e.latencyMs, e.traceId])).toEqual([
      [60, 'trace4'],
      [50, 'trace1'],
      [45, 'trace6'],
    ]);
    expect(x.snapshot().failed).toEqual([]);
  });

  it('keeps the first failed and pending payments, bounded, in the order recorded, with their codes', () => {
    const x = new Exemplars(2);
    x.record(event(0, 3, 'failed'));
    x.record(event(1, 3));
    x.record(event(2, 3, 'pending'));
    x.record(event(3, 3, 'failed'));
    const failed = x.snapshot().failed;
    expect(failed.map((e) => [e.orderId, e.outcome, e.traceId])).toEqual([
      ['ord_0', 'failed', 'trace0'],
      ['ord_2', 'pending', 'trace2'],
    ]);
    expect(failed[0]).toMatchObject({ errorCode: 'card_declined', status: 402, provider: 'stripe', variant: 'baseline' });
  });

  it('skips payments without a trace id (k6 output): an exemplar is there to be looked up', () => {
    const x = new Exemplars(5);
    x.record(event(0, 900, 'failed', null));
    expect(x.snapshot()).toEqual({ slowest: [], failed: [] });
  });
});
