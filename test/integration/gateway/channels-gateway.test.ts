import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildGateway, type BuiltGateway } from '../../../gateway/index.js';
import { startAdyenSim, type StartedAdyenSim } from '../../../simulators/adyen/index.js';
import { startStripeSim, type StartedStripeSim } from '../../../simulators/stripe/index.js';
import { startReceiver, type Received } from '../simulators/receiver.js';

/**
 * The reference gateway paying issue #15's acquirer channels — iDEAL and GrabPay (redirects, 202
 * until the webhook), Apple Pay and Google Pay (network-token cards, 201 at once) — through the
 * Stripe and Adyen simulators. The shopper's step is a real HTTP visit to the simulator's bank or
 * wallet page; the simulator's own webhook, caught by a receiver, is handed to the gateway's
 * /webhooks/:provider with its headers, as the provider would deliver it.
 */
let stripe: StartedStripeSim;
let adyen: StartedAdyenSim;
let stripeHooks: Awaited<ReturnType<typeof startReceiver>>;
let adyenHooks: Awaited<ReturnType<typeof startReceiver>>;
let credentials: Record<string, Record<string, unknown>>;

beforeAll(async () => {
  stripeHooks = await startReceiver(() => ({ status: 200 }));
  adyenHooks = await startReceiver(() => ({ status: 200, body: '[accepted]' }));
  stripe = await startStripeSim({ seed: 301, profile: { webhooks: { url: stripeHooks.url } } });
  adyen = await startAdyenSim({ seed: 302, profile: { webhooks: { url: adyenHooks.url } } });
  const keys = async (url: string) => (await (await fetch(`${url}/__sim/keys`)).json()) as Record<string, unknown>;
  credentials = { stripe: await keys(stripe.url), adyen: await keys(adyen.url) };
});
afterAll(async () => {
  await stripe?.close();
  await adyen?.close();
  await stripeHooks?.close();
  await adyenHooks?.close();
});

function gateway(): BuiltGateway {
  const gw = buildGateway({
    providers: { stripe: { url: stripe.url, credentials: credentials.stripe! }, adyen: { url: adyen.url, credentials: credentials.adyen! } },
    recovery: { intervalMs: 3_600_000 },
  });
  onTestFinished(() => gw.close());
  return gw;
}

let n = 0;
async function pay(gw: BuiltGateway, provider: string, paymentMethod: string, currency: string) {
  const orderId = `ch_${provider}_${paymentMethod}_${process.pid}_${++n}`;
  const res = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount: 1999, currency, paymentMethod, provider } });
  return { orderId, status: res.statusCode, body: res.json() as { paymentId: string; status: string; providerPaymentId?: string; errorCode?: string } };
}

function deliver(gw: BuiltGateway, provider: string, r: Received) {
  const headers = Object.fromEntries(Object.entries(r.headers).filter(([k]) => !['content-length', 'host', 'connection'].includes(k))) as Record<string, string>;
  return gw.app.inject({ method: 'POST', url: `/webhooks/${provider}`, headers, payload: r.body });
}

const statusOf = async (gw: BuiltGateway, paymentId: string) => ((await gw.app.inject({ method: 'GET', url: `/payments/${paymentId}` })).json() as { status: string }).status;

describe('the gateway paying iDEAL, GrabPay, Apple Pay and Google Pay', () => {
  it('Stripe iDEAL: 202 pending while the shopper is at the bank; payment_intent.succeeded makes it succeeded', async () => {
    const gw = gateway();
    const p = await pay(gw, 'stripe', 'pm_ideal', 'eur');
    expect([p.status, p.body.status]).toEqual([202, 'pending']);
    expect(stripe.ledger.byOrder(p.orderId)).toEqual([]);
    const page = await fetch(`${stripe.url}/__sim/redirect/${p.body.providerPaymentId}`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    const hook = await stripeHooks.waitForOne((r) => r.body.includes('"payment_intent.succeeded"') && r.body.includes(p.orderId));
    expect((await deliver(gw, 'stripe', hook)).statusCode).toBe(200);
    expect(await statusOf(gw, p.body.paymentId)).toBe('succeeded');
    expect(stripe.ledger.byOrder(p.orderId).map((e) => e.kind)).toEqual(['authorization', 'capture']);
  });

  it('Stripe GrabPay refused in the wallet: payment_intent.payment_failed makes it failed', async () => {
    const gw = gateway();
    const p = await pay(gw, 'stripe', 'pm_grabpay', 'sgd');
    expect(p.status).toBe(202);
    await fetch(`${stripe.url}/__sim/redirect/${p.body.providerPaymentId}?outcome=fail`, { redirect: 'manual' });
    const hook = await stripeHooks.waitForOne((r) => r.body.includes('"payment_intent.payment_failed"') && r.body.includes(p.orderId));
    expect((await deliver(gw, 'stripe', hook)).statusCode).toBe(200);
    expect(await statusOf(gw, p.body.paymentId)).toBe('failed');
    expect(stripe.ledger.byOrder(p.orderId)).toEqual([]);
  });

  it('Stripe iDEAL in USD is refused as our bad request, not left pending', async () => {
    const gw = gateway();
    const p = await pay(gw, 'stripe', 'pm_ideal', 'usd');
    expect(p.body).toMatchObject({ status: 'failed', errorCode: 'invalid_request' });
  });

  it('a card that needs 3-D Secure still fails as authentication_required (negative control for the redirect rule)', async () => {
    const gw = gateway();
    const p = await pay(gw, 'stripe', 'pm_card_authenticationRequired', 'eur');
    expect(p.body).toMatchObject({ status: 'failed', errorCode: 'authentication_required' });
  });

  it('Stripe Apple Pay and Google Pay succeed at once, the wallet on the provider charge', async () => {
    const gw = gateway();
    for (const pm of ['pm_card_visa_applePay', 'pm_card_mastercard_googlePay']) {
      const p = await pay(gw, 'stripe', pm, 'usd');
      expect([p.status, p.body.status]).toEqual([201, 'succeeded']);
      const intent = (await (await fetch(`${stripe.url}/v1/payment_intents/${p.body.providerPaymentId}?expand[]=latest_charge`, { headers: { authorization: 'Bearer sk_test_paychaos' } })).json()) as { latest_charge: { payment_method_details: { card: { wallet: { type: string } } } } };
      expect(intent.latest_charge.payment_method_details.card.wallet.type).toBe(pm.includes('apple') ? 'apple_pay' : 'google_pay');
    }
    // The gateway's own series name the channel: both answers and both provider calls are wallet cards, none labelled card.
    await pay(gw, 'stripe', 'pm_card_visa', 'usd');
    const metrics = (await gw.app.inject({ method: 'GET', url: '/metrics' })).body;
    const count = (name: string, method: string): number =>
      metrics.split('\n').filter((l) => l.startsWith(`${name}{`) && l.includes(`payment_method="${method}"`)).reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
    expect(count('payment_requests_total', 'wallet_card')).toBe(2);
    expect(count('payment_provider_calls_total', 'wallet_card')).toBe(2);
    expect(count('payment_requests_total', 'card')).toBe(1);
  });

  it('Adyen iDEAL and GrabPay: pending until the AUTHORISATION notification', async () => {
    const gw = gateway();
    for (const [pm, currency] of [['pm_ideal', 'eur'], ['pm_grabpay', 'myr']] as const) {
      const p = await pay(gw, 'adyen', pm, currency);
      expect([p.status, p.body.status]).toEqual([202, 'pending']);
      const psp = p.body.providerPaymentId!;
      expect((await fetch(`${adyen.url}/__sim/redirect/${psp}`, { redirect: 'manual' })).status).toBe(302);
      const hook = await adyenHooks.waitForOne((r) => r.body.includes(psp) && r.body.includes('AUTHORISATION'));
      expect((await deliver(gw, 'adyen', hook)).statusCode).toBe(200);
      expect(await statusOf(gw, p.body.paymentId)).toBe('succeeded');
    }
  });

  it('Adyen Apple Pay and Google Pay: Authorised at once, the wallet variant on the payment', async () => {
    const gw = gateway();
    for (const pm of ['pm_card_visa_applePay', 'pm_card_mastercard_googlePay']) {
      const p = await pay(gw, 'adyen', pm, 'eur');
      expect([p.status, p.body.status]).toEqual([201, 'succeeded']);
      expect(adyen.ledger.byOrder(p.orderId).map((e) => e.kind)).toEqual(['authorization', 'capture']);
    }
  });
});
