import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway, type BuiltGateway } from '../../../gateway/index.js';
import { startStripeSim } from '../../../simulators/index.js';

/**
 * GET /metrics: Prometheus text exposition of the gateway's payment metrics under DESIGN.md's
 * names, parsed here and checked against the payments actually made.
 */
let stripe: Awaited<ReturnType<typeof startStripeSim>>;
let gw: BuiltGateway;
beforeAll(async () => {
  stripe = await startStripeSim({ seed: 601 });
  gw = buildGateway({ providers: { stripe: { url: stripe.url } }, recovery: { intervalMs: 3_600_000 } });
});
afterAll(async () => {
  await gw?.close();
  await stripe?.close();
});

/** `name{labels} value` lines → {name, labels, value}; comments skipped. */
function parse(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const out = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}
const sum = (rows: ReturnType<typeof parse>, name: string, where: Record<string, string> = {}) =>
  rows.filter((r) => r.name === name && Object.entries(where).every(([k, v]) => r.labels[k] === v)).reduce((s, r) => s + r.value, 0);

describe('GET /metrics', () => {
  it('counts each answer and each provider call, with second-scale histograms, under the dashboard names', async () => {
    const before = parse((await gw.app.inject({ method: 'GET', url: '/metrics' })).body);
    for (let i = 0; i < 3; i++) await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `m-${i}` }, payload: { orderId: `m_${process.pid}_${i}`, amount: 1000, currency: 'eur', paymentMethod: 'pm_card_visa' } });
    stripe.behaviour.apply({ outcomes: { card_declined: 1 } });
    await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': 'm-d' }, payload: { orderId: `m_${process.pid}_d`, amount: 1000, currency: 'eur', paymentMethod: 'pm_card_visa' } });
    stripe.behaviour.apply({});
    const res = await gw.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const rows = parse(res.body);
    const delta = (name: string, where: Record<string, string> = {}) => sum(rows, name, where) - sum(before, name, where);
    expect(delta('payment_requests_total', { payment_outcome: 'succeeded', payment_provider: 'stripe', payment_failover: 'false' })).toBe(3);
    expect(delta('payment_requests_total', { payment_outcome: 'failed', payment_error_code: 'card_declined' })).toBe(1);
    expect(delta('payment_provider_calls_total', { payment_provider: 'stripe' })).toBe(4);
    expect(delta('payment_duration_seconds_count')).toBe(4);
    // Cumulative buckets: the +Inf bucket holds every payment; a payment takes well under 30 s.
    expect(delta('payment_duration_seconds_bucket', { le: '+Inf' })).toBe(4);
    expect(delta('payment_duration_seconds_bucket', { le: '30' })).toBe(4);
    expect(delta('payment_provider_duration_seconds_count')).toBe(4);
    expect(rows.some((r) => r.name === 'payment_duration_seconds_sum')).toBe(true);
  });
});

describe('GET /metrics: the run labels', () => {
  const pay = (g: BuiltGateway, key: string) => g.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': key }, payload: { orderId: `r_${process.pid}_${key}`, amount: 1000, currency: 'eur', paymentMethod: 'pm_card_visa' } });

  it('a gateway a run starts puts paychaos_scenario and paychaos_run on every point', async () => {
    const run = buildGateway({ providers: { stripe: { url: stripe.url } }, recovery: { intervalMs: 3_600_000 }, scenario: 'psp-outage', runId: 'run-7' });
    try {
      await pay(run, 'run-1');
      const rows = parse((await run.app.inject({ method: 'GET', url: '/metrics' })).body);
      const names = new Set(rows.map((r) => r.name));
      // Every family the dashboards read, each of its lines labelled with the run.
      for (const n of ['payment_requests_total', 'payment_provider_calls_total', 'payment_duration_seconds_bucket', 'payment_duration_seconds_count', 'payment_provider_duration_seconds_bucket']) expect(names, n).toContain(n);
      expect(rows.length).toBeGreaterThan(10);
      for (const r of rows) expect([r.name, r.labels.paychaos_scenario, r.labels.paychaos_run]).toEqual([r.name, 'psp-outage', 'run-7']);
    } finally {
      await run.close();
    }
  });

  it('a gateway without them (standalone) leaves the labels out rather than empty', async () => {
    await pay(gw, 'standalone-1');
    const text = (await gw.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/^payment_requests_total\{/m);
    expect(text).not.toMatch(/paychaos_scenario|paychaos_run/);
  });
});
