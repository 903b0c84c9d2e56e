import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aes, Formatter, Rsa, Wechatpay } from 'wechatpay-axios-plugin';
import { scaledClock } from '../../../src/kernel/index.js';
import { startWechatPaySim, type StartedWechatPaySim } from '../../../simulators/wechatpay/index.js';
import { startReceiver } from './receiver.js';

/**
 * A merchant in platform-certificate mode starts with only its own credentials (mchid, merchant
 * serial and private key, APIv3 key) and sets up the platform side the way wechatpay-axios-plugin
 * documents it (bin/cli/cert.js, the `wxpay crt` downloader): GET /v3/certificates, decrypt each
 * entry with AesGcm under the APIv3 key in a transformResponse placed before the SDK's verifier, so
 * the verifier checks the download's own signature with the certificate it carries. Then it
 * configures `certs: {serial: certificate PEM}` and trades.
 *
 * One deviation from cert.js: that file passes `certs` to the constructor and adds to the same
 * object, but version 0.9.6 copies `certs` at construction (lib/decorator.js `jsonBased`), so its
 * verifier never sees the addition and the CLI fails with EV3_RES_HEADER_PLATFORM_SERIAL against
 * any server. We add to the object the client keeps (`config.certs` after construction) instead.
 */
interface MerchantCredentials { mchid: string; appid: string; apiV3Key: string; merchantSerial: string; merchantPrivateKey: string }
let sim: StartedWechatPaySim;
let creds: MerchantCredentials;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 204 }));
  // ×600: the first notification's 15 s wait takes 25 ms.
  sim = await startWechatPaySim({ seed: 91, clock: scaledClock(600) });
  const all = (await (await fetch(`${sim.url}/__sim/keys`)).json()) as MerchantCredentials & Record<string, unknown>;
  creds = { mchid: all.mchid, appid: all.appid, apiV3Key: all.apiV3Key, merchantSerial: all.merchantSerial, merchantPrivateKey: all.merchantPrivateKey };
});
afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});

async function downloadCertificates(): Promise<{ certs: Record<string, string>; data: Array<{ serial_no: string; expire_time: string }> }> {
  const config: Record<string, any> = { baseURL: `${sim.url}/`, mchid: creds.mchid, serial: creds.merchantSerial, privateKey: creds.merchantPrivateKey, certs: { any: undefined } };
  const wxpay = new Wechatpay(config as never) as any;
  const injected: Record<string, string> = {};
  const injector = (response: string) => {
    for (const { serial_no: serial, encrypt_certificate: { nonce, associated_data: aad, ciphertext } } of JSON.parse(response).data ?? []) {
      injected[serial] = Aes.AesGcm.decrypt(ciphertext, creds.apiV3Key, nonce, aad);
    }
    Object.assign(config.certs, injected);
    return response;
  };
  const res = await wxpay.v3.certificates.get({ transformResponse: [injector, ...wxpay.client.v3.defaults.transformResponse] });
  return { certs: injected, data: res.data.data };
}

describe('WeChat Pay platform certificates with wechatpay-axios-plugin', () => {
  it('downloads the certificate, the SDK verifies the download with it, and an order then runs on the downloaded certificate alone', async () => {
    const { certs, data } = await downloadCertificates();
    expect(data.map((d) => d.serial_no)).toEqual([sim.keys.platformSerial]);
    const pem = certs[sim.keys.platformSerial]!;
    const cert = new X509Certificate(pem);
    expect(cert.serialNumber).toBe(sim.keys.platformSerial);
    expect(Date.parse(cert.validTo)).toBe(Date.parse(data[0]!.expire_time));

    const wxpay = new Wechatpay({ mchid: creds.mchid, serial: creds.merchantSerial, privateKey: creds.merchantPrivateKey, certs: { [sim.keys.platformSerial]: pem }, baseURL: `${sim.url}/` }) as any;
    const order = { appid: creds.appid, mchid: creds.mchid, description: 'cert mode', out_trade_no: 'cert_order_1', notify_url: receiver.url, amount: { total: 520, currency: 'CNY' } };
    expect((await wxpay.v3.pay.transactions.native.post(order)).data.code_url).toMatch(/^weixin:/);
    await fetch(`${sim.url}/__sim/payer/cert_order_1?action=pay`, { method: 'POST' });
    expect((await wxpay.v3.pay.transactions.outTradeNo.cert_order_1.get({ params: { mchid: creds.mchid } })).data).toMatchObject({ trade_state: 'SUCCESS' });

    // The notification is signed under the same serial, and the certificate verifies it too.
    await receiver.waitFor(1);
    const note = receiver.received[0]!;
    const h = (n: string) => String(note.headers[n]);
    expect(h('wechatpay-serial')).toBe(cert.serialNumber);
    expect(Rsa.verify(Formatter.response(h('wechatpay-timestamp'), h('wechatpay-nonce'), note.body), h('wechatpay-signature'), Rsa.from(pem, Rsa.KEY_TYPE_PUBLIC))).toBe(true);
  });

  it('makes the SDK refuse a download whose signature does not match the certificate it carries', async () => {
    // A merchant that trusts some other key for this serial must not accept the answer.
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const wxpay = new Wechatpay({ mchid: creds.mchid, serial: creds.merchantSerial, privateKey: creds.merchantPrivateKey, certs: { [sim.keys.platformSerial]: stranger }, baseURL: `${sim.url}/` }) as any;
    await expect(wxpay.v3.certificates.get()).rejects.toMatchObject({ code: 'EV3_RES_HEADER_SIGNATURE_DIGEST' });
  });

  it('lets the SDK see 401 SIGN_ERROR when the merchant key is wrong', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const wxpay = new Wechatpay({ mchid: creds.mchid, serial: creds.merchantSerial, privateKey: other, certs: { [sim.keys.platformSerial]: sim.keys.platformPublicKey.export({ type: 'spki', format: 'pem' }).toString() }, baseURL: `${sim.url}/` }) as any;
    await expect(wxpay.v3.certificates.get()).rejects.toMatchObject({ response: { status: 401, data: { code: 'SIGN_ERROR' } } });
  });
});
