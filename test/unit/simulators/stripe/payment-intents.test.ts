import { afterEach, describe, expect, it } from 'vitest';
import { buildStripeSim, normaliseStripeCode, type StripeSim } from '../../../../simulators/stripe/index.js';
import { TRACEPARENT, get, post } from './helpers.js';

let sim: StripeSim;
const fresh = (options: Parameters<typeof buildStripeSim>[0] = {}) => (sim = buildStripeSim({ seed: 1, ...options }));
afterEach(async () => sim?.app.close());

describe('Stripe PaymentIntents', () => {
  it('creates and confirms a payment in one call, and the ledger records the authorisation and capture', async () => {
    fresh();
    const res = await post(sim.app, '/v1/payment_intents', { amount: 1999, currency: 'EUR', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: 'ord_1' } }, { 'idempotency-key': 'k1', traceparent: TRACEPARENT });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount: 1999, amount_received: 1999, currency: 'eur', metadata: { order_id: 'ord_1' } });
    expect(res.body.id).toMatch(/^pi_/);
    expect(res.body.latest_charge).toMatch(/^ch_/);
    expect(res.headers['request-id']).toMatch(/^req_/);
    const ledger = (await get(sim.app, '/__sim/ledger')).body;
    expect(ledger.provider).toBe('stripe');
    expect(ledger.entries.map((e: { kind: string }) => e.kind)).toEqual(['authorization', 'capture']);
    expect(ledger.entries[1]).toMatchObject({ paymentId: res.body.id, orderId: 'ord_1', idempotencyKey: 'k1', amount: 1999, currency: 'eur', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
  });

  it.each([
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline', 'card_declined'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds', 'insufficient_funds'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card', 'expired_card'],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc', 'incorrect_cvc'],
    ['pm_card_chargeDeclinedProcessingError', 'processing_error', 'processing_error', 'provider_error'],
  ])('declines %s with 402 code %s / decline_code %s, and charges nothing', async (pm, code, declineCode, normalised) => {
    fresh();
    const res = await post(sim.app, '/v1/payment_intents', { amount: 1000, currency: 'usd', payment_method: pm, confirm: true });
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({ type: 'card_error', code, decline_code: declineCode });
    expect(res.body.error.payment_intent).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code } });
    expect(normaliseStripeCode(res.body.error.code, res.body.error.decline_code)).toBe(normalised);
    expect(sim.ledger.size).toBe(0);
  });

  it('creates without confirming, then confirms with the confirm endpoint', async () => {
    fresh();
    const created = await post(sim.app, '/v1/payment_intents', { amount: 700, currency: 'gbp' });
    expect(created.body.status).toBe('requires_payment_method');
    const confirmed = await post(sim.app, `/v1/payment_intents/${created.body.id}/confirm`, { payment_method: 'pm_card_visa' });
    expect(confirmed.body).toMatchObject({ status: 'succeeded', payment_method: 'pm_card_visa' });
    expect((await get(sim.app, `/v1/payment_intents/${created.body.id}`)).body.status).toBe('succeeded');
    expect(sim.ledger.count('capture')).toBe(1);
  });

  it('refuses to confirm a payment that already succeeded', async () => {
    fresh();
    const pi = await post(sim.app, '/v1/payment_intents', { amount: 700, currency: 'gbp', payment_method: 'pm_card_visa', confirm: true });
    const again = await post(sim.app, `/v1/payment_intents/${pi.body.id}/confirm`, {});
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ type: 'invalid_request_error', code: 'payment_intent_unexpected_state' });
    expect(sim.ledger.count('capture')).toBe(1);
  });

  it('holds a manual-capture payment, captures part of it and releases the rest as a void', async () => {
    fresh();
    const pi = await post(sim.app, '/v1/payment_intents', { amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
    expect(pi.body).toMatchObject({ status: 'requires_capture', amount_capturable: 1000, amount_received: 0 });
    expect(sim.ledger.count('capture')).toBe(0);
    const tooMuch = await post(sim.app, `/v1/payment_intents/${pi.body.id}/capture`, { amount_to_capture: 1001 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.code).toBe('amount_too_large');
    const captured = await post(sim.app, `/v1/payment_intents/${pi.body.id}/capture`, { amount_to_capture: 600 });
    expect(captured.body).toMatchObject({ status: 'succeeded', amount_received: 600, amount_capturable: 0 });
    expect(sim.ledger.balanceOf(pi.body.id)).toEqual({ authorized: 1000, captured: 600, refunded: 0, voided: 400 });
    const charge = await get(sim.app, `/v1/charges/${pi.body.latest_charge}`);
    expect(charge.body).toMatchObject({ captured: true, amount_captured: 600 });
  });

  it('cancels a held payment, voiding the authorisation, and refuses to cancel a succeeded one', async () => {
    fresh();
    const held = await post(sim.app, '/v1/payment_intents', { amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
    const canceled = await post(sim.app, `/v1/payment_intents/${held.body.id}/cancel`, { cancellation_reason: 'requested_by_customer' });
    expect(canceled.body).toMatchObject({ status: 'canceled', cancellation_reason: 'requested_by_customer' });
    expect(sim.ledger.balanceOf(held.body.id)).toEqual({ authorized: 1000, captured: 0, refunded: 0, voided: 1000 });
    const done = await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    const refused = await post(sim.app, `/v1/payment_intents/${done.body.id}/cancel`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('payment_intent_unexpected_state');
  });

  it('updates an unconfirmed payment', async () => {
    fresh();
    const pi = await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'usd' });
    const updated = await post(sim.app, `/v1/payment_intents/${pi.body.id}`, { amount: 250, metadata: { order_id: 'o9' }, payment_method: 'pm_card_visa' });
    expect(updated.body).toMatchObject({ amount: 250, metadata: { order_id: 'o9' }, status: 'requires_confirmation' });
  });

  it.each([
    [{ currency: 'usd' }, 'parameter_missing', 'amount'],
    [{ amount: '12.5', currency: 'usd' }, 'parameter_invalid_integer', 'amount'],
    [{ amount: 100 }, 'parameter_missing', 'currency'],
    [{ amount: 100, currency: 'dollars' }, 'parameter_invalid_string', 'currency'],
    [{ amount: 100, currency: 'usd', capture_method: 'later' }, 'parameter_invalid_string', 'capture_method'],
    [{ amount: 100, currency: 'usd', payment_method: 'pm_card_unknown', confirm: true }, 'resource_missing', 'payment_method'],
  ])('rejects invalid parameters %j with 400 %s naming %s', async (params, code, param) => {
    fresh();
    const res = await post(sim.app, '/v1/payment_intents', params);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code, param });
  });

  it('answers an unknown object with 404 resource_missing', async () => {
    fresh();
    const res = await get(sim.app, '/v1/payment_intents/pi_nope');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing', param: 'intent' });
    expect((await post(sim.app, '/v1/payment_intents/pi_nope/capture')).status).toBe(404);
  });

  it('answers an unknown route with a 404 in Stripe shape', async () => {
    fresh();
    const res = await get(sim.app, '/v1/customers_of_mars');
    expect(res.status).toBe(404);
    expect(res.body.error.type).toBe('invalid_request_error');
    expect(res.body.error.message).toMatch(/Unrecognized request URL \(GET: \/v1\/customers_of_mars\)/);
  });

  it('answers a malformed body in Stripe shape, never with a stack trace', async () => {
    fresh();
    const res = await sim.app.inject({ method: 'POST', url: '/v1/payment_intents', payload: '{"amount": 1', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.type).toBe('invalid_request_error');
    expect(res.body).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('demands the API key when started with one', async () => {
    fresh({ apiKey: 'sk_test_123' });
    const anonymous = await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'usd' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.type).toBe('invalid_request_error');
    const keyed = await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'usd' }, { authorization: 'Bearer sk_test_123' });
    expect(keyed.status).toBe(200);
  });
});
