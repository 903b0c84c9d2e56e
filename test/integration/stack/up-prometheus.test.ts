import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUp, type Up } from '../../../src/scenario/index.js';
import { instantQuery, prometheusAvailable, PROMETHEUS_BIN, until } from '../observability/real-prometheus.js';

/**
 * `paychaos up --prometheus`: without Docker, an SRE still gets a Prometheus scraping the stack
 * with the shipped scrape config and rules, so a drill can be watched in its own UI. Proven by
 * what Prometheus itself reports: its targets up, a payment made through the stack's gateway
 * counted under the dashboards' names, the proxy's byte counters present — and gone with it.
 */
if (!prometheusAvailable) console.warn(`[skip] up --prometheus: ${PROMETHEUS_BIN} not found (apt-get install --no-install-recommends prometheus, or set PROMETHEUS_BIN)`);

describe.skipIf(!prometheusAvailable)('paychaos up --prometheus', () => {
  let dir: string;
  let up: Up;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paychaos-up-prom-'));
    up = await startUp({ paychaosVersion: '0.0.0-test', providers: ['stripe'], outDir: join(dir, 'out'), prometheus: true });
  }, 60_000);
  afterAll(async () => {
    await up?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('scrapes the gateway and the fault proxy: both jobs up', async () => {
    expect(up.prometheusUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const url = up.prometheusUrl!;
    await until(async () => (await instantQuery(url, 'up == 1')).result.length >= 2, 20_000, () => 'targets never up');
    const jobs = (await instantQuery(url, 'up == 1')).result.map((s) => s.metric.job).sort();
    expect(jobs).toEqual(['gateways', 'toxiproxy']);
  });

  it('counts a payment made through the stack under the dashboards\' names, and the proxy carried its bytes', async () => {
    const url = up.prometheusUrl!;
    const gateway = up.stack.systems.baseline!.url;
    const res = await fetch(`${gateway}/payments`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'up-prom-1' }, body: JSON.stringify({ orderId: 'up-prom-1', amount: 1200, currency: 'USD', paymentMethod: 'pm_card_visa' }) });
    expect(res.status).toBe(201);
    const counted = 'sum(payment_requests_total{paychaos_variant="baseline"})';
    await until(async () => Number((await instantQuery(url, counted)).result[0]?.value[1] ?? 0) >= 1, 20_000, () => `${counted} never reached 1`);
    // The stack's gateway labels its series with the stack's run id: the dashboards' run variable finds it.
    expect((await instantQuery(url, `sum(payment_requests_total{paychaos_run="${up.runId}"})`)).result[0]?.value[1]).toBe('1');
    // The renamed histogram (compose/prometheus.yml metric_relabel_configs) is what the dashboards query.
    expect((await instantQuery(url, 'payment_duration_seconds_count')).result.length).toBeGreaterThan(0);
    // As in Toxiproxy, a link's bytes are counted when it closes (the gateway's keep-alive link
    // stays open): one request through the stripe proxy on a connection that then closes.
    const proxied = up.stack.providers.providers.stripe!.url;
    const answer = await fetch(`${proxied}/v1/payment_intents/pi_none`, { headers: { connection: 'close', authorization: 'Bearer sk_test_up' } });
    expect(answer.status).toBe(404); // Stripe's resource_missing, through the proxy
    await answer.arrayBuffer();
    await until(async () => (await instantQuery(url, 'sum(toxiproxy_proxy_sent_bytes_total{proxy="stripe"}) > 0')).result.length === 1, 20_000, () => 'no proxy bytes for stripe');
  });

  it('stops with the stack: nothing answers on its port afterwards', async () => {
    const url = up.prometheusUrl!;
    await up.close();
    await expect(fetch(`${url}/-/ready`)).rejects.toThrow();
  });
});
