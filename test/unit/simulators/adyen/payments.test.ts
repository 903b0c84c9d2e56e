import { afterEach, describe, expect, it } from 'vitest';
import { buildAdyenSim, normaliseAdyenCode, type AdyenSim } from '../../../../simulators/adyen/index.js';
import { CARD, payment, post } from './helpers.js';

let sim: AdyenSim;
afterEach(async () => sim?.app.close());
const fresh = (options: Parameters<typeof buildAdyenSim>[0] = {}) => (sim = buildAdyenSim({ seed: 31, now: () => new Date('2026-11-11T00:00:00Z'), ...options }));

describe('Adyen /payments', () => {
  it('authorises a card payment with resultCode Authorised, and the ledger records it captured', async () => {
    fresh();
    const res = await post(sim.app, '/v71/payments', payment(), { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'idempotency-key': 'a-1' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resultCode: 'Authorised', merchantReference: 'ord_a1', amount: { value: 1000, currency: 'EUR' }, paymentMethod: { type: 'scheme', brand: 'visa' } });
    expect(res.body.pspReference).toMatch(/^\d{16}$/);
    expect(sim.ledger.entries().map((e) => [e.kind, e.orderId, e.amount, e.currency, e.idempotencyKey, e.traceId])).toEqual([
      ['authorization', 'ord_a1', 1000, 'EUR', 'a-1', '0af7651916cd43dd8448eb211c80319c'],
      ['capture', 'ord_a1', 1000, 'EUR', 'a-1', '0af7651916cd43dd8448eb211c80319c'],
    ]);
  });

  it('accepts Drop-in encrypted fields in their test_ form and older API versions', async () => {
    fresh();
    const res = await post(sim.app, '/v68/payments', payment({}, { number: undefined, expiryMonth: undefined, expiryYear: undefined, cvc: undefined, encryptedCardNumber: 'test_5555341244441115', encryptedExpiryMonth: 'test_03', encryptedExpiryYear: 'test_2030', encryptedSecurityCode: 'test_737' }));
    expect(res.body).toMatchObject({ resultCode: 'Authorised', paymentMethod: { brand: 'mc' } });
  });

  it.each([
    ['NOT_ENOUGH_BALANCE', '12', 'Not enough balance', 'insufficient_funds'],
    ['CARD_EXPIRED', '6', 'Expired Card', 'expired_card'],
    ['CVC_DECLINED', '24', 'CVC Declined', 'incorrect_cvc'],
    ['FRAUD', '20', 'FRAUD', 'fraud_suspected'],
    ['ISSUER_UNAVAILABLE', '9', 'Issuer Unavailable', 'issuer_unavailable'],
    ['DECLINED', '2', 'Refused', 'card_declined'],
  ])('refuses holder name %s with HTTP 200, resultCode Refused and refusalReasonCode %s', async (holderName, code, reason, normalised) => {
    fresh();
    const res = await post(sim.app, '/v71/payments', payment({}, { holderName }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resultCode: 'Refused', refusalReasonCode: code, refusalReason: reason });
    expect(normaliseAdyenCode(res.body)).toBe(normalised);
    expect(sim.ledger.size).toBe(0);
  });

  it('refuses the code asked for by RequestedTestAcquirerResponseCode', async () => {
    fresh();
    const res = await post(sim.app, '/v71/payments', payment({ additionalData: { RequestedTestAcquirerResponseCode: 28 } }));
    expect(res.body).toMatchObject({ resultCode: 'Refused', refusalReasonCode: '28', refusalReason: 'Withdrawal amount exceeded' });
  });

  it('answers holder name ERROR with resultCode Error, and refuses an expired card as code 6', async () => {
    fresh();
    expect((await post(sim.app, '/v71/payments', payment({}, { holderName: 'ERROR' }))).body.resultCode).toBe('Error');
    const expired = await post(sim.app, '/v71/payments', payment({}, { expiryMonth: '01', expiryYear: '2020' }));
    expect(expired.body).toMatchObject({ resultCode: 'Refused', refusalReasonCode: '6' });
  });

  it.each([
    [{ merchantAccount: undefined }, {}, '901'],
    [{ amount: undefined }, {}, '100'],
    [{ amount: { value: 10.5, currency: 'EUR' } }, {}, '137'],
    [{ amount: { value: 100, currency: 'euro' } }, {}, '138'],
    [{ reference: '' }, {}, '130'],
    [{}, { number: '4111111111111112' }, '101'],
    [{}, { expiryMonth: '13' }, '129'],
    [{}, { cvc: '7' }, '103'],
    [{ paymentMethod: { type: 'bitcoin' } }, {}, '905'],
    [{ paymentMethod: { type: 'ideal' }, returnUrl: undefined }, {}, '14_030'],
  ])('rejects %j %j with 422 errorCode %s', async (overrides, card, errorCode) => {
    fresh();
    const res = await post(sim.app, '/v71/payments', payment(overrides, card));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 422, errorCode, errorType: 'validation' });
    expect(typeof res.body.message).toBe('string');
  });

  it('answers malformed JSON and unknown routes in Adyen shape, never with a stack trace', async () => {
    fresh();
    const bad = await sim.app.inject({ method: 'POST', url: '/v71/payments', payload: '{"amount":', headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ status: 400, errorCode: '702', errorType: 'validation' });
    expect(bad.body).not.toMatch(/at .*\.(js|ts):\d+/);
    const unknown = await sim.app.inject({ method: 'GET', url: '/v71/paymentMethods/nothing' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ status: 404, errorType: 'validation' });
  });

  it.each(['/v71/orders', '/v71/donations', '/v71/paymentLinks', '/v71/cardDetails', '/v71/payments/8815000000000000/amountUpdates', '/pal/servlet/Payment/v68/authorise'])(
    'answers the not-simulated %s 404 in Adyen\'s error shape, after the API key check',
    async (url) => {
      fresh({ apiKey: 'AQE_test' });
      expect((await post(sim.app, url, {})).body).toEqual({ status: 401, errorCode: '000', message: 'HTTP Status Response - Unauthorized', errorType: 'security' });
      const res = await post(sim.app, url, {}, { 'x-api-key': 'AQE_test' });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ status: 404, errorCode: '000', message: `Not Found: POST ${url}`, errorType: 'validation' });
      expect(sim.ledger.size).toBe(0);
    },
  );

  it('demands x-api-key when started with one', async () => {
    fresh({ apiKey: 'AQE_test' });
    const res = await post(sim.app, '/v71/payments', payment());
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ status: 401, errorCode: '000', message: 'HTTP Status Response - Unauthorized', errorType: 'security' });
    expect((await post(sim.app, '/v71/payments', payment(), { 'x-api-key': 'AQE_wrong' })).status).toBe(401);
    expect(sim.ledger.size).toBe(0);
    expect((await post(sim.app, '/v71/payments', payment(), { 'x-api-key': 'AQE_test' })).body.resultCode).toBe('Authorised');
  });

  it('runs outcome chains by merchant reference: refused twice, then authorised', async () => {
    fresh({ profile: { chain: { rate: 1, code: '9', failures: 2 } } });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await post(sim.app, '/v71/payments', payment({ reference: 'ord_chain' }))).body.refusalReasonCode ?? 'Authorised');
    expect(codes).toEqual(['9', '9', 'Authorised']);
  });

  it('forces refusals by refusalReasonCode through the outcome mix', async () => {
    fresh({ profile: { outcomes: { '12': 1 } } });
    const res = await post(sim.app, '/v71/payments', payment({}, { ...CARD }));
    expect(res.body).toMatchObject({ resultCode: 'Refused', refusalReasonCode: '12' });
  });
});
