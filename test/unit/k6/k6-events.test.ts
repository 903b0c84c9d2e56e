import { describe, expect, it } from 'vitest';
import { K6EventMapper, k6LoadSection, type K6Record } from '../../../src/load/k6/index.js';

const T0 = Date.UTC(2026, 10, 11, 0, 0, 0);
const point = (metric: string, atMs: number, value: number, tags: Record<string, string>, metadata: Record<string, string> = {}): K6Record => ({
  type: 'Point',
  metric,
  timeMs: T0 + atMs,
  value,
  tags,
  metadata,
});
/** What load/shopper.js records for one classified submit. */
const ours = (atMs: number, ms: number, tags: Record<string, string>, metadata: Record<string, string> = {}): K6Record =>
  point('paychaos_client_duration', atMs, ms, { scenario: 'payments', variant: 'baseline', provider: 'stripe', method: 'card', behaviour: 'pay', step: 'first', endpoint: 'pay', ...tags }, metadata);
/** k6's own sample of a request our script made: its twin above is the one that counts. */
const ourHttp = (atMs: number, ms: number): K6Record =>
  point('http_req_duration', atMs, ms, { scenario: 'payments', method: 'POST', name: 'POST /payments', status: '201', endpoint: 'pay', step: 'first', variant: 'baseline', provider: 'stripe', payment_method: 'card' });
/** A sample from someone else's script (like the fixture's pay.js). */
const theirs = (atMs: number, ms: number, tags: Record<string, string>): K6Record =>
  point('http_req_duration', atMs, ms, { scenario: 's', method: 'POST', name: 'POST /payments', url: 'POST /payments', variant: 'canary', provider: 'alipay', ...tags });

describe('k6 samples to payment events', () => {
  it('takes outcome, error code, order and key from our scripts’ samples, counting each request once', () => {
    const mapper = new K6EventMapper();
    const events = [
      ours(1000, 12.5, { outcome: 'succeeded', error_code: '', status: '201' }, { order_id: 'r-1', idempotency_key: 'r-1-k1' }),
      ourHttp(1000, 12.5),
      ours(1500, 30, { outcome: 'failed', error_code: 'insufficient_funds', status: '402', step: 'duplicate', behaviour: 'duplicate_submit' }, { order_id: 'r-2', idempotency_key: 'r-2-k1', provider_code: 'insufficient_funds' }),
      ours(2000, 5, { outcome: 'pending', error_code: 'duplicate_transaction', status: '409', variant: 'canary' }),
    ].map((r) => mapper.accept(r));
    expect(events.filter(Boolean)).toHaveLength(3);
    expect(events[0]).toEqual({ t: 0, variant: 'baseline', provider: 'stripe', method: 'card', outcome: 'succeeded', latencyMs: 12.5, status: 201, orderId: 'r-1', idempotencyKey: 'r-1-k1', behaviour: 'first' });
    expect(events[1]).toBeUndefined();
    expect(events[2]).toMatchObject({ t: 482.5, outcome: 'failed', errorCode: 'insufficient_funds', providerCode: 'insufficient_funds', status: 402, behaviour: 'duplicate' });
    expect(events[3]).toMatchObject({ variant: 'canary', outcome: 'pending', errorCode: 'duplicate_transaction', status: 409 });
  });

  it('falls back to the HTTP status for scripts that do not classify, without mistaking the HTTP method for a payment method', () => {
    const mapper = new K6EventMapper();
    const [ok, declined, down, timeout, refused] = [
      theirs(0, 2, { status: '201' }),
      theirs(10, 3, { status: '402', error_code: '1402' }),
      theirs(20, 4, { status: '503', error_code: '1503' }),
      theirs(30, 60_000, { status: '0', error_code: '1050' }),
      theirs(40, 1, { status: '0', error_code: '1212' }),
    ].map((r) => mapper.accept(r));
    expect(ok).toEqual({ t: 0, variant: 'canary', provider: 'alipay', outcome: 'succeeded', latencyMs: 2, status: 201, orderId: '', idempotencyKey: '' });
    expect([declined, down, timeout, refused].map((e) => [e?.outcome, e?.errorCode])).toEqual([
      ['failed', 'card_declined'],
      ['failed', 'provider_unavailable'],
      ['pending', 'outcome_unknown'],
      ['failed', 'network_error'],
    ]);
  });

  it('ignores requests that are not payment submits', () => {
    const mapper = new K6EventMapper();
    expect(mapper.accept(theirs(0, 1, { method: 'GET', name: 'GET /payments/{orderId}', status: '200' }))).toBeUndefined();
    expect(mapper.accept(theirs(0, 1, { name: 'http://gw/refunds', url: 'http://gw/refunds', status: '200' }))).toBeUndefined();
    expect(mapper.accept(theirs(0, 1, { name: 'http://gw:8080/payments', url: 'http://gw:8080/payments', status: '201' }))).toBeDefined();
    expect(mapper.accept(point('http_req_waiting', 0, 1, { method: 'POST', name: 'POST /payments', status: '201' }))).toBeUndefined();
  });

  it('counts iterations, dropped iterations and peak VUs into the load section', () => {
    const mapper = new K6EventMapper();
    for (let i = 0; i < 10; i++) {
      mapper.accept(ours(i * 100 + 50, 50, { outcome: 'succeeded', status: '201' }));
      mapper.accept(point('iterations', i * 100 + 51, 1, {}));
    }
    mapper.accept(point('dropped_iterations', 500, 1, {}));
    mapper.accept(point('dropped_iterations', 600, 1, {}));
    mapper.accept(point('vus', 0, 4, {}));
    mapper.accept(point('vus', 1000, 9, {}));
    const stats = mapper.stats();
    expect(stats).toMatchObject({ payments: 10, iterations: 10, droppedIterations: 2, maxVus: 9, firstStartMs: T0, lastEndMs: T0 + 950, scenarios: ['payments'] });
    expect(k6LoadSection(stats)).toEqual({
      engine: 'k6',
      // No schedule tags: the window is the first submits' span, 0.9 s × 10 / 9 = 1 s
      targetRate: 12, // (10 done + 2 dropped) / 1 s
      achievedRate: 10,
      scheduledIterations: 12,
      droppedIterations: 2,
      maxInFlight: 9,
      eventLoopLagP99Ms: 0,
      driverHealthy: false,
    });
    expect(k6LoadSection(stats, { targetRate: 12 }).targetRate).toBe(12);
  });

  it('reads the schedule load/options.js tags each scenario with, and measures rates over the arrival window, not the graceful stop', () => {
    const mapper = new K6EventMapper();
    const schedule = { paychaos_arrivals: '200', paychaos_arrival_window: '2s' };
    // 100/s for 2 s, all done; one abandoner's resume ends 22 s in, during k6's graceful stop.
    for (let i = 0; i < 200; i++) {
      mapper.accept(ours(i * 10 + 5, 5, { outcome: 'succeeded', status: '201', ...schedule }));
      mapper.accept(point('iterations', i * 10 + 6, 1, { scenario: 'payments', ...schedule }));
    }
    mapper.accept(ours(22_000, 5, { outcome: 'succeeded', status: '201', step: 'resume', ...schedule }));
    const stats = mapper.stats();
    expect(stats.arrivals).toEqual([{ scenario: 'payments', scheduled: 200, windowS: 2 }]);
    expect(k6LoadSection(stats)).toMatchObject({ targetRate: 100, achievedRate: 100, scheduledIterations: 200 });
    // Negative control: over the samples' whole span (as before issue #17) it reads ~9/s.
    expect(200 / ((stats.lastEndMs! - stats.firstStartMs!) / 1000)).toBeLessThan(10);
    // The same output without the tags: measured from the first submits' starts, the resume excluded.
    const untagged = new K6EventMapper();
    for (let i = 0; i < 200; i++) untagged.accept(ours(i * 10 + 5, 5, { outcome: 'succeeded', status: '201' }));
    untagged.accept(ours(22_000, 5, { outcome: 'succeeded', status: '201', step: 'resume' }));
    expect(k6LoadSection(untagged.stats())).toMatchObject({ targetRate: 100, achievedRate: 100, scheduledIterations: 200 });
  });

  it('ignores a malformed schedule tag rather than inventing a rate', () => {
    const mapper = new K6EventMapper();
    mapper.accept(ours(5, 5, { outcome: 'succeeded', status: '201', paychaos_arrivals: 'many', paychaos_arrival_window: '2s' }));
    mapper.accept(ours(15, 5, { outcome: 'succeeded', status: '201', scenario: 'other', paychaos_arrivals: '10', paychaos_arrival_window: 'soon' }));
    expect(mapper.stats().arrivals).toEqual([]);
  });

  it('counts time from a given origin when the caller knows when the run started', () => {
    const mapper = new K6EventMapper({ originMs: T0 - 2000 });
    expect(mapper.accept(ours(0, 10, { outcome: 'succeeded', status: '201' }))?.t).toBe(1990);
  });
});
