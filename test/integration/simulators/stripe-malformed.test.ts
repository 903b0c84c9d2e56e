import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { startStripeSim, type StartedStripeSim } from '../../../simulators/stripe/index.js';
import { stripeSdkFor } from '../../helpers/stripe-sdk.js';

/**
 * Malformed requests over a real socket, read by the official `stripe` package where it can send
 * them: the SDK must surface each answer as the error class and fields it gives for real Stripe's.
 */
let sim: StartedStripeSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('malformed requests to the Stripe simulator, over a real socket', () => {
  it('the SDK reads an unsupported currency, raw card data and an unknown payment method as invalid request errors', async () => {
    sim = await startStripeSim({ seed: 31 });
    const stripe = stripeSdkFor(sim.url);

    const currency = await stripe.paymentIntents.create({ amount: 100, currency: 'zzz' }).catch((e: unknown) => e);
    expect(currency).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(currency).toMatchObject({ statusCode: 400, param: 'currency' });
    expect((currency as Error).message).toMatch(/^Invalid currency: zzz\. Stripe currently supports these currencies: usd, /);

    const rawCard = await stripe.paymentIntents
      .create({ amount: 100, currency: 'usd', confirm: true, payment_method_data: { type: 'card', card: { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' } } as never })
      .catch((e: unknown) => e);
    expect(rawCard).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(rawCard).toMatchObject({ statusCode: 400 });
    expect((rawCard as Error).message).toMatch(/^Sending credit card numbers directly to the Stripe API is generally unsafe\./);

    const unknownPm = await stripe.paymentIntents.create({ amount: 100, currency: 'usd', payment_method: 'pm_card_nosuchcard', confirm: true }).catch((e: unknown) => e);
    expect(unknownPm).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(unknownPm).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'payment_method', message: "No such PaymentMethod: 'pm_card_nosuchcard'" });

    expect(sim.ledger.size).toBe(0);
  });

  it('the SDK reads an oversized request as a 413 in Stripe shape (a StripeAPIError: it classes errors by status)', async () => {
    sim = await startStripeSim({ seed: 32 });
    const stripe = stripeSdkFor(sim.url);
    const tooLarge = await stripe.paymentIntents.create({ amount: 100, currency: 'usd', description: 'x'.repeat(2 * 1024 * 1024) }).catch((e: unknown) => e);
    expect(tooLarge).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(tooLarge).toMatchObject({ statusCode: 413, type: 'StripeAPIError', raw: { type: 'invalid_request_error' } });
    expect((tooLarge as Error).message).toMatch(/too large/i);
    expect(sim.ledger.size).toBe(0);
    // The connection is still good for the next request.
    expect((await stripe.paymentIntents.create({ amount: 100, currency: 'usd' })).status).toBe('requires_payment_method');
  });

  it('answers a JSON body with 400 asking for a form-encoded POST', async () => {
    sim = await startStripeSim({ seed: 33 });
    const res = await fetch(`${sim.url}/v1/payment_intents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk_test_paychaos' },
      body: JSON.stringify({ amount: 100, currency: 'usd', payment_method: 'pm_card_visa', confirm: true }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        message: 'Invalid request (check that your POST content type is application/x-www-form-urlencoded). If you have any questions, we can help at https://support.stripe.com/.',
      },
    });
    expect(sim.ledger.size).toBe(0);
  });
});
