import { describe, expect, it } from 'vitest';
import type { PaymentEvent } from '../../../src/analysis/index.js';
import { HarnessMetrics, serveHarnessMetrics } from '../../../src/telemetry/harness/index.js';
import { KNOWN_METRICS } from '../observability/metric-names.js';

const payment = (over: Partial<PaymentEvent> = {}): PaymentEvent => ({ t: 0, variant: 'baseline', provider: 'stripe', method: 'card', outcome: 'succeeded', latencyMs: 12, status: 201, orderId: 'o1', idempotencyKey: 'k1', ...over });

/** `name{labels} value` lines of an exposition, as [series, value]. */
const samples = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))] as const);

describe("the harness's own metrics", () => {
  it('counts what the driver saw by provider, method, variant, outcome and code, latency in seconds on second-scale buckets', async () => {
    const h = new HarnessMetrics();
    h.recordPayment(payment());
    h.recordPayment(payment({ latencyMs: 300 }));
    h.recordPayment(payment({ outcome: 'failed', errorCode: 'card_declined', status: 402, latencyMs: 4, variant: 'canary' }));
    const s = new Map(samples(await h.text()));
    await h.close();
    expect(s.get('paychaos_client_requests_total{payment_provider="stripe",payment_method="card",paychaos_variant="baseline",payment_outcome="succeeded",payment_error_code=""}')).toBe(2);
    expect(s.get('paychaos_client_requests_total{payment_provider="stripe",payment_method="card",paychaos_variant="canary",payment_outcome="failed",payment_error_code="card_declined"}')).toBe(1);
    const ok = 'payment_provider="stripe",payment_method="card",paychaos_variant="baseline",payment_outcome="succeeded",payment_error_code=""';
    expect(s.get(`paychaos_client_duration_seconds_sum{${ok}}`)).toBeCloseTo(0.312, 6);
    expect(s.get(`paychaos_client_duration_seconds_bucket{${ok},le="0.025"}`)).toBe(1);
    expect(s.get(`paychaos_client_duration_seconds_bucket{${ok},le="0.5"}`)).toBe(2);
  });

  it('reads fault steps 1 while active and 0 after, per step and target', async () => {
    const h = new HarnessMetrics();
    h.faultStarted({ id: 'stripe-down', target: 'stripe' });
    h.faultStarted({ id: 'slow-adyen', target: 'adyen' });
    h.faultEnded({ id: 'slow-adyen', target: 'adyen' });
    const s = new Map(samples(await h.text()));
    await h.close();
    expect(s.get('paychaos_fault_active{fault="stripe-down",target="stripe"}')).toBe(1);
    expect(s.get('paychaos_fault_active{fault="slow-adyen",target="adyen"}')).toBe(0);
  });

  it('labels every series, fault windows included, with the run measured, and leaves the labels out outside a run', async () => {
    const h = new HarnessMetrics({ scenario: 'psp-outage', runId: 'run-7' });
    h.recordPayment(payment());
    h.faultStarted({ id: 'stripe-down', target: 'stripe' });
    const s = samples(await h.text());
    await h.close();
    expect(s.length).toBeGreaterThan(10);
    for (const [series] of s) expect(series, series).toMatch(/[{,]paychaos_scenario="psp-outage",paychaos_run="run-7"[,}]/);
    expect(new Map(s).get('paychaos_fault_active{fault="stripe-down",target="stripe",paychaos_scenario="psp-outage",paychaos_run="run-7"}')).toBe(1);
    const bare = new HarnessMetrics();
    bare.recordPayment(payment());
    const text = await bare.text();
    await bare.close();
    expect(text).toMatch(/^paychaos_client_requests_total\{/m);
    expect(text).not.toMatch(/paychaos_scenario|paychaos_run/);
  });

  it('serves them on GET /metrics on 127.0.0.1, every name one the dashboards may query', async () => {
    const h = new HarnessMetrics();
    h.recordPayment(payment());
    h.faultStarted({ id: 'x', target: 'stripe' });
    const server = await serveHarnessMetrics(h);
    try {
      expect(server.host).toBe('127.0.0.1');
      const res = await fetch(`${server.url}/metrics`);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const names = new Set(samples(await res.text()).map(([series]) => series.replace(/\{.*$/, '')));
      expect([...names].filter((n) => !KNOWN_METRICS.has(n))).toEqual([]);
      expect(names).toContain('paychaos_fault_active');
      expect(names).toContain('paychaos_client_duration_seconds_bucket');
    } finally {
      await server.close();
      await h.close();
    }
  });
});
