import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { issueCertificate, rsaSha256Sign, rsaSha256Verify, type WebhookEvent, type WebhookProtocol } from '../core/index.js';

const M = 60_000;
const H = 60 * M;
const DAY = 24 * H;

/**
 * PayPal retries an undelivered webhook "up to 25 times over 3 days" without publishing the gaps;
 * ours double from 1 minute to 32, then 1h, 2h, and 4h sixteen times (25 deliveries, about 68 h).
 */
export const PAYPAL_RETRY_SCHEDULE: readonly number[] = Object.freeze([1 * M, 2 * M, 4 * M, 8 * M, 16 * M, 32 * M, H, 2 * H, ...Array<number>(16).fill(4 * H)]);

export type PaypalEventType =
  | 'CHECKOUT.ORDER.APPROVED'
  | 'PAYMENT.AUTHORIZATION.CREATED'
  | 'PAYMENT.AUTHORIZATION.VOIDED'
  | 'PAYMENT.CAPTURE.COMPLETED'
  | 'PAYMENT.CAPTURE.DECLINED'
  | 'PAYMENT.CAPTURE.REFUNDED'
  | 'CUSTOMER.DISPUTE.CREATED'
  | 'CUSTOMER.DISPUTE.RESOLVED';

/**
 * The body is fixed when the event happens; each attempt gets a fresh transmission id and time.
 * `links` are PayPal's HATEOAS links of the event (self, resend).
 */
export function paypalEvent(id: string, type: PaypalEventType, resourceType: string, summary: string, resource: unknown, createTime: string, links: readonly unknown[] = []): WebhookEvent {
  return { id, type, payload: JSON.stringify({ id, event_version: '1.0', create_time: createTime, resource_type: resourceType, resource_version: '2.0', event_type: type, summary, resource, links }) };
}

/**
 * PayPal's webhook signature: SHA256withRSA over `transmission_id|transmission_time|webhook_id|crc32(body)`
 * (crc32 in decimal), base64 in PAYPAL-TRANSMISSION-SIG; PAYPAL-CERT-URL says where the certificate is.
 */
export function paypalSigningString(transmissionId: string, transmissionTime: string, webhookId: string, body: string): string {
  return `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(body)}`;
}

export function verifyPaypalSignature(headers: Readonly<Record<string, string | undefined>>, body: string, webhookId: string, publicKey: KeyObject | string): boolean {
  const id = headers['paypal-transmission-id'];
  const time = headers['paypal-transmission-time'];
  const sig = headers['paypal-transmission-sig'];
  if (!id || !time || !sig) return false;
  return rsaSha256Verify(paypalSigningString(id, time, webhookId, body), sig, publicKey);
}

/**
 * The certificate served at PAYPAL-CERT-URL: PayPal's documentation has the merchant download it,
 * read its public key and verify PAYPAL-TRANSMISSION-SIG with it. Ours is self-signed (PayPal's
 * is issued by DigiCert, so a merchant that checks the chain against public roots will refuse it),
 * valid from a day before `now` for about a year, like PayPal's; its serial is taken from the key,
 * so the same key always gives the same certificate.
 */
export function paypalWebhookCertificate(key: KeyObject, now: Date): string {
  const publicKey = createPublicKey(key);
  const hash = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest();
  // 16 bytes, first one 0x01–0x7F: positive, no sign byte, no leading zero.
  hash[0] = 1 + (hash[0]! % 0x7f);
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000 - DAY);
  return issueCertificate({
    publicKey,
    signingKey: key,
    serial: hash.subarray(0, 16).toString('hex').toUpperCase(),
    subject: { C: 'US', O: 'paychaos simulator', CN: 'messageverificationcerts.sandbox.paypal.com' },
    notBefore,
    notAfter: new Date(notBefore.getTime() + 396 * DAY),
  }).pem;
}

export function paypalWebhookProtocol(o: { key: KeyObject; webhookId: string; certUrl: () => string; transmissionId: () => string }): WebhookProtocol {
  let wrongKey: KeyObject | undefined;
  return {
    retrySchedule: PAYPAL_RETRY_SCHEDULE,
    accepted: (status) => status >= 200 && status < 300,
    render(event, { signedAtMs, badSignature }) {
      const body = event.payload as string;
      const transmissionId = o.transmissionId();
      const transmissionTime = new Date(signedAtMs).toISOString();
      const key = badSignature ? (wrongKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey) : o.key;
      const sig = rsaSha256Sign(paypalSigningString(transmissionId, transmissionTime, o.webhookId, body), key);
      return {
        body,
        headers: {
          'paypal-transmission-id': transmissionId,
          'paypal-transmission-time': transmissionTime,
          'paypal-transmission-sig': sig,
          'paypal-auth-algo': 'SHA256withRSA',
          'paypal-cert-url': o.certUrl(),
          'paypal-auth-version': 'v2',
        },
      };
    },
  };
}
