import { randomBytes } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createProviderClient, type ChargeRequest, type ProviderConnection } from '../../../gateway/index.js';
import { rsaSha256Sign } from '../../../simulators/index.js';
import { fakeProvider, rsaPemPair, type FakeAnswer, type FakeCall } from './fake-provider.js';

/**
 * Every client, answered a 2xx whose body is JSON but not an object (a proxy's rewrite, a broken
 * upstream): not an answer, so pending outcome_unknown where the charge may exist — never a throw,
 * and never a "failed" that would let a new key charge the order again.
 */

const NOT_OBJECTS = ['null', '[]', '"paid"', '42', 'true'];
const order: ChargeRequest = { orderId: 'order-1', amount: 1000, currency: 'cny', paymentMethod: 'pm_wallet', providerKey: 'gw-0123456789abcdef-k1' };
const json = (status: number, body: unknown): FakeAnswer => ({ status, body: JSON.stringify(body) });

const alipayKeys = rsaPemPair();
const wechatMerchant = rsaPemPair();
const wechatPlatform = rsaPemPair();

/** WeChat believes only signed answers: the fake signs whatever it says with the platform key. */
function signedByWechat(body: string): FakeAnswer {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const signature = rsaSha256Sign(`${timestamp}\n${nonce}\n${body}\n`, wechatPlatform.privateKey);
  return { status: 200, body, headers: { 'wechatpay-timestamp': timestamp, 'wechatpay-nonce': nonce, 'wechatpay-signature': signature, 'wechatpay-serial': 'PLATFORM1' } };
}

/** Per provider: its credentials, and a fake that answers `body` where the charge may already exist. */
const CASES: ReadonlyArray<{ provider: string; credentials: ProviderConnection['credentials']; answer: (body: string, call: FakeCall) => FakeAnswer; status: number }> = [
  { provider: 'stripe', credentials: {}, answer: (body) => ({ status: 200, body }), status: 200 },
  { provider: 'adyen', credentials: {}, answer: (body) => ({ status: 200, body }), status: 200 },
  {
    provider: 'alipay',
    credentials: { appId: '2021000000000001', merchantPrivateKey: alipayKeys.privateKey, alipayPublicKey: alipayKeys.publicKey },
    answer: (body) => ({ status: 200, body }),
    status: 200,
  },
  {
    provider: 'wechatpay',
    credentials: { mchid: '1900000001', appid: 'wx0000000000000001', merchantSerial: 'MERCHANT1', merchantPrivateKey: wechatMerchant.privateKey, platformSerial: 'PLATFORM1', platformPublicKey: wechatPlatform.publicKey },
    answer: (body) => signedByWechat(body),
    status: 200,
  },
  {
    // Money moves at the capture: the fake gives a token and an approved order, then garbles the capture's answer.
    provider: 'paypal',
    credentials: {},
    answer: (body, call) =>
      call.url === '/v1/oauth2/token' ? json(200, { access_token: 'A21', expires_in: 3600 }) : call.url === '/v2/checkout/orders' ? json(201, { id: 'PP1', status: 'APPROVED' }) : { status: 200, body },
    status: 200,
  },
  { provider: 'wiremock:localwallet', credentials: {}, answer: (body) => ({ status: 201, body }), status: 201 },
];

describe.each(CASES)('the $provider client, answered 2xx JSON that is not an object', ({ provider, credentials, answer, status }) => {
  it.each(NOT_OBJECTS)('reads %s as no answer: pending outcome_unknown', async (body) => {
    const fake = await fakeProvider((call) => answer(body, call));
    onTestFinished(() => fake.close());
    const client = createProviderClient(provider, { url: fake.url, credentials, settleWithinMs: 200, timeoutMs: 2000 });
    onTestFinished(() => client.close());
    expect(await client.charge(order)).toEqual({ outcome: 'pending', errorCode: 'outcome_unknown', providerStatus: status });
  });
});
