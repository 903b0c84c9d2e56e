import type { AgentOptions } from 'node:https';
import adyen, { type Types } from '@adyen/api-library';
import { afterEach, describe, expect, it } from 'vitest';
import { startAdyenSim } from '../../../simulators/adyen/index.js';
import { startTlsFront } from './tls-front.js';

/**
 * Adyen's official Node library paying with the wallets Adyen carries — Alipay, WeChat Pay QR and
 * SDK, PayPal — against the simulator (behind the TLS front, as in adyen-sdk.test.ts). The library
 * sends its own request shapes (PaymentDetails types alipay/wechatpayQR/wechatpaySDK,
 * PayPalDetails) and deserialises the answers into its own action classes.
 */
const { CheckoutAPI, Client, EnvironmentEnum, HttpURLConnectionClient } = adyen;
const MERCHANT = 'PaychaosECOM';

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});

async function payments() {
  const sim = await startAdyenSim({ seed: 81, apiKey: 'AQE_paychaos_test_api_key' });
  closers.push(sim.close);
  const front = await startTlsFront('checkout-test.adyen.com', sim.url);
  closers.push(front.close);
  const client = new Client({ apiKey: 'AQE_paychaos_test_api_key', environment: EnvironmentEnum.TEST });
  const http = new HttpURLConnectionClient();
  Object.assign(http, { agentOptions: front.agentOptions satisfies AgentOptions });
  client.httpClient = http;
  return { sim, api: new CheckoutAPI(client).PaymentsApi };
}

const request = (reference: string, paymentMethod: Types.checkout.PaymentRequest['paymentMethod']): Types.checkout.PaymentRequest => ({
  merchantAccount: MERCHANT,
  amount: { value: 8800, currency: 'CNY' },
  reference,
  paymentMethod,
  returnUrl: 'https://shop.example/checkout/return',
});

describe('the official Adyen library paying with wallets through the simulator', () => {
  it('reads each wallet\'s answer as Adyen documents it: a redirect for Alipay, a QR code or SDK payload for WeChat Pay, an SDK token for the PayPal SDK flow', async () => {
    const { sim, api } = await payments();
    const alipay = await api.payments(request('ord_sdk_alipay', { type: 'alipay' as Types.checkout.PaymentDetails.TypeEnum }), { idempotencyKey: 'sdk-ali' });
    expect(alipay).toMatchObject({ resultCode: 'RedirectShopper', action: { type: 'redirect', method: 'GET', paymentMethodType: 'alipay' } });

    const qr = await api.payments(request('ord_sdk_wxqr', { type: 'wechatpayQR' as Types.checkout.PaymentDetails.TypeEnum }), { idempotencyKey: 'sdk-wxqr' });
    expect(qr.resultCode).toBe('Pending');
    expect(qr.action).toMatchObject({ type: 'qrCode', paymentMethodType: 'wechatpayQR', qrCodeData: expect.stringMatching(/^weixin:/) });

    const app = await api.payments(request('ord_sdk_wxsdk', { type: 'wechatpaySDK' as Types.checkout.PaymentDetails.TypeEnum }), { idempotencyKey: 'sdk-wxsdk' });
    expect(app).toMatchObject({ resultCode: 'Pending', action: { type: 'sdk', paymentMethodType: 'wechatpaySDK', sdkData: expect.objectContaining({ package: 'Sign=WXPay' }) } });

    const paypal = await api.payments(request('ord_sdk_paypal', { type: 'paypal' as Types.checkout.PayPalDetails.TypeEnum, subtype: 'sdk' as Types.checkout.PayPalDetails.SubtypeEnum }), { idempotencyKey: 'sdk-pp' });
    expect(paypal).toMatchObject({ resultCode: 'Pending', action: { type: 'sdk', paymentMethodType: 'paypal', sdkData: { token: expect.any(String) } } });

    // Nothing is charged before a shopper approves.
    expect(sim.ledger.entries()).toEqual([]);
  });
});
