import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metrics, trace } from '@opentelemetry/api';
import { metrics as sdkMetrics, node, tracing } from '@opentelemetry/sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway } from '../../../gateway/index.js';
import { startOtelFromEnv } from '../../../src/kernel/index.js';
import { DURATION_BUCKETS_S } from '../../../src/conventions/index.js';
import { startStripeSim } from '../../../simulators/index.js';

// The SDK's own in-memory exporters, registered globally before the gateway is built (the
// metrics API binds instruments at creation).
const spans = new tracing.InMemorySpanExporter();
// NodeTracerProvider registers the async context manager, so a provider call's span nests in its payment's.
const tracerProvider = new node.NodeTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(spans)] });
const metricExporter = new sdkMetrics.InMemoryMetricExporter(sdkMetrics.AggregationTemporality.CUMULATIVE);
const reader = new sdkMetrics.PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
const meterProvider = new sdkMetrics.MeterProvider({ readers: [reader] });

describe('gateway telemetry (OpenTelemetry conventions)', () => {
  let sim: Awaited<ReturnType<typeof startStripeSim>>;
  let gw: ReturnType<typeof buildGateway>;
  beforeAll(async () => {
    tracerProvider.register();
    metrics.setGlobalMeterProvider(meterProvider);
    sim = await startStripeSim();
    gw = buildGateway({ providers: { stripe: { url: sim.url } }, variant: 'canary', version: '9.9.9' });
    const pay = (key: string, pm: string) => gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': key }, payload: { orderId: key, amount: 500, currency: 'EUR', paymentMethod: pm } });
    await pay('o1', 'pm_card_visa');
    await pay('o2', 'pm_card_chargeDeclinedInsufficientFunds');
    await gw.app.inject({ method: 'POST', url: '/payments', payload: {} }); // bad request
    await reader.forceFlush();
  });
  afterAll(async () => {
    await gw.close();
    await sim.close();
    await meterProvider.shutdown();
    await tracerProvider.shutdown();
    trace.disable();
    metrics.disable();
  });

  it('emits a server span per payment with the outcome attributes, and a client span per provider call', () => {
    const finished = spans.getFinishedSpans();
    const payments = finished.filter((s) => s.name === 'payment');
    expect(payments).toHaveLength(3);
    const declined = payments.find((s) => s.attributes['payment.error_code'] === 'insufficient_funds')!;
    expect(declined.attributes).toMatchObject({ 'payment.provider': 'stripe', 'payment.outcome': 'failed', 'payment.provider_code': 'insufficient_funds', 'paychaos.variant': 'canary', 'service.version': '9.9.9', 'payment.failover': false });
    // Every payment span says whether it left its channel (bool), refused requests included.
    for (const p of payments) expect(typeof p.attributes['payment.failover']).toBe('boolean');
    // A first call: neither a retry nor a failover call (the embedded receiver counts them from these).
    for (const c of finished.filter((s) => s.name === 'provider.charge')) expect(c.attributes).toMatchObject({ 'payment.attempt': 1, 'payment.retry': false, 'payment.failover': false });
    const calls = finished.filter((s) => s.name === 'provider.charge');
    expect(calls).toHaveLength(2);
    // The provider call is a child of its payment span (one trace per payment).
    for (const c of calls) expect(payments.some((p) => p.spanContext().traceId === c.spanContext().traceId)).toBe(true);
  });

  it('counts requests by outcome and records durations in seconds with explicit buckets', () => {
    const all = metricExporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics));
    const requests = all.find((m) => m.descriptor.name === 'payment.requests')!;
    const byOutcome = Object.fromEntries(requests.dataPoints.map((p) => [`${p.attributes['payment.outcome']}/${p.attributes['payment.error_code']}`, p.value]));
    expect(byOutcome).toEqual({ 'succeeded/': 1, 'failed/insufficient_funds': 1, 'failed/invalid_request': 1 });
    const duration = all.find((m) => m.descriptor.name === 'payment.duration')!;
    expect(duration.descriptor.unit).toBe('s');
    const point = duration.dataPoints[0]!.value as { buckets: { boundaries: number[] }; sum: number };
    expect(point.buckets.boundaries).toEqual([...DURATION_BUCKETS_S]);
    expect(point.sum).toBeLessThan(5); // seconds, not milliseconds
    expect(all.find((m) => m.descriptor.name === 'payment.provider.calls')!.dataPoints.reduce((n, p) => n + (p.value as number), 0)).toBe(2);
  });

  // Last in this block: it adds calls the counts above must not see.
  it('emits a client span and a provider-call point for each status query the recovery loop makes', async () => {
    const flaky = await startStripeSim({ seed: 9, profile: { commitThenError: { rate: 1, status: 500 } } });
    const g = buildGateway({ providers: { stripe: { url: flaky.url } }, recovery: { intervalMs: 50 } });
    try {
      const res = await g.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': 'q1' }, payload: { orderId: 'q1', amount: 500, currency: 'EUR', paymentMethod: 'pm_card_visa' } });
      expect(res.json()).toMatchObject({ status: 'pending' });
      const deadline = Date.now() + 10_000;
      while (g.store.payments.forOrder('q1')?.status === 'pending' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      const queries = spans.getFinishedSpans().filter((s) => s.name === 'provider.query');
      expect(queries.length).toBeGreaterThanOrEqual(1);
      expect(queries.at(-1)!.attributes).toMatchObject({ 'payment.provider': 'stripe', 'payment.outcome': 'succeeded', 'paychaos.query.answer': 'final' });
      await reader.forceFlush();
      const all = metricExporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics));
      const calls = all.filter((m) => m.descriptor.name === 'payment.provider.calls').flatMap((m) => m.dataPoints as Array<{ attributes: Record<string, unknown>; value: unknown }>);
      // This gateway is a baseline whose one charge was pending: its succeeded point is the query's.
      expect(calls.find((p) => p.attributes['paychaos.variant'] === 'baseline' && p.attributes['payment.outcome'] === 'succeeded')?.value).toBeGreaterThanOrEqual(1);
    } finally {
      await g.close();
      await flaky.close();
    }
  });
});

describe('OTLP export', () => {
  it('stays off without a collector endpoint', () => {
    const saved = { ...process.env };
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    try {
      expect(startOtelFromEnv({ name: 'paychaos', version: '1' })).toBeUndefined();
    } finally {
      Object.assign(process.env, saved);
    }
  });

  it('sends spans over OTLP/HTTP to the endpoint the user configured', async () => {
    const received: string[] = [];
    const collector = createServer((req, res) => {
      received.push(req.url ?? '');
      req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const vars = { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };
    Object.assign(process.env, vars);
    const handle = startOtelFromEnv({ name: 'paychaos-test', version: '1' })!;
    try {
      trace.getTracer('t').startSpan('hello').end();
    } finally {
      await handle.shutdown();
      collector.close();
      for (const k of Object.keys(vars)) delete process.env[k];
    }
    expect(received).toContain('/v1/traces');
  });
});
