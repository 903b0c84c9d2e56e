import { afterEach, describe, expect, it } from 'vitest';
import { buildAdyenSim, type AdyenSim } from '../../../../simulators/adyen/index.js';
import { payment, post } from './helpers.js';

let sim: AdyenSim;
afterEach(async () => sim?.app.close());

async function redirectShopper(paymentMethod: Record<string, unknown>) {
  sim = buildAdyenSim({ seed: 32 });
  const res = await post(sim.app, '/v71/payments', payment({ paymentMethod, reference: 'ord_redirect' }));
  expect(res.body.resultCode).toBe('RedirectShopper');
  expect(res.body.action).toMatchObject({ type: 'redirect', method: 'GET', paymentMethodType: paymentMethod.type });
  expect(sim.ledger.size).toBe(0);
  return res.body;
}

async function shopper(url: string, outcome: string) {
  const u = new URL(url);
  const res = await sim.app.inject({ method: 'GET', url: `${u.pathname}?outcome=${outcome}` });
  expect(res.statusCode).toBe(302);
  const back = new URL(res.headers.location as string);
  expect(back.origin + back.pathname).toBe('https://shop.example/return');
  return back.searchParams.get('redirectResult') as string;
}

describe('Adyen redirect payment methods', () => {
  it.each(['ideal', 'grabpay_SG'])('completes a %s payment through the redirect and /payments/details', async (type) => {
    const first = await redirectShopper({ type });
    const redirectResult = await shopper(first.action.url, 'authorise');
    const details = await post(sim.app, '/v71/payments/details', { details: { redirectResult } });
    expect(details.body).toMatchObject({ resultCode: 'Authorised', pspReference: first.pspReference, merchantReference: 'ord_redirect' });
    expect(sim.ledger.byOrder('ord_redirect').map((e) => e.kind)).toEqual(['authorization', 'capture']);
    // Submitting the same details again answers the same result and moves no more money.
    const again = await post(sim.app, '/v71/payments/details', { details: { redirectResult } });
    expect(again.body).toEqual(details.body);
    expect(sim.ledger.size).toBe(2);
  });

  it('answers Refused when the bank refuses and Cancelled when the shopper cancels', async () => {
    const first = await redirectShopper({ type: 'ideal' });
    const refused = await post(sim.app, '/v71/payments/details', { details: { redirectResult: await shopper(first.action.url, 'refuse') } });
    expect(refused.body).toMatchObject({ resultCode: 'Refused', refusalReasonCode: '2' });
    const second = await post(sim.app, '/v71/payments', payment({ paymentMethod: { type: 'grabpay_SG' } }));
    const cancelled = await post(sim.app, '/v71/payments/details', { details: { redirectResult: await shopper(second.body.action.url, 'cancel') } });
    expect(cancelled.body.resultCode).toBe('Cancelled');
    expect(sim.ledger.size).toBe(0);
  });

  it('redirects a 3-D Secure test card and refuses it as 3D Not Authenticated when authentication fails', async () => {
    const first = await redirectShopper({ type: 'scheme', number: '4212345678901237', expiryMonth: '03', expiryYear: '2030', cvc: '737' });
    const res = await post(sim.app, '/v71/payments/details', { details: { redirectResult: await shopper(first.action.url, 'refuse') } });
    expect(res.body).toMatchObject({ resultCode: 'Refused', refusalReasonCode: '11', refusalReason: '3D Not Authenticated' });
  });

  it('rejects details without a known redirectResult', async () => {
    sim = buildAdyenSim({ seed: 32 });
    expect((await post(sim.app, '/v71/payments/details', { details: {} })).body).toMatchObject({ status: 422, errorCode: '702' });
    expect((await post(sim.app, '/v71/payments/details', { details: { redirectResult: 'forged' } })).status).toBe(422);
  });
});
