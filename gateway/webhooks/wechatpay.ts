import { createDecipheriv } from 'node:crypto';
import { badConnection, Credentials, verifySha256WithRsa } from '../clients/index.js';
import { readOnce } from './keys.js';
import { eventOf, forged, header, isObject, jsonOf, malformed, str, text, verified, type Verify, type WebhookEventType } from './event.js';

/**
 * WeChat Pay APIv3 notifications (pay.weixin.qq.com, 签名验证 and 回调通知):
 *
 *   headers Wechatpay-Timestamp/-Nonce/-Signature/-Serial
 *     └▶ serial is our platform key's (credentials.platformSerial), timestamp within 5 minutes
 *     └▶ SHA256withRSA over `timestamp\nnonce\nbody\n` with the platform certificate's public key
 *        (credentials.platformPublicKey)
 *   body {id, event_type, resource: {algorithm: AEAD_AES_256_GCM, ciphertext, nonce, associated_data}}
 *     └▶ AES-256-GCM with the APIv3 key (credentials.apiV3Key, 32 bytes); the last 16 bytes of the
 *        base64 ciphertext are the tag, so a wrong key or a tampered resource does not decrypt
 *
 * `id` is the notification's, the same on every retry.
 */
export const WECHATPAY_TOLERANCE_S = 300;

export const verifyWechatPay: Verify = (headers, rawBody, credentials, options = {}) => {
  const { serial, key, apiV3Key } = readOnce(credentials, 'wechatpay', () => {
    const c = new Credentials('wechatpay', credentials);
    c.require(['platformSerial', 'platformPublicKey', 'apiV3Key']);
    const v3 = Buffer.from(c.text('apiV3Key'), 'utf8');
    if (v3.length !== 32) throw badConnection('wechatpay', 'credentials.apiV3Key', 'must be the 32-character APIv3 key');
    return { serial: c.text('platformSerial'), key: c.rsaPublicKey('platformPublicKey'), apiV3Key: v3 };
  });

  const timestamp = header(headers, 'wechatpay-timestamp');
  const nonce = header(headers, 'wechatpay-nonce');
  const signature = header(headers, 'wechatpay-signature');
  const sentSerial = header(headers, 'wechatpay-serial');
  if (!timestamp || !nonce || !signature || !sentSerial) return malformed('Wechatpay-Timestamp, -Nonce, -Signature and -Serial headers are all required');
  if (sentSerial !== serial) return forged(`Wechatpay-Serial ${sentSerial} is not the platform key configured (${serial})`);
  const body = text(rawBody);
  if (options.ignoreSignature !== true && (!/^\d+$/.test(timestamp) || !verifySha256WithRsa(`${timestamp}\n${nonce}\n${body}\n`, signature, key))) return forged('Wechatpay-Signature does not verify with the platform public key');
  const nowS = (options.now?.() ?? Date.now()) / 1000;
  if (Math.abs(nowS - Number(timestamp)) > WECHATPAY_TOLERANCE_S) return forged(`Wechatpay-Timestamp is ${Math.round(nowS - Number(timestamp))} s from now, outside ${WECHATPAY_TOLERANCE_S} s (a replay?)`);

  const json = jsonOf(body);
  const resource = json && isObject(json.resource) ? json.resource : undefined;
  if (!json || str(json.id) === undefined || str(json.event_type) === undefined || !resource) return malformed('the body is not a WeChat Pay notification {id, event_type, resource}');
  if (resource.algorithm !== 'AEAD_AES_256_GCM') return malformed(`resource.algorithm ${String(resource.algorithm)} is not AEAD_AES_256_GCM`);
  const plain = decrypt(apiV3Key, resource);
  if (plain === undefined) return forged('resource does not decrypt with the APIv3 key (wrong key, or tampered)');
  const r = jsonOf(plain);
  if (!r) return malformed('the decrypted resource is not a JSON object');

  const eventType = json.event_type as string;
  const isRefund = eventType.startsWith('REFUND.');
  const amount = isObject(r.amount) ? r.amount : {};
  return verified([
    eventOf({
      provider: 'wechatpay',
      eventId: json.id as string,
      type: TYPES[eventType] ?? 'other',
      providerType: eventType,
      providerPaymentId: str(r.transaction_id),
      merchantReference: str(r.out_trade_no),
      refundId: isRefund ? str(r.refund_id) : undefined,
      amount: int(isRefund ? amount.refund : amount.total),
      currency: str(amount.currency)?.toLowerCase() ?? 'cny',
      occurredAt: str(r.success_time) ?? str(json.create_time),
      reason: isRefund && eventType !== 'REFUND.SUCCESS' ? str(r.refund_status) : undefined,
    }),
  ]);
};

const TYPES: Readonly<Record<string, WebhookEventType>> = {
  'TRANSACTION.SUCCESS': 'payment.succeeded',
  'REFUND.SUCCESS': 'refund.succeeded',
  'REFUND.ABNORMAL': 'refund.failed',
  'REFUND.CLOSED': 'refund.failed',
};

function decrypt(key: Buffer, resource: Record<string, unknown>): string | undefined {
  const { ciphertext, nonce } = resource;
  const aad = typeof resource.associated_data === 'string' ? resource.associated_data : '';
  if (typeof ciphertext !== 'string' || typeof nonce !== 'string') return undefined;
  const data = Buffer.from(ciphertext, 'base64');
  if (data.length < 17) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'utf8'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);
