import { afterEach, describe, expect, it } from 'vitest';
import { buildStripeSim, type StripeSim } from '../../../../simulators/stripe/index.js';
import { get, post } from './helpers.js';

let sim: StripeSim;
afterEach(async () => sim?.app.close());

async function requiresAction(params: Record<string, unknown> = {}) {
  sim = buildStripeSim({ seed: 3 });
  const res = await post(sim.app, '/v1/payment_intents', { amount: 4200, currency: 'eur', payment_method: 'pm_card_threeDSecure2Required', confirm: true, ...params });
  expect(res.status).toBe(200);
  expect(res.body.status).toBe('requires_action');
  return res.body;
}

describe('Stripe 3-D Secure', () => {
  it.each(['pm_card_authenticationRequired', 'pm_card_threeDSecure2Required'])('asks %s for authentication with a redirect next_action when given a return_url, and charges nothing yet', async (pm) => {
    sim = buildStripeSim({ seed: 3 });
    const res = await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'eur', payment_method: pm, confirm: true, return_url: 'https://shop.example/back' });
    expect(res.body).toMatchObject({ status: 'requires_action', next_action: { type: 'redirect_to_url', redirect_to_url: { return_url: 'https://shop.example/back' } } });
    expect(res.body.next_action.redirect_to_url.url).toMatch(new RegExp(`/__sim/3ds/${res.body.id}$`));
    expect(sim.ledger.size).toBe(0);
  });

  it('answers use_stripe_sdk, not a redirect, to a server-side confirm without return_url (as Stripe does)', async () => {
    sim = buildStripeSim({ seed: 3 });
    const res = await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'eur', payment_method: 'pm_card_threeDSecure2Required', confirm: true });
    expect(res.body).toMatchObject({ status: 'requires_action', next_action: { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect' } } });
    expect(res.body.next_action.redirect_to_url).toBeUndefined();
    expect(res.body.next_action.use_stripe_sdk.stripe_js).toMatch(new RegExp(`/__sim/3ds/${res.body.id}$`));
    // The page the SDK opens completes the payment as the redirect does.
    await sim.app.inject({ method: 'GET', url: `/__sim/3ds/${res.body.id}?outcome=succeed` });
    expect((await get(sim.app, `/v1/payment_intents/${res.body.id}`)).body.status).toBe('succeeded');
  });

  it('declines an off-session payment of a card that needs authentication with authentication_required', async () => {
    sim = buildStripeSim({ seed: 3 });
    const res = await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'eur', payment_method: 'pm_card_authenticationRequired', confirm: true, off_session: true });
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({ type: 'card_error', code: 'authentication_required', decline_code: 'authentication_required' });
    expect(sim.ledger.size).toBe(0);
  });

  it('completes the payment once the shopper authenticates, and sends the shopper back to the return URL', async () => {
    const pi = await requiresAction({ return_url: 'https://shop.example/back' });
    const res = await sim.app.inject({ method: 'GET', url: `/__sim/3ds/${pi.id}?outcome=succeed` });
    expect(res.statusCode).toBe(302);
    const back = new URL(res.headers.location as string);
    expect(back.origin + back.pathname).toBe('https://shop.example/back');
    expect(back.searchParams.get('payment_intent')).toBe(pi.id);
    expect(back.searchParams.get('payment_intent_client_secret')).toBe(pi.client_secret);
    expect(back.searchParams.get('redirect_status')).toBe('succeeded');
    expect((await get(sim.app, `/v1/payment_intents/${pi.id}`)).body.status).toBe('succeeded');
    expect(sim.ledger.count('capture')).toBe(1);
  });

  it('returns the payment to requires_payment_method when authentication fails', async () => {
    const pi = await requiresAction();
    const res = await sim.app.inject({ method: 'POST', url: `/__sim/3ds/${pi.id}?outcome=fail` });
    expect(res.statusCode).toBe(200);
    expect(res.json().payment_intent).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code: 'payment_intent_authentication_failure' } });
    expect(sim.ledger.size).toBe(0);
  });

  it('waits for the server to confirm again under manual confirmation', async () => {
    const pi = await requiresAction({ confirmation_method: 'manual' });
    await sim.app.inject({ method: 'GET', url: `/__sim/3ds/${pi.id}` });
    expect((await get(sim.app, `/v1/payment_intents/${pi.id}`)).body.status).toBe('requires_confirmation');
    expect(sim.ledger.size).toBe(0);
    const confirmed = await post(sim.app, `/v1/payment_intents/${pi.id}/confirm`);
    expect(confirmed.body.status).toBe('succeeded');
    expect(sim.ledger.count('capture')).toBe(1);
  });

  it('refuses to authenticate a payment that is not waiting for it', async () => {
    sim = buildStripeSim({ seed: 3 });
    const pi = await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'eur', payment_method: 'pm_card_visa', confirm: true });
    const res = await sim.app.inject({ method: 'GET', url: `/__sim/3ds/${pi.body.id}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('payment_intent_unexpected_state');
  });
});
