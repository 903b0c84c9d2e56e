import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway, type BuiltGateway } from '../../../gateway/index.js';
import { freePort } from '../../../src/kernel/index.js';
import { startAdyenSim } from '../../../simulators/index.js';

/**
 * GET /metrics: the resilience series the Providers and Chaos drill dashboards read —
 * payment_provider_retries_total, payment_provider_breaker_state (0 closed, 1 half-open, 2 open)
 * and payment_failovers_total (payment_failover_from → payment_provider) — checked against what
 * the router really did. Stripe is a port nobody listens on (every call refused), Adyen a real
 * simulator; cards route stripe → adyen.
 */
let adyen: Awaited<ReturnType<typeof startAdyenSim>>;
let refused: string;
beforeAll(async () => {
  adyen = await startAdyenSim({ seed: 1301 });
  refused = `http://127.0.0.1:${await freePort()}`;
});
afterAll(async () => {
  await adyen?.close();
});

function rows(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
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

const gateway = (regression: Record<string, unknown> = {}): BuiltGateway =>
  buildGateway({
    providers: { stripe: { url: refused, timeoutMs: 2_000 }, adyen: { url: adyen.url } },
    variant: 'canary',
    scenario: 'psp-outage',
    runId: 'run-13',
    recovery: { intervalMs: 3_600_000 },
    resilience: { routes: { 'pm_card_*': ['stripe', 'adyen'] }, breaker: { failureThreshold: 2, halfOpenAfterMs: 600_000 }, retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 }, regression },
  });

const pay = (gw: BuiltGateway, key: string) => gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': key }, payload: { orderId: `rm_${process.pid}_${key}`, amount: 1000, currency: 'eur', paymentMethod: 'pm_card_visa' } });
const scrape = async (gw: BuiltGateway) => rows((await gw.app.inject({ method: 'GET', url: '/metrics' })).body);
const pick = (all: ReturnType<typeof rows>, name: string) => all.filter((r) => r.name === name);

describe('GET /metrics: retries, breaker state and failovers', () => {
  it('every breaker reads 0 (closed) from the start, before any payment, labelled like the other series', async () => {
    const gw = gateway();
    try {
      const breakers = pick(await scrape(gw), 'payment_provider_breaker_state');
      expect(breakers.map((r) => [r.labels.payment_provider, r.value]).sort()).toEqual([['adyen', 0], ['stripe', 0]]);
      for (const r of breakers) expect([r.labels.paychaos_variant, r.labels.paychaos_scenario, r.labels.paychaos_run]).toEqual(['canary', 'psp-outage', 'run-13']);
    } finally {
      await gw.close();
    }
  });

  it('a refused primary: one retry counted, the breaker at 2 (open) once it opens, each hop to adyen counted with its reason', async () => {
    const gw = gateway();
    try {
      // Stripe refused twice (first call and its retry): the breaker (threshold 2) opens; adyen answers.
      expect((await pay(gw, 'a')).json()).toMatchObject({ status: 'succeeded', provider: 'adyen', failover: true });
      // Stripe's breaker is open: no call, straight to adyen.
      expect((await pay(gw, 'b')).json()).toMatchObject({ status: 'succeeded', provider: 'adyen', failover: true });
      const all = await scrape(gw);
      expect(pick(all, 'payment_provider_retries_total').map((r) => [r.labels.payment_provider, r.value])).toEqual([['stripe', 1]]);
      expect(pick(all, 'payment_provider_breaker_state').map((r) => [r.labels.payment_provider, r.value]).sort()).toEqual([['adyen', 0], ['stripe', 2]]);
      const hops = pick(all, 'payment_failovers_total').map((r) => [r.labels.payment_failover_from, r.labels.payment_provider, r.labels.payment_failover_reason, r.value]);
      expect(hops.sort()).toEqual([['stripe', 'adyen', 'circuit_open', 1], ['stripe', 'adyen', 'connection_refused', 1]]);
      for (const r of pick(all, 'payment_failovers_total')) expect([r.labels.paychaos_variant, r.labels.paychaos_run, r.labels.payment_method]).toEqual(['canary', 'run-13', 'card']);
    } finally {
      await gw.close();
    }
  });

  it('the control: a gateway that never fails over (noFailover) counts no failover for the same outage', async () => {
    const gw = gateway({ noFailover: true });
    try {
      expect((await pay(gw, 'c')).json()).toMatchObject({ status: 'failed', failover: false });
      const all = await scrape(gw);
      expect(pick(all, 'payment_failovers_total')).toEqual([]);
      expect(pick(all, 'payment_provider_retries_total').map((r) => r.value)).toEqual([1]);
    } finally {
      await gw.close();
    }
  });
});
