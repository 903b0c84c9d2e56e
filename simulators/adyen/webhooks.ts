import type { WebhookEvent, WebhookProtocol } from '../core/index.js';
import { adyenHmac, type NotificationFields } from './hmac.js';

/** A 64-hex-digit HMAC key (32 bytes), used unless the simulator is started with its own. */
export const DEFAULT_HMAC_KEY = '7061796368616f732d73696d756c61746f722d616479656e2d686d61632d6b6579';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/**
 * Adyen retries an unacknowledged notification after 2, 5, 10, 15 and 30 minutes, 1, 2, 4 and
 * 8 hours, then every 8 hours; we stop after six of those (about three days). Override with the
 * profile's `webhooks.retrySchedule`.
 */
export const ADYEN_RETRY_SCHEDULE: readonly number[] = Object.freeze([
  2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR,
  8 * HOUR, 8 * HOUR, 8 * HOUR, 8 * HOUR, 8 * HOUR, 8 * HOUR,
]);

export type AdyenEventCode = 'AUTHORISATION' | 'CAPTURE' | 'REFUND' | 'CANCELLATION' | 'CANCEL_OR_REFUND' | 'TECHNICAL_CANCEL' | 'NOTIFICATION_OF_CHARGEBACK' | 'CHARGEBACK' | 'CHARGEBACK_REVERSED';

export interface NotificationItem extends NotificationFields {
  eventCode: AdyenEventCode;
  eventDate: string;
  paymentMethod?: string;
  reason?: string;
  operations?: string[];
  /** Sent in `additionalData` beside the signature (a dispute's disputeStatus, chargebackReasonCode …). */
  additional?: Record<string, string>;
}

export function adyenNotification(id: string, item: NotificationItem): WebhookEvent {
  return { id, type: item.eventCode, payload: item };
}

/**
 * Adyen's delivery: `{live, notificationItems:[{NotificationRequestItem}]}` with the HMAC in
 * `additionalData.hmacSignature`; only a 2xx whose body is `[accepted]` acknowledges it.
 */
export function adyenWebhookProtocol(hexKey: string): WebhookProtocol {
  // A wrong key of the same length: the signature looks right and fails verification.
  const wrongKey = hexKey.replace(/./g, (c) => ((parseInt(c, 16) + 1) % 16).toString(16));
  return {
    retrySchedule: ADYEN_RETRY_SCHEDULE,
    accepted: (status, body) => status >= 200 && status < 300 && body.trim() === '[accepted]',
    render(event, { badSignature }) {
      const { additional, ...item } = event.payload as NotificationItem;
      const hmacSignature = adyenHmac(item, badSignature ? wrongKey : hexKey);
      const body = JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: { ...item, additionalData: { ...additional, hmacSignature } } }] });
      return { body, headers: {} };
    },
  };
}
