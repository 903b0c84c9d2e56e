import { describe, expect, it } from 'vitest';
import { buildAdyenSim } from '../../../../simulators/adyen/index.js';
import { CARD, payment, post } from './helpers.js';

/** Validation and edge answers of /sessions, /cancels and native 3DS2, by raw HTTP from Adyen's API reference. */
describe('Adyen checkout extras', () => {
  it('refuses a session without a return URL (14_030) or amount (100), and an unknown session result', async () => {
    const { app } = buildAdyenSim({ seed: 1 });
    const base = { merchantAccount: 'PaychaosECOM', amount: { value: 100, currency: 'EUR' }, reference: 'ord_s', returnUrl: 'https://shop.example/r' };
    expect((await post(app, '/v71/sessions', { ...base, returnUrl: undefined })).body).toMatchObject({ status: 422, errorCode: '14_030' });
    expect((await post(app, '/v71/sessions', { ...base, returnUrl: 'not a url' })).body).toMatchObject({ errorCode: '14_030' });
    expect((await post(app, '/v71/sessions', { ...base, amount: undefined })).body).toMatchObject({ errorCode: '100' });
    const created = await post(app, '/v71/sessions', base);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ mode: 'embedded', reference: 'ord_s' });
    expect(created.body.url).toBeUndefined();
    const unknown = await app.inject({ method: 'GET', url: `/v71/sessions/${created.body.id}?sessionResult=forged` });
    expect(unknown.statusCode).toBe(422);
    // The shopper cancels: no payment, the session reads canceled, the ledger is empty.
    const back = await app.inject({ method: 'GET', url: `/__sim/session/${created.body.id}?outcome=cancel` });
    const result = new URL(back.headers.location as string).searchParams.get('sessionResult');
    const read = await app.inject({ method: 'GET', url: `/v71/sessions/${created.body.id}?sessionResult=${result}` });
    expect(read.json()).toEqual({ id: created.body.id, reference: 'ord_s', status: 'canceled' });
    const ledger = await app.inject({ method: 'GET', url: '/__sim/ledger' });
    expect(ledger.json().entries).toEqual([]);
  });

  it('cancels a captured payment by reference only in the notification: received, success false, no ledger void', async () => {
    const { app, ledger } = buildAdyenSim({ seed: 2 });
    expect((await post(app, '/v71/payments', payment({ reference: 'ord_auto' }))).body.resultCode).toBe('Authorised');
    const cancel = await post(app, '/v71/cancels', { merchantAccount: 'PaychaosECOM', paymentReference: 'ord_auto' });
    expect(cancel.status).toBe(201);
    expect(cancel.body).toMatchObject({ status: 'received', paymentReference: 'ord_auto' });
    expect(ledger.entries().map((e) => e.kind)).toEqual(['authorization', 'capture']);
    expect((await post(app, '/v71/cancels', { merchantAccount: '', paymentReference: 'ord_auto' })).body).toMatchObject({ errorCode: '901' });
  });

  it('takes paymentData in place of the authorisationToken, and asks for the challenge before any result', async () => {
    const { app, ledger } = buildAdyenSim({ seed: 3 });
    const identify = await post(app, '/v71/payments', payment({ reference: 'ord_pd', authenticationData: { threeDSRequestData: { nativeThreeDS: 'preferred' } } }, { ...CARD, number: '5454545454545454' }));
    expect(identify.body).toMatchObject({ resultCode: 'IdentifyShopper', action: { type: 'threeDS2', subtype: 'fingerprint' } });
    const token = identify.body.action.authorisationToken as string;
    // The ACS has nothing to answer before the fingerprint.
    expect((await app.inject({ method: 'GET', url: `/__sim/3ds2/${token}` })).statusCode).toBe(409);
    const encoded = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64');
    const challenge = await post(app, '/v71/payments/details', { paymentData: token, details: { threeDSResult: encoded({ threeDSCompInd: 'Y' }) } });
    expect(challenge.body.resultCode).toBe('ChallengeShopper');
    const done = await post(app, '/v71/payments/details', { paymentData: token, details: { threeDSResult: encoded({ transStatus: 'Y' }) } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ resultCode: 'Authorised', merchantReference: 'ord_pd' });
    expect(ledger.entries().map((e) => e.kind)).toEqual(['authorization', 'capture']);
    // Without nativeThreeDS the same card is a redirect, as before.
    const redirect = await post(app, '/v71/payments', payment({ reference: 'ord_rd' }, { ...CARD, number: '5454545454545454' }));
    expect(redirect.body).toMatchObject({ resultCode: 'RedirectShopper', action: { type: 'redirect' } });
  });

  it('lists only methods for the country and currency, and refuses a bad amount', async () => {
    const { app } = buildAdyenSim({ seed: 4 });
    const ph = await post(app, '/v71/paymentMethods', { merchantAccount: 'PaychaosECOM', countryCode: 'PH', amount: { value: 100, currency: 'PHP' } });
    expect(ph.body.paymentMethods.map((m: { type: string }) => m.type)).toEqual(['scheme', 'grabpay_PH']);
    const allowed = await post(app, '/v71/paymentMethods', { merchantAccount: 'PaychaosECOM', allowedPaymentMethods: ['ideal'] });
    expect(allowed.body.paymentMethods.map((m: { type: string }) => m.type)).toEqual(['ideal']);
    expect((await post(app, '/v71/paymentMethods', { merchantAccount: 'PaychaosECOM', amount: { value: -1, currency: 'EUR' } })).body).toMatchObject({ errorCode: '137' });
  });
});
