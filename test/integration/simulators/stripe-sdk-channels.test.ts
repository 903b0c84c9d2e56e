import Stripe from 'stripe';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/kernel/index.js';
import { startStripeSim, type StartedStripeSim } from '../../../simulators/stripe/index.js';
import { startReceiver } from './receiver.js';
import { stripeSdkFor } from '../../helpers/stripe-sdk.js';

/**
 * iDEAL, GrabPay, Apple Pay and Google Pay at the Stripe simulator, driven by the official
 * `stripe` package (an independent client: its own request encoding and response types). The
 * bank or wallet page is visited over real HTTP, as a shopper's browser would, and the outcome
 * arrives as webhooks at a receiver on a real socket.
 */
let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});

async function started(extra: Parameters<typeof startStripeSim>[0] = {}): Promise<{ sim: StartedStripeSim; stripe: Stripe; hooks: Awaited<ReturnType<typeof startReceiver>> }> {
  const hooks = await startReceiver(() => ({ status: 200 }));
  closers.push(hooks.close);
  const sim = await startStripeSim({ seed: 151, profile: { webhooks: { url: hooks.url } }, ...extra });
  closers.push(sim.close);
  return { sim, stripe: stripeSdkFor(sim.url), hooks };
}

/** `payment_method_types[]`, which Stripe takes; this SDK's types no longer list it, so it rides untyped. */
const methodTypes = (...types: string[]): object => ({ payment_method_types: types });

const eventsOf = (hooks: Awaited<ReturnType<typeof startReceiver>>, intent: string) =>
  hooks.received.map((r) => JSON.parse(r.body) as { type: string; data: { object: { id: string; payment_intent?: string } } }).filter((e) => e.data.object.id === intent || e.data.object.payment_intent === intent).map((e) => e.type);

describe('iDEAL and GrabPay at the Stripe simulator, through the official SDK', () => {
  it('sends an iDEAL shopper to their bank and back, pending until then, then succeeds with payment_intent.succeeded', async () => {
    const { sim, stripe, hooks } = await started();
    const pi = await stripe.paymentIntents.create({
      amount: 1250,
      currency: 'eur',
      ...methodTypes('ideal'),
      payment_method_data: { type: 'ideal', ideal: { bank: 'rabobank' } },
      confirm: true,
      return_url: 'https://shop.example/return',
      metadata: { order_id: 'ideal-1' },
    });
    expect(pi.status).toBe('requires_action');
    expect(pi.next_action?.type).toBe('redirect_to_url');
    expect(pi.next_action?.redirect_to_url?.return_url).toBe('https://shop.example/return');
    const pm = await stripe.paymentMethods.retrieve(pi.payment_method as string);
    expect(pm).toMatchObject({ type: 'ideal', ideal: { bank: 'rabobank', bic: 'RABONL2U' } });
    // Nothing has moved until the shopper authorises at the bank.
    expect(sim.ledger.byOrder('ideal-1')).toEqual([]);

    const page = await request(pi.next_action!.redirect_to_url!.url!, { method: 'GET' });
    await page.body.dump();
    expect(page.statusCode).toBe(302);
    const back = new URL(String(page.headers.location));
    expect(back.origin + back.pathname).toBe('https://shop.example/return');
    expect(back.searchParams.get('redirect_status')).toBe('succeeded');
    expect(back.searchParams.get('payment_intent')).toBe(pi.id);

    const after = await stripe.paymentIntents.retrieve(pi.id);
    expect(after.status).toBe('succeeded');
    expect(sim.ledger.byOrder('ideal-1').map((e) => [e.kind, e.amount, e.currency])).toEqual([['authorization', 1250, 'eur'], ['capture', 1250, 'eur']]);
    const charge = await stripe.charges.retrieve(after.latest_charge as string);
    expect(charge.payment_method_details?.type).toBe('ideal');
    await hooks.waitForOne((r) => r.body.includes('"payment_intent.succeeded"'));
    expect(eventsOf(hooks, pi.id)).toEqual(expect.arrayContaining(['payment_intent.requires_action', 'payment_intent.succeeded']));
  });

  it('fails a GrabPay payment the shopper refuses in the wallet: requires_payment_method, payment_intent.payment_failed, nothing in the ledger', async () => {
    const { sim, stripe, hooks } = await started();
    const pm = await stripe.paymentMethods.create({ type: 'grabpay' });
    expect(pm.type).toBe('grabpay');
    const created = await stripe.paymentIntents.create({ amount: 800, currency: 'sgd', ...methodTypes('grabpay'), metadata: { order_id: 'grab-1' } });
    const pi = await stripe.paymentIntents.confirm(created.id, { payment_method: pm.id, return_url: 'https://shop.example/back' });
    expect(pi.status).toBe('requires_action');
    const page = await request(`${pi.next_action!.redirect_to_url!.url!}?outcome=fail`, { method: 'POST' });
    await page.body.dump();
    expect(new URL(String(page.headers.location)).searchParams.get('redirect_status')).toBe('failed');
    const after = await stripe.paymentIntents.retrieve(pi.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.payment_method).toBeNull();
    expect(after.last_payment_error?.code).toBe('payment_intent_payment_attempt_failed');
    expect(sim.ledger.byOrder('grab-1')).toEqual([]);
    await hooks.waitForOne((r) => r.body.includes('"payment_intent.payment_failed"'));
    // A second visit finds nobody waiting: the page refuses it (negative control for a double decision).
    const again = await request(pi.next_action!.redirect_to_url!.url!, { method: 'GET' });
    expect(again.statusCode).toBe(400);
    expect(((await again.body.json()) as { error: { code: string } }).error.code).toBe('payment_intent_unexpected_state');
  });

  it('refuses iDEAL in USD and GrabPay in EUR with payment_intent_invalid_parameter, and iDEAL without a return_url', async () => {
    const { stripe } = await started();
    const usd = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method_data: { type: 'ideal' }, confirm: true, return_url: 'https://x.example/' }).catch((e: unknown) => e);
    expect(usd).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(usd).toMatchObject({ statusCode: 400, code: 'payment_intent_invalid_parameter', param: 'currency' });
    expect((usd as Error).message).toContain('support the following currencies: eur');
    const eur = await stripe.paymentIntents.create({ amount: 1000, currency: 'eur', ...methodTypes('grabpay') }).catch((e: unknown) => e);
    expect(eur).toMatchObject({ statusCode: 400, code: 'payment_intent_invalid_parameter' });
    const manual = await stripe.paymentIntents.create({ amount: 1000, currency: 'eur', payment_method_data: { type: 'ideal' }, capture_method: 'manual' }).catch((e: unknown) => e);
    expect(manual).toMatchObject({ statusCode: 400, code: 'payment_intent_invalid_parameter', param: 'capture_method' });
    const noReturn = await stripe.paymentIntents.create({ amount: 1000, currency: 'eur', payment_method_data: { type: 'ideal' }, confirm: true }).catch((e: unknown) => e);
    expect(noReturn).toMatchObject({ statusCode: 400, code: 'payment_intent_invalid_parameter', param: 'return_url' });
    const badBank = await stripe.paymentIntents.create({ amount: 1000, currency: 'eur', payment_method_data: { type: 'ideal', ideal: { bank: 'bank_of_nowhere' as 'ing' } } }).catch((e: unknown) => e);
    expect(badBank).toMatchObject({ statusCode: 400, param: 'payment_method_data[ideal][bank]' });
  });

  it('lets the simulated shopper authorise on their own after shopperApprovesAfterMs (load runs)', async () => {
    const clock = new ManualClock();
    const { sim, stripe } = await started({ clock, shopperApprovesAfterMs: 500 });
    const pi = await stripe.paymentIntents.create({ amount: 300, currency: 'myr', payment_method_data: { type: 'grabpay' }, confirm: true, return_url: 'https://x.example/', metadata: { order_id: 'grab-auto' } });
    expect(pi.status).toBe('requires_action');
    clock.advance(499);
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('requires_action');
    clock.advance(1);
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
    expect(sim.ledger.byOrder('grab-auto').map((e) => e.kind)).toEqual(['authorization', 'capture']);
  });
});

describe('the bank or wallet page refuses what no shopper is waiting for', () => {
  it('answers 404 for an unknown intent and 400 for a card intent waiting for 3-D Secure, deciding nothing', async () => {
    const { sim, stripe } = await started();
    const unknown = await request(`${sim.url}/__sim/redirect/pi_nosuchintent000000`, { method: 'GET' });
    expect(unknown.statusCode).toBe(404);
    expect(((await unknown.body.json()) as { error: { code: string } }).error.code).toBe('resource_missing');
    const card = await stripe.paymentIntents.create({ amount: 500, currency: 'eur', payment_method: 'pm_card_authenticationRequired', confirm: true, return_url: 'https://x.example/', metadata: { order_id: 'card-3ds' } });
    expect(card.status).toBe('requires_action');
    const wrong = await request(`${sim.url}/__sim/redirect/${card.id}`, { method: 'GET' });
    expect(wrong.statusCode).toBe(400);
    await wrong.body.dump();
    expect((await stripe.paymentIntents.retrieve(card.id)).status).toBe('requires_action');
    expect(sim.ledger.byOrder('card-3ds')).toEqual([]);
  });
});

describe('Apple Pay and Google Pay at the Stripe simulator', () => {
  it('pays with a network-token card and marks the wallet on the PaymentMethod and the charge', async () => {
    const { sim, stripe } = await started();
    const apple = await stripe.paymentIntents.create({ amount: 4200, currency: 'usd', payment_method: 'pm_card_visa_applePay', confirm: true, metadata: { order_id: 'apple-1' } });
    expect(apple.status).toBe('succeeded');
    const charge = await stripe.charges.retrieve(apple.latest_charge as string);
    expect(charge.payment_method_details?.card?.wallet).toMatchObject({ type: 'apple_pay', dynamic_last4: expect.stringMatching(/^\d{4}$/) });
    expect(charge.payment_method_details?.card?.last4).toBe('4242');
    const google = await stripe.paymentMethods.retrieve('pm_card_mastercard_googlePay');
    expect(google.card?.wallet?.type).toBe('google_pay');
    expect(google.card?.brand).toBe('mastercard');
    // A plain card carries no wallet (negative control: the marking is not on every card).
    expect((await stripe.paymentMethods.retrieve('pm_card_visa')).card?.wallet ?? undefined).toBeUndefined();
    const declined = await stripe.paymentIntents.create({ amount: 100, currency: 'usd', payment_method: 'pm_card_chargeDeclined_applePay', confirm: true }).catch((e: unknown) => e);
    expect(declined).toMatchObject({ statusCode: 402, code: 'card_declined' });
    expect(sim.ledger.byOrder('apple-1').map((e) => e.kind)).toEqual(['authorization', 'capture']);
  });
});
