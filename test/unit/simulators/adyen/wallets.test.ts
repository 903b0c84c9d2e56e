import { afterEach, describe, expect, it } from 'vitest';
import { buildAdyenSim, type AdyenSim } from '../../../../simulators/adyen/index.js';
import { payment, post } from './helpers.js';
import { ManualClock } from '../../../../src/kernel/index.js';

/**
 * Adyen carrying wallets as payment methods, answered as Adyen's API-only guides describe:
 * Alipay and PayPal (redirect) redirect the shopper; WeChat Pay QR/SDK and PayPal SDK are Pending
 * with the action the app or page needs. Nothing is in the ledger until the shopper approves.
 */
let sim: AdyenSim;
afterEach(async () => sim?.app.close());

const CNY = { amount: { value: 8800, currency: 'CNY' } };

describe('Adyen wallets', () => {
  it.each([
    [{ type: 'alipay' }, 'RedirectShopper', { type: 'redirect', method: 'GET', paymentMethodType: 'alipay' }],
    [{ type: 'paypal', subtype: 'redirect' }, 'RedirectShopper', { type: 'redirect', method: 'GET', paymentMethodType: 'paypal', paymentData: expect.any(String) }],
    [{ type: 'paypal', subtype: 'sdk' }, 'Pending', { type: 'sdk', paymentMethodType: 'paypal', sdkData: { token: expect.any(String) } }],
    [{ type: 'wechatpayQR' }, 'Pending', { type: 'qrCode', paymentMethodType: 'wechatpayQR', qrCodeData: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=/) }],
    [{ type: 'wechatpaySDK' }, 'Pending', { type: 'sdk', paymentMethodType: 'wechatpaySDK', sdkData: expect.objectContaining({ prepayid: expect.stringMatching(/^wx\d+$/), package: 'Sign=WXPay' }) }],
  ])('answers %j with %s and its action, and charges nothing yet', async (paymentMethod, resultCode, action) => {
    sim = buildAdyenSim({ seed: 41 });
    const res = await post(sim.app, '/v71/payments', payment({ ...CNY, paymentMethod, reference: 'ord_wallet' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resultCode, merchantReference: 'ord_wallet', pspReference: expect.stringMatching(/^\d{16}$/), action });
    expect(sim.ledger.size).toBe(0);
  });

  it('asks for a returnUrl where the shopper comes back (Alipay), not where the app decides (WeChat Pay QR)', async () => {
    sim = buildAdyenSim({ seed: 42 });
    const alipay = await post(sim.app, '/v71/payments', payment({ ...CNY, paymentMethod: { type: 'alipay' }, returnUrl: undefined }));
    expect(alipay).toMatchObject({ status: 422, body: { errorCode: '14_030' } });
    const qr = await post(sim.app, '/v71/payments', payment({ ...CNY, paymentMethod: { type: 'wechatpayQR' }, returnUrl: undefined }));
    expect(qr.body.resultCode).toBe('Pending');
  });

  it('an app wallet (WeChat Pay QR) is decided when the shopper approves in the app: authorised and captured once', async () => {
    sim = buildAdyenSim({ seed: 43 });
    const res = await post(sim.app, '/v71/payments', payment({ ...CNY, paymentMethod: { type: 'wechatpayQR' }, reference: 'ord_qr' }), { 'idempotency-key': 'k-qr' });
    const page = new URL(res.body.action.url as string);
    const approved = await sim.app.inject({ method: 'GET', url: `${page.pathname}?outcome=authorise` });
    expect(approved.json()).toMatchObject({ pspReference: res.body.pspReference, resultCode: 'Authorised' });
    // Scanning twice does not pay twice.
    const again = await sim.app.inject({ method: 'GET', url: `${page.pathname}?outcome=authorise` });
    expect(again.statusCode).not.toBe(200);
    expect(sim.ledger.entries().map((e) => [e.kind, e.orderId, e.amount, e.idempotencyKey])).toEqual([
      ['authorization', 'ord_qr', 8800, 'k-qr'],
      ['capture', 'ord_qr', 8800, 'k-qr'],
    ]);
  });

  it('a redirect wallet (Alipay) completes through the return trip and /payments/details, like iDEAL', async () => {
    sim = buildAdyenSim({ seed: 44 });
    const res = await post(sim.app, '/v71/payments', payment({ ...CNY, paymentMethod: { type: 'alipay' }, reference: 'ord_ali' }));
    const page = new URL(res.body.action.url as string);
    const back = await sim.app.inject({ method: 'GET', url: `${page.pathname}?outcome=authorise` });
    expect(back.statusCode).toBe(302);
    const redirectResult = new URL(back.headers.location as string).searchParams.get('redirectResult');
    const details = await post(sim.app, '/v71/payments/details', { details: { redirectResult } });
    expect(details.body).toMatchObject({ resultCode: 'Authorised', merchantReference: 'ord_ali', paymentMethod: { type: 'alipay' } });
    expect(sim.ledger.entries().filter((e) => e.kind === 'capture')).toHaveLength(1);
  });

  it('with shopperApprovesAfterMs, the wallet shopper authorises on their own after that long (on the clock) and the AUTHORISATION notification follows', async () => {
    const clock = new ManualClock(0);
    const sent: string[] = [];
    sim = buildAdyenSim({ seed: 44, clock, shopperApprovesAfterMs: 4000, profile: { webhooks: { url: 'http://merchant.test/webhooks/adyen' } }, transport: async (_url, body) => (sent.push(body), { status: 200, body: '[accepted]' }) });
    const res = await post(sim.app, '/v71/payments', payment({ ...CNY, paymentMethod: { type: 'alipay' }, reference: 'ord_late' }), { 'idempotency-key': 'k-late' });
    expect(res.body.resultCode).toBe('RedirectShopper');
    clock.advance(3999);
    expect(sim.ledger.size).toBe(0);
    clock.advance(1);
    expect(sim.ledger.entries().map((e) => [e.kind, e.orderId, e.amount])).toEqual([['authorization', 'ord_late', 8800], ['capture', 'ord_late', 8800]]);
    await new Promise((r) => setImmediate(r));
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!).notificationItems[0].NotificationRequestItem).toMatchObject({ eventCode: 'AUTHORISATION', success: 'true', merchantReference: 'ord_late' });
  });

  it('lists the webhook HMAC key (and the API key when it checks one) at /__sim/keys, as the Customer Area shows them', async () => {
    sim = buildAdyenSim({ seed: 45, hmacKey: 'AABBCC', apiKey: 'AQE_test' });
    expect((await sim.app.inject({ method: 'GET', url: '/__sim/keys' })).json()).toEqual({ hmacKey: 'AABBCC', apiKey: 'AQE_test' });
  });
});

