import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { AbandonedChallengeFallback, buildGateway, CHALLENGE_WAIT_MS, createProviderClient, type BuiltGateway, type GatewayRegression } from '../../../gateway/index.js';
import { startStripeSim, type StartedStripeSim } from '../../../simulators/stripe/index.js';
import { startReceiver, type Received } from '../simulators/receiver.js';

/**
 * A card's 3-D Secure challenge through the reference gateway (issue #15): with
 * `threeDSecure: "challenge"` a card that needs authentication is answered 202 with the page the
 * shopper must visit, stays pending (a status query reads it as waiting), and the provider's
 * webhook settles it. The shopper's visit is a real HTTP request to the simulator's 3-D Secure page.
 */
let stripe: StartedStripeSim;
let hooks: Awaited<ReturnType<typeof startReceiver>>;
let credentials: Record<string, unknown>;

beforeAll(async () => {
  hooks = await startReceiver(() => ({ status: 200 }));
  stripe = await startStripeSim({ seed: 315, profile: { webhooks: { url: hooks.url } } });
  credentials = (await (await fetch(`${stripe.url}/__sim/keys`)).json()) as Record<string, unknown>;
});
afterAll(async () => {
  await stripe?.close();
  await hooks?.close();
});

function gateway(regression?: GatewayRegression): BuiltGateway {
  const gw = buildGateway({ providers: { stripe: { url: stripe.url, credentials } }, recovery: { intervalMs: 3_600_000 }, ...(regression ? { regression } : {}) });
  onTestFinished(() => gw.close());
  return gw;
}

interface Answer { paymentId: string; status: string; providerPaymentId?: string; errorCode?: string; nextAction?: { type: string; url: string }; error?: { code: string; message: string } }

let n = 0;
async function pay(gw: BuiltGateway, paymentMethod: string, extra: Record<string, unknown> = { threeDSecure: 'challenge' }) {
  const orderId = `tds_${process.pid}_${++n}`;
  const res = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount: 2500, currency: 'eur', paymentMethod, provider: 'stripe', ...extra } });
  return { orderId, status: res.statusCode, body: res.json() as Answer };
}

function deliver(gw: BuiltGateway, r: Received) {
  const headers = Object.fromEntries(Object.entries(r.headers).filter(([k]) => !['content-length', 'host', 'connection'].includes(k))) as Record<string, string>;
  return gw.app.inject({ method: 'POST', url: '/webhooks/stripe', headers, payload: r.body });
}

const read = async (gw: BuiltGateway, paymentId: string) => (await gw.app.inject({ method: 'GET', url: `/payments/${paymentId}` })).json() as Answer;

describe('the gateway and a 3-D Secure challenge', () => {
  it('answers 202 with the challenge page, captures nothing, and succeeds on payment_intent.succeeded once the shopper passes', async () => {
    const gw = gateway();
    const p = await pay(gw, 'pm_card_threeDSecure2Required');
    expect([p.status, p.body.status]).toEqual([202, 'pending']);
    expect(p.body.nextAction).toEqual({ type: 'redirect', url: `${stripe.url}/__sim/3ds/${p.body.providerPaymentId}` });
    expect((await read(gw, p.body.paymentId)).nextAction?.url).toBe(p.body.nextAction!.url);
    expect(stripe.ledger.byOrder(p.orderId)).toEqual([]);
    // The shopper at the issuer's page, sent back to the merchant's return URL.
    const page = await fetch(`${p.body.nextAction!.url}?outcome=succeed`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    const hook = await hooks.waitForOne((r) => r.body.includes('"payment_intent.succeeded"') && r.body.includes(p.orderId));
    expect((await deliver(gw, hook)).statusCode).toBe(200);
    const after = await read(gw, p.body.paymentId);
    expect(after.status).toBe('succeeded');
    expect(after.nextAction).toBeUndefined();
    expect(stripe.ledger.byOrder(p.orderId).filter((e) => e.kind === 'capture')).toHaveLength(1);
  });

  it('fails on payment_intent.payment_failed when the shopper fails the challenge, nothing captured', async () => {
    const gw = gateway();
    const p = await pay(gw, 'pm_card_threeDSecure2Required');
    expect(p.status).toBe(202);
    await fetch(`${p.body.nextAction!.url}?outcome=fail`, { redirect: 'manual' });
    const hook = await hooks.waitForOne((r) => r.body.includes('"payment_intent.payment_failed"') && r.body.includes(p.orderId));
    expect((await deliver(gw, hook)).statusCode).toBe(200);
    expect((await read(gw, p.body.paymentId)).status).toBe('failed');
    expect(stripe.ledger.byOrder(p.orderId)).toEqual([]);
  });

  it('with the threeDSecureFallbackCard regression, confirms a failed challenge again with a card that needs none: Stripe captures money nobody authenticated, once however often the notification comes', async () => {
    const gw = gateway({ threeDSecureFallbackCard: true });
    const p = await pay(gw, 'pm_card_threeDSecure2Required');
    expect(p.status).toBe(202);
    await fetch(`${p.body.nextAction!.url}?outcome=fail`, { redirect: 'manual' });
    const hook = await hooks.waitForOne((r) => r.body.includes('"payment_intent.payment_failed"') && r.body.includes(p.orderId));
    expect((await deliver(gw, hook)).statusCode).toBe(200);
    // A redelivery is a duplicate in the inbox: no second confirm.
    expect((await deliver(gw, hook)).statusCode).toBe(200);
    const captures = stripe.ledger.byOrder(p.orderId).filter((e) => e.kind === 'capture');
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ amount: 2500, paymentId: p.body.providerPaymentId });
  });

  it('with the threeDSecureFallbackCard regression, leaves a challenge that passed, and one abandoned, as they were', async () => {
    const gw = gateway({ threeDSecureFallbackCard: true });
    const passed = await pay(gw, 'pm_card_threeDSecure2Required');
    await fetch(`${passed.body.nextAction!.url}?outcome=succeed`, { redirect: 'manual' });
    expect((await deliver(gw, await hooks.waitForOne((r) => r.body.includes('"payment_intent.succeeded"') && r.body.includes(passed.orderId)))).statusCode).toBe(200);
    expect(stripe.ledger.byOrder(passed.orderId).filter((e) => e.kind === 'capture')).toHaveLength(1);
    const abandoned = await pay(gw, 'pm_card_threeDSecure2Required');
    expect((await gw.recovery.settle(gw.store.payments.get(abandoned.body.paymentId)!)).status).toBe('pending');
    expect(stripe.ledger.byOrder(abandoned.orderId)).toEqual([]);
  });

  it('with the threeDSecureAbandonedFallback regression, confirms a challenge nobody answered within the wait again with a card that needs none, and leaves one passed and one failed in time as they were', async () => {
    const gw = gateway({ threeDSecureAbandonedFallback: true });
    const passed = await pay(gw, 'pm_card_threeDSecure2Required');
    const failed = await pay(gw, 'pm_card_threeDSecure2Required');
    const abandoned = await pay(gw, 'pm_card_threeDSecure2Required');
    expect([passed.status, failed.status, abandoned.status]).toEqual([202, 202, 202]);
    await fetch(`${passed.body.nextAction!.url}?outcome=succeed`, { redirect: 'manual' });
    await fetch(`${failed.body.nextAction!.url}?outcome=fail`, { redirect: 'manual' });
    const started = performance.now();
    // Bounded: the wait, then one query and one confirm.
    while (stripe.ledger.byOrder(abandoned.orderId).length === 0 && performance.now() - started < CHALLENGE_WAIT_MS + 5_000) await new Promise((r) => setTimeout(r, 100));
    expect(performance.now() - started).toBeGreaterThan(CHALLENGE_WAIT_MS - 1_000);
    const captures = stripe.ledger.byOrder(abandoned.orderId).filter((e) => e.kind === 'capture');
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ amount: 2500, paymentId: abandoned.body.providerPaymentId });
    // Answered in time: the passed one captured once by its own confirm, the failed one never.
    expect(stripe.ledger.byOrder(passed.orderId).filter((e) => e.kind === 'capture')).toHaveLength(1);
    expect(stripe.ledger.byOrder(failed.orderId).filter((e) => e.kind === 'capture')).toEqual([]);
  });

  it("the abandoned-challenge fallback's waits end with it: closed before the wait is over, it confirms nothing", async () => {
    const client = createProviderClient('stripe', { url: stripe.url, credentials });
    onTestFinished(() => client.close());
    const fallback = new AbandonedChallengeFallback(new Map([['stripe', client]]), { waitMs: 200 });
    const gw = gateway();
    const p = await pay(gw, 'pm_card_threeDSecure2Required');
    const payment = gw.store.payments.get(p.body.paymentId)!;
    fallback.watch({ provider: 'stripe', orderId: payment.orderId, providerReference: payment.providerReference, providerPaymentId: payment.providerPaymentId!, providerKey: payment.providerKey, amount: payment.amount, currency: payment.currency });
    await fallback.close();
    await new Promise((r) => setTimeout(r, 500));
    expect(stripe.ledger.byOrder(p.orderId)).toEqual([]);
    // The same wait left to run its course does confirm it (so the silence above is the close's doing).
    const open = new AbandonedChallengeFallback(new Map([['stripe', client]]), { waitMs: 200 });
    open.watch({ provider: 'stripe', orderId: payment.orderId, providerReference: payment.providerReference, providerPaymentId: payment.providerPaymentId!, providerKey: payment.providerKey, amount: payment.amount, currency: payment.currency });
    await new Promise((r) => setTimeout(r, 500));
    await open.close();
    expect(stripe.ledger.byOrder(p.orderId).filter((e) => e.kind === 'capture')).toHaveLength(1);
  });

  it('keeps an abandoned challenge pending through a status query (requires_action is the shopper still away)', async () => {
    const gw = gateway();
    const p = await pay(gw, 'pm_card_threeDSecure2Required');
    const settled = await gw.recovery.settle(gw.store.payments.get(p.body.paymentId)!);
    expect(settled.status).toBe('pending');
    expect((await read(gw, p.body.paymentId)).nextAction?.url).toBe(p.body.nextAction!.url);
    expect(stripe.ledger.byOrder(p.orderId)).toEqual([]);
  });

  it('without threeDSecure keeps failing a card that needs authentication as authentication_required, as before', async () => {
    const gw = gateway();
    for (const pm of ['pm_card_threeDSecure2Required', 'pm_card_authenticationRequired']) {
      const p = await pay(gw, pm, {});
      expect(p.body).toMatchObject({ status: 'failed', errorCode: 'authentication_required' });
      expect(p.body.nextAction).toBeUndefined();
    }
  });

  it('charges a card without 3-D Secure at once even when a challenge is allowed', async () => {
    const gw = gateway();
    const p = await pay(gw, 'pm_card_visa');
    expect([p.status, p.body.status, p.body.nextAction]).toEqual([201, 'succeeded', undefined]);
  });

  it('refuses a threeDSecure value it does not know, naming the field and what it takes', async () => {
    const gw = gateway();
    const p = await pay(gw, 'pm_card_threeDSecure2Required', { threeDSecure: 'frictionless' });
    expect(p.status).toBe(400);
    expect(p.body.error?.code).toBe('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST');
    expect(p.body.error?.message).toMatch(/^threeDSecure: expected "challenge"/);
  });
});
