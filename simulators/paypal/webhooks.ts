import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { rsaSha256Sign, rsaSha256Verify, type WebhookEvent, type WebhookProtocol } from '../core/index.js';

const M = 60_000;
const H = 60 * M;

/**
 * PayPal retries an undelivered webhook "up to 25 times over 3 days" without publishing the gaps;
 * ours double from 1 minute to 32, then 1h, 2h, and 4h sixteen times (25 deliveries, about 68 h).
 */
export const PAYPAL_RETRY_SCHEDULE: readonly number[] = Object.freeze([1 * M, 2 * M, 4 * M, 8 * M, 16 * M, 32 * M, H, 2 * H, ...Array<number>(16).fill(4 * H)]);

export type PaypalEventType = 'CHECKOUT.ORDER.APPROVED' | 'PAYMENT.CAPTURE.COMPLETED' | 'PAYMENT.CAPTURE.DECLINED' | 'PAYMENT.CAPTURE.REFUNDED';

/** The body is fixed when the event happens; each attempt gets a fresh transmission id and time. */
export function paypalEvent(id: string, type: PaypalEventType, resourceType: string, summary: string, resource: unknown, createTime: string): WebhookEvent {
  return { id, type, payload: JSON.stringify({ id, event_version: '1.0', create_time: createTime, resource_type: resourceType, resource_version: '2.0', event_type: type, summary, resource }) };
}

/**
 * PayPal's webhook signature: SHA256withRSA over `transmission_id|transmission_time|webhook_id|crc32(body)`
 * (crc32 in decimal), base64 in PAYPAL-TRANSMISSION-SIG; PAYPAL-CERT-URL says where the key is.
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
