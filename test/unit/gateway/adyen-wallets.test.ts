import { describe, expect, it, onTestFinished } from 'vitest';
import { AdyenClient } from '../../../gateway/clients/index.js';
import { fakeProvider, type FakeAnswer } from './fake-provider.js';

/**
 * The gateway's Adyen client paying a wallet through Adyen: what it sends (paymentMethod.type as
 * Adyen's API-only guides name the wallets) and how it reads the answer (waiting for the shopper:
 * pending with no error). A card answered RedirectShopper is still 3-D Secure the gateway cannot do.
 */
async function adyen(answer: FakeAnswer) {
  const provider = await fakeProvider(() => answer);
  onTestFinished(() => provider.close());
  const client = new AdyenClient({ url: provider.url });
  onTestFinished(() => client.close());
  return { provider, client };
}

const order = (paymentMethod: string) => ({ orderId: `ord_${paymentMethod}`, amount: 8800, currency: 'cny', paymentMethod, providerKey: `gw-${paymentMethod}` });
const redirect: FakeAnswer = { status: 200, body: JSON.stringify({ resultCode: 'RedirectShopper', pspReference: '8815000000000001', action: { type: 'redirect' } }) };
const pending: FakeAnswer = { status: 200, body: JSON.stringify({ resultCode: 'Pending', pspReference: '8815000000000002', action: { type: 'qrCode', qrCodeData: 'weixin://x' } }) };

describe('AdyenClient with wallets', () => {
  it.each([
    ['pm_alipay', { type: 'alipay' }, redirect, 'RedirectShopper'],
    ['pm_wechat_pay', { type: 'wechatpayQR' }, pending, 'Pending'],
    ['pm_paypal', { type: 'paypal', subtype: 'redirect' }, redirect, 'RedirectShopper'],
  ])('sends %s as %j and reads the answer as waiting for the shopper', async (method, paymentMethod, answer, code) => {
    const { provider, client } = await adyen(answer);
    const result = await client.charge(order(method));
    expect(JSON.parse(provider.calls[0]!.body)).toMatchObject({ paymentMethod, reference: `ord_${method}`, amount: { value: 8800, currency: 'CNY' } });
    expect(result).toEqual({ outcome: 'pending', providerCode: code, paymentId: expect.any(String), providerStatus: 200 });
  });

  it('still reads a card answered RedirectShopper as authentication_required (no shopper to send to 3-D Secure)', async () => {
    const { provider, client } = await adyen(redirect);
    const result = await client.charge(order('pm_card_authenticationRequired'));
    expect(JSON.parse(provider.calls[0]!.body).paymentMethod.type).toBe('scheme');
    expect(result).toMatchObject({ outcome: 'failed', errorCode: 'authentication_required' });
  });
});
