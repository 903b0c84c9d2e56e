import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AdyenClient, AlipayClient, StripeClient } from '../../../gateway/clients/index.js';
import { webhookRoutes, type WebhookEvent } from '../../../gateway/webhooks/index.js';
import { startAdyenSim, startAlipaySim, startStripeSim } from '../../../simulators/index.js';

/**
 * The `POST /webhooks/:provider` plugin in an in-test Fastify app on 127.0.0.1: the simulators
 * deliver to it over real sockets, and their own delivery log says whether they took our answer
 * as the acknowledgement (Adyen wants `[accepted]`, Alipay `success`, byte for byte).
 */
async function gatewayApp(credentials: Record<string, Record<string, unknown>>, onEvent: (e: WebhookEvent) => void | Promise<void> = () => {}) {
  const events: WebhookEvent[] = [];
  const app = Fastify();
  await app.register(webhookRoutes({ credentialsOf: (p) => credentials[p], onEvent: async (e) => { events.push(e); await onEvent(e); } }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  onTestFinished(() => app.close());
  return { app, events, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

interface Totals { emitted: number; attempts: number; accepted: number }
const totals = async (simUrl: string) => ((await (await fetch(`${simUrl}/__sim/webhooks`)).json()) as { totals: Totals }).totals;

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('webhookRoutes', () => {
  it('takes a real Stripe event, hands it to onEvent once, and the simulator counts our 2xx as acknowledged', async () => {
    const gw = await gatewayApp({ stripe: { webhookSecret: 'whsec_routes' } });
    const sim = await startStripeSim({ seed: 301, webhookSecret: 'whsec_routes', profile: { webhooks: { url: `${gw.url}/webhooks/stripe` } } });
    onTestFinished(() => sim.close());
    const client = new StripeClient({ url: sim.url });
    onTestFinished(() => client.close());
    await client.charge({ orderId: 'rt-stripe-1', amount: 500, currency: 'eur', paymentMethod: 'pm_card_visa', providerKey: 'k-rt-stripe-1' });
    await until(() => gw.events.some((e) => e.type === 'payment.succeeded'), 'payment.succeeded');
    await until(async () => { const t = await totals(sim.url); return t.accepted === t.emitted && t.emitted > 0; }, 'every Stripe event acknowledged');
    expect(gw.events.find((e) => e.type === 'payment.succeeded')).toMatchObject({ provider: 'stripe', merchantReference: 'rt-stripe-1', amount: 500 });
  });

  it('answers Adyen [accepted] and Alipay success exactly, so neither retries', async () => {
    const alipayKeysFrom = async (url: string) => (await (await fetch(`${url}/__sim/keys`)).json()) as Record<string, unknown>;
    const adyen = await startAdyenSim({ seed: 302 });
    onTestFinished(() => adyen.close());
    const alipay = await startAlipaySim({ seed: 303 });
    onTestFinished(() => alipay.close());
    const alipayKeys = await alipayKeysFrom(alipay.url);
    const gw = await gatewayApp({ adyen: { hmacKey: adyen.hmacKey }, alipay: { appId: alipayKeys.appId, alipayPublicKey: alipayKeys.alipayPublicKey } });
    adyen.behaviour.apply({ webhooks: { url: `${gw.url}/webhooks/adyen` } });
    alipay.behaviour.apply({ webhooks: { url: `${gw.url}/webhooks/alipay` } });
    const a = new AdyenClient({ url: adyen.url });
    const b = new AlipayClient({ url: alipay.url, credentials: alipayKeys });
    onTestFinished(() => Promise.all([a.close(), b.close()]).then(() => undefined));
    await a.charge({ orderId: 'rt-adyen-1', amount: 700, currency: 'eur', paymentMethod: 'pm_card_visa', providerKey: 'k-rt-adyen-1' });
    await b.charge({ orderId: 'rt-alipay-1', amount: 700, currency: 'cny', paymentMethod: 'pm_alipay', providerKey: 'k-rt-alipay-1' });
    await until(async () => (await totals(adyen.url)).accepted > 0 && (await totals(alipay.url)).accepted > 0, 'both acknowledged');
    expect(await totals(adyen.url)).toMatchObject({ attempts: 1, accepted: 1 });
    expect(await totals(alipay.url)).toMatchObject({ attempts: 1, accepted: 1 });
    expect(gw.events.map((e) => `${e.provider}:${e.type}`).sort()).toEqual(['adyen:payment.succeeded', 'alipay:payment.succeeded']);
  });

  it('negative control: a receiver answering Adyen a plain 200 "ok" is not acknowledged (the check above can fail)', async () => {
    const server = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(200).end('ok')); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
    const adyen = await startAdyenSim({ seed: 304, profile: { webhooks: { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` } } });
    onTestFinished(() => adyen.close());
    const a = new AdyenClient({ url: adyen.url });
    onTestFinished(() => a.close());
    await a.charge({ orderId: 'rt-adyen-2', amount: 700, currency: 'eur', paymentMethod: 'pm_card_visa', providerKey: 'k-rt-adyen-2' });
    await until(async () => (await totals(adyen.url)).attempts > 0, 'an attempt');
    expect((await totals(adyen.url)).accepted).toBe(0);
  });

  it('refuses a forgery 401 and a malformed notification 400 with coded errors, never calling onEvent', async () => {
    const gw = await gatewayApp({ stripe: { webhookSecret: 'whsec_routes' } });
    const body = JSON.stringify({ id: 'evt_forged', type: 'payment_intent.succeeded', created: 1, data: { object: { id: 'pi_x', amount: 1, currency: 'eur' } } });
    const t = Math.floor(Date.now() / 1000);
    const forged = await gw.app.inject({ method: 'POST', url: '/webhooks/stripe', headers: { 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${'0'.repeat(64)}` }, payload: body });
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toMatchObject({ error: { code: 'PAYCHAOS_ERR_GATEWAY_WEBHOOK_BAD_SIGNATURE', message: expect.stringContaining('stripe') } });
    const unsigned = await gw.app.inject({ method: 'POST', url: '/webhooks/stripe', headers: { 'content-type': 'application/json' }, payload: body });
    expect(unsigned.statusCode).toBe(400);
    expect(unsigned.json()).toMatchObject({ error: { code: 'PAYCHAOS_ERR_GATEWAY_WEBHOOK_MALFORMED' } });
    expect(gw.events).toEqual([]);
  });

  it('answers 404 for a provider it takes nothing from, or one without credentials', async () => {
    const gw = await gatewayApp({ stripe: { webhookSecret: 'whsec_routes' } });
    for (const provider of ['square', 'adyen']) {
      const res = await gw.app.inject({ method: 'POST', url: `/webhooks/${provider}`, headers: { 'content-type': 'application/json' }, payload: '{}' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'PAYCHAOS_ERR_GATEWAY_WEBHOOK_UNKNOWN_PROVIDER' } });
    }
  });

  it('answers 500 when onEvent fails, so the provider retries the same event later', async () => {
    const gw = await gatewayApp({ stripe: { webhookSecret: 'whsec_routes' } }, () => { throw new Error('inbox down'); });
    const sim = await startStripeSim({ seed: 305, webhookSecret: 'whsec_routes', profile: { webhooks: { url: `${gw.url}/webhooks/stripe`, retrySchedule: ['50ms'] } } });
    onTestFinished(() => sim.close());
    const client = new StripeClient({ url: sim.url });
    onTestFinished(() => client.close());
    await client.charge({ orderId: 'rt-stripe-2', amount: 500, currency: 'eur', paymentMethod: 'pm_card_visa', providerKey: 'k-rt-stripe-2' });
    await until(async () => (await totals(sim.url)).attempts >= 2, 'a retry');
    expect((await totals(sim.url)).accepted).toBe(0);
  });
});
