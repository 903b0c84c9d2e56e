import { afterEach, describe, expect, it } from 'vitest';
import { buildStripeSim, type StripeSim } from '../../../../simulators/stripe/index.js';
import { post } from './helpers.js';

/**
 * A malformed request gets the answer Stripe gives it — status, `type`, `code` and `param` — so a
 * client's error handling is exercised as it would be against the real API, and nothing is charged.
 */
let sim: StripeSim;
afterEach(async () => sim?.app.close());
const fresh = () => (sim = buildStripeSim({ seed: 5 }));

const RAW_CARD = { type: 'card', card: { number: '4242424242424242', exp_month: '12', exp_year: '2030', cvc: '123' } };

describe('Stripe simulator: malformed requests answered as Stripe answers them', () => {
  it.each(['zzz', 'ZZZ', 'usx'])('refuses currency %s with 400 invalid_request_error naming currency and listing the supported ones', async (currency) => {
    fresh();
    const res = await post(sim.app, '/v1/payment_intents', { amount: 100, currency });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: 'currency' });
    expect(res.body.error.message).toMatch(new RegExp(`^Invalid currency: ${currency.toLowerCase()}\\. Stripe currently supports these currencies: usd, aed, `));
    expect(res.body.error.message).toContain(', eur, ');
    expect(sim.ledger.size).toBe(0);
  });

  it('refuses an unsupported currency on update as well', async () => {
    fresh();
    const pi = await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'usd' });
    const res = await post(sim.app, `/v1/payment_intents/${pi.body.id}`, { currency: 'zzz' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: 'currency' });
  });

  it.each(['usd', 'EUR', 'jpy', 'cny', 'sgd', 'php', 'gbp', 'kwd'])('accepts the supported currency %s', async (currency) => {
    fresh();
    const res = await post(sim.app, '/v1/payment_intents', { amount: 100, currency, payment_method: 'pm_card_visa', confirm: true });
    expect(res.status).toBe(200);
    expect(res.body.currency).toBe(currency.toLowerCase());
  });

  it('answers a JSON body as Stripe does: 400 asking for a form-encoded POST, not a misleading parameter error', async () => {
    fresh();
    const res = await sim.app.inject({
      method: 'POST',
      url: '/v1/payment_intents',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ amount: 100, currency: 'usd', payment_method: 'pm_card_visa', confirm: true }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        message: 'Invalid request (check that your POST content type is application/x-www-form-urlencoded). If you have any questions, we can help at https://support.stripe.com/.',
      },
    });
    expect(res.headers['request-id']).toMatch(/^req_/);
    expect(sim.ledger.size).toBe(0);
  });

  it.each([
    ['unparseable JSON', 'application/json', '{"amount": 1'],
    ['a JSON content type with charset', 'application/json; charset=utf-8', '{"amount":100}'],
    ['plain text', 'text/plain', 'amount=100&currency=usd'],
    ['an unknown media type', 'application/xml', '<amount>100</amount>'],
  ])('answers %s with the same content-type error', async (_name, contentType, payload) => {
    fresh();
    const res = await sim.app.inject({ method: 'POST', url: '/v1/payment_intents/pi_x/confirm', headers: { 'content-type': contentType }, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^Invalid request \(check that your POST content type is application\/x-www-form-urlencoded\)/);
  });

  it('still takes a form body whose content type carries a charset, and a POST with no body at all', async () => {
    fresh();
    const created = await sim.app.inject({ method: 'POST', url: '/v1/payment_intents', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, payload: 'amount=100&currency=usd' });
    expect(created.statusCode).toBe(200);
    const canceled = await sim.app.inject({ method: 'POST', url: `/v1/payment_intents/${created.json().id}/cancel` });
    expect(canceled.statusCode).toBe(200);
    expect(canceled.json().status).toBe('canceled');
  });

  it.each([
    ['create', (_id: string) => '/v1/payment_intents', { amount: 100, currency: 'usd', confirm: true }],
    ['update', (id: string) => `/v1/payment_intents/${id}`, {}],
    ['confirm', (id: string) => `/v1/payment_intents/${id}/confirm`, {}],
  ])('refuses raw card numbers in payment_method_data on %s, as Stripe does for an account without raw card data access', async (_name, url, params) => {
    fresh();
    const pi = await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'usd' });
    const res = await post(sim.app, url(pi.body.id), { ...params, payment_method_data: RAW_CARD });
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('invalid_request_error');
    expect(res.body.error.message).toMatch(/^Sending credit card numbers directly to the Stripe API is generally unsafe\. /);
    expect(res.body.error.message).toContain('https://support.stripe.com/questions/enabling-access-to-raw-card-data-apis');
    // The number is never echoed back, and nothing was charged or changed.
    expect(JSON.stringify(res.body)).not.toContain('4242424242424242');
    expect(sim.ledger.size).toBe(0);
    expect((await sim.app.inject({ method: 'GET', url: `/v1/payment_intents/${pi.body.id}` })).json()).toMatchObject({ status: 'requires_payment_method', payment_method: null });
  });

  it('never ignores payment_method_data it cannot use: it says so instead of reporting a missing payment method', async () => {
    fresh();
    const res = await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'usd', confirm: true, payment_method_data: { type: 'card', card: { token: 'tok_visa' } } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: 'payment_method_data' });
    expect(res.body.error.code).not.toBe('payment_intent_unexpected_state');
    expect(sim.ledger.size).toBe(0);
  });

  it.each(['4242424242424242', '4242 4242 4242 4242', '4000-0000-0000-0002', '4242.4242.4242.4242', '4111111111111112'])(
    'refuses the card number %j as payment_method as Stripe does (resource_missing), pointing to test ids, without echoing it',
    async (pm) => {
      fresh();
      const res = await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'usd', payment_method: pm, confirm: true });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing', param: 'payment_method' });
      expect(res.body.error.message).toMatch(/pm_card_visa/);
      const digits = pm.replace(/[ .-]/g, '');
      expect(JSON.stringify(res.body)).not.toContain(digits);
      expect(JSON.stringify(res.body)).not.toContain(pm);
      expect(res.body.error.message).toContain(`${digits.slice(0, 6)}******${digits.slice(-4)}`);
      expect(sim.ledger.size).toBe(0);
    },
  );

  it('refuses a card number inside other text as payment_method, and on a Customer, without echoing it', async () => {
    fresh();
    const inText = await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'usd', payment_method: 'visa 4242 4242 4242 4242', confirm: true });
    expect(inText.status).toBe(400);
    expect(inText.body.error).toMatchObject({ code: 'resource_missing', param: 'payment_method' });
    expect(inText.body.error.message).toMatch(/pm_card_visa/);
    const customer = await post(sim.app, '/v1/customers', { payment_method: '4242424242424242' });
    expect(customer.status).toBe(400);
    expect(customer.body.error).toMatchObject({ code: 'resource_missing', param: 'payment_method' });
    for (const body of [inText.body, customer.body]) expect(JSON.stringify(body).replace(/[ .-]/g, '')).not.toContain('4242424242424242');
  });

  it.each(['1234', 'card_visa', 'pm_1234'])('answers %j, not a PaymentMethod it knows, with resource_missing "No such PaymentMethod"', async (pm) => {
    fresh();
    const res = await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'usd', payment_method: pm, confirm: true });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ type: 'invalid_request_error', code: 'resource_missing', param: 'payment_method', message: `No such PaymentMethod: '${pm}'` });
    expect(sim.ledger.size).toBe(0);
  });

  it('keeps every test PaymentMethod id working', async () => {
    fresh();
    const outcomes: Record<string, number> = {};
    for (const pm of ['pm_card_visa', 'pm_card_mastercard', 'pm_card_chargeDeclined', 'pm_card_threeDSecure2Required']) {
      outcomes[pm] = (await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'usd', payment_method: pm, confirm: true })).status;
    }
    expect(outcomes).toEqual({ pm_card_visa: 200, pm_card_mastercard: 200, pm_card_chargeDeclined: 402, pm_card_threeDSecure2Required: 200 });
  });

  it('answers a body over the size limit with 413 in Stripe shape, not 400', async () => {
    fresh();
    const payload = `amount=100&currency=usd&description=${'x'.repeat(2 * 1024 * 1024)}`;
    const res = await sim.app.inject({ method: 'POST', url: '/v1/payment_intents', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ type: 'invalid_request_error' });
    expect(res.json().error.message).toMatch(/too large/i);
    expect(sim.ledger.size).toBe(0);
  });

  it('answers an oversized body sent without a content length (chunked) with 413 as well', async () => {
    fresh();
    const { Readable } = await import('node:stream');
    const chunk = 'x'.repeat(64 * 1024);
    const body = Readable.from((function* () {
      yield 'amount=100&currency=usd&description=';
      for (let i = 0; i < 32; i++) yield chunk;
    })());
    const res = await sim.app.inject({ method: 'POST', url: '/v1/payment_intents', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.type).toBe('invalid_request_error');
  });
});
