import { createDecipheriv, createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** Keys made once per file (RSA generation is slow on a busy machine). */
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const KEYS = {
  merchantPublicKey: merchant.publicKey,
  merchantPrivateKey: merchant.privateKey,
  merchantSerial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
  platformPrivateKey: platform.privateKey,
  platformPublicKey: platform.publicKey,
  platformSerial: '3775B6A45ACD588826D15E583A95F5DD3DF4C8E1',
  apiV3Key: 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb',
};
export const SIM_KEYS = { merchantPublicKey: KEYS.merchantPublicKey, merchantSerial: KEYS.merchantSerial, platformPrivateKey: KEYS.platformPrivateKey, platformSerial: KEYS.platformSerial, apiV3Key: KEYS.apiV3Key };

/**
 * A merchant's APIv3 client from WeChat's documentation, independent of the simulator's code:
 * sign "METHOD\nURL\ntimestamp\nnonce\nbody\n" with SHA256withRSA.
 */
export function authorization(method: string, url: string, body: string, key: KeyObject = KEYS.merchantPrivateKey, mchid = '1900000001', timestamp = Math.floor(Date.now() / 1000)): string {
  const nonce = randomBytes(16).toString('hex').toUpperCase();
  const signature = createSign('sha256').update(`${method}\n${url}\n${timestamp}\n${nonce}\n${body}\n`).sign(key, 'base64');
  return `WECHATPAY2-SHA256-RSA2048 mchid="${mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${KEYS.merchantSerial}"`;
}

/** Whether a response (or notification) is signed by the platform key: "timestamp\nnonce\nbody\n". */
export function signedByPlatform(headers: Record<string, unknown>, body: string): boolean {
  const h = (n: string) => String(headers[n] ?? '');
  return h('wechatpay-serial') === KEYS.platformSerial && createVerify('sha256').update(`${h('wechatpay-timestamp')}\n${h('wechatpay-nonce')}\n${body}\n`).verify(KEYS.platformPublicKey, h('wechatpay-signature'), 'base64');
}

/** Decrypt a notification resource with the APIv3 key (AEAD_AES_256_GCM, tag at the end). */
export function decryptResource(resource: { ciphertext: string; nonce: string; associated_data: string }): Record<string, any> {
  const bytes = Buffer.from(resource.ciphertext, 'base64');
  const d = createDecipheriv('aes-256-gcm', Buffer.from(KEYS.apiV3Key), Buffer.from(resource.nonce));
  d.setAAD(Buffer.from(resource.associated_data));
  d.setAuthTag(bytes.subarray(-16));
  return JSON.parse(Buffer.concat([d.update(bytes.subarray(0, -16)), d.final()]).toString('utf8'));
}

export async function wx(app: FastifyInstance, method: 'GET' | 'POST', url: string, body?: unknown, auth?: string) {
  const text = body === undefined ? '' : JSON.stringify(body);
  const res = await app.inject({ method, url, ...(body === undefined ? {} : { payload: text }), headers: { 'content-type': 'application/json', accept: 'application/json', authorization: auth ?? authorization(method, url, text) } });
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, any>) : undefined, raw: res.body, headers: res.headers, verified: signedByPlatform(res.headers, res.body) };
}

export const ORDER = { appid: 'wxd678efh567hg6787', mchid: '1900000001', description: 'Singles Day tea', out_trade_no: 'wx_order_1', notify_url: 'http://127.0.0.1:1/wx/notify', amount: { total: 8888, currency: 'CNY' }, payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } };
