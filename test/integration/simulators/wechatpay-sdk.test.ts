import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aes, Formatter, Rsa, Wechatpay } from 'wechatpay-axios-plugin';
import { scaledClock } from '../../../src/kernel/index.js';
import { startWechatPaySim, type StartedWechatPaySim } from '../../../simulators/wechatpay/index.js';
import { startReceiver, type Received } from './receiver.js';

/**
 * wechatpay-axios-plugin, a WeChat Pay APIv3 SDK, configured as a merchant would be (baseURL and
 * keys differ): it signs our requests, verifies our response signatures, and its AES-GCM and RSA
 * helpers decrypt and verify our notifications.
 */
interface Keys { mchid: string; appid: string; apiV3Key: string; platformSerial: string; platformPublicKey: string; merchantSerial: string; merchantPrivateKey: string }
let sim: StartedWechatPaySim;
let keys: Keys;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let wxpay: any;

const verified = (r: Received, k: Keys) =>
  r.headers['wechatpay-serial'] === k.platformSerial &&
  Rsa.verify(Formatter.response(String(r.headers['wechatpay-timestamp']), String(r.headers['wechatpay-nonce']), r.body), String(r.headers['wechatpay-signature']), k.platformPublicKey);

beforeAll(async () => {
  receiver = await startReceiver((r, n) => (n === 1 ? { status: 500, body: '{"code":"FAIL","message":"busy"}' } : verified(r, keys) ? { status: 204 } : { status: 401 }));
  // ×600: the first 15 s wait and the 15 s gap take 25 ms each.
  sim = await startWechatPaySim({ seed: 61, clock: scaledClock(600) });
  keys = (await (await fetch(`${sim.url}/__sim/keys`)).json()) as Keys;
  wxpay = new Wechatpay({ mchid: keys.mchid, serial: keys.merchantSerial, privateKey: keys.merchantPrivateKey, certs: { [keys.platformSerial]: keys.platformPublicKey }, baseURL: `${sim.url}/` });
});
afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});

describe('WeChat Pay simulator with wechatpay-axios-plugin', () => {
  it('creates, pays, queries and refunds an order through the SDK, every response signature verified by it', async () => {
    const order = { appid: keys.appid, mchid: keys.mchid, description: 'SDK order', out_trade_no: 'sdk_order_1', notify_url: receiver.url, amount: { total: 100, currency: 'CNY' } };
    const created = await wxpay.v3.pay.transactions.native.post(order);
    expect(created.status).toBe(200);
    expect(created.data.code_url).toMatch(/^weixin:/);
    await fetch(`${sim.url}/__sim/payer/sdk_order_1?action=pay`, { method: 'POST' });
    const queried = await wxpay.v3.pay.transactions.outTradeNo.sdk_order_1.get({ params: { mchid: keys.mchid } });
    expect(queried.data).toMatchObject({ trade_state: 'SUCCESS', out_trade_no: 'sdk_order_1' });
    const refund = await wxpay.v3.refund.domestic.refunds.post({ out_trade_no: 'sdk_order_1', out_refund_no: 'sdk_rf_1', amount: { refund: 40, total: 100, currency: 'CNY' } });
    expect(refund.data).toMatchObject({ out_refund_no: 'sdk_rf_1', amount: { refund: 40 } });
  });

  it('surfaces an error answer to the SDK with WeChat\'s status and code', async () => {
    const order = { appid: keys.appid, mchid: keys.mchid, description: 'other', out_trade_no: 'sdk_order_1', notify_url: receiver.url, amount: { total: 999, currency: 'CNY' } };
    await expect(wxpay.v3.pay.transactions.native.post(order)).rejects.toMatchObject({ response: { status: 403, data: { code: 'OUT_TRADE_NO_USED' } } });
  });

  it('delivers notifications the SDK helpers verify and decrypt, retrying after a 500', async () => {
    await receiver.waitFor(2);
    const [first, second] = receiver.received;
    expect(first!.body).toBe(second!.body);
    expect(verified(second!, keys)).toBe(true);
    const { resource } = JSON.parse(second!.body);
    const plain = JSON.parse(Aes.AesGcm.decrypt(resource.ciphertext, keys.apiV3Key, resource.nonce, resource.associated_data));
    expect(plain).toMatchObject({ out_trade_no: 'sdk_order_1', trade_state: 'SUCCESS', amount: { total: 100 } });
    await sim.webhooks.settled();
    expect(sim.webhooks.attempts().map((a) => a.accepted)).toEqual([false, true]);
  });
});
