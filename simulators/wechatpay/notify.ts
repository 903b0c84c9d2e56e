import type { WebhookEvent, WebhookProtocol } from '../core/index.js';
import { aeadEncrypt } from './aead.js';
import type { WechatSigner } from './errors.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

/**
 * WeChat Pay notifies 15 times over 24h4m: 15s, 15s, 30s, 3m, 10m, 20m, 30m, 30m, 30m, 60m, 3h,
 * 3h, 3h, 6h, 6h. We read the first figure as the wait before the first notification (so fifteen
 * notifications end at 24h4m): the first goes 15 s after the payment, then the other fourteen
 * gaps. `webhooks.retrySchedule` replaces the fourteen.
 */
export const WECHAT_FIRST_NOTIFY_DELAY_MS = 15 * S;
export const WECHAT_NOTIFY_LADDER: readonly number[] = Object.freeze([15 * S, 30 * S, 3 * M, 10 * M, 20 * M, 30 * M, 30 * M, 30 * M, 60 * M, 3 * H, 3 * H, 3 * H, 6 * H, 6 * H]);
/** WeChat documents that two copies can arrive about a second apart; profile `webhooks.duplicate` sets how often. */
export const WECHAT_DUPLICATE_GAP_MS = 1000;

export type WechatEventType = 'TRANSACTION.SUCCESS' | 'REFUND.SUCCESS';

export interface WechatNotificationInput {
  readonly id: string;
  readonly createTime: string;
  readonly eventType: WechatEventType;
  readonly summary: string;
  readonly originalType: 'transaction' | 'refund';
  readonly resource: Readonly<Record<string, unknown>>;
  readonly url: string;
}

/**
 * The notification body, encrypted once when the event happens: every retry and duplicate sends
 * the same bytes (the same `id`), only the signature headers are fresh.
 */
export function wechatNotification(input: WechatNotificationInput, apiV3Key: string, nonce: string): WebhookEvent {
  const associatedData = input.originalType;
  const body = JSON.stringify({
    id: input.id,
    create_time: input.createTime,
    resource_type: 'encrypt-resource',
    event_type: input.eventType,
    summary: input.summary,
    resource: {
      original_type: input.originalType,
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: aeadEncrypt(JSON.stringify(input.resource), apiV3Key, nonce, associatedData),
      associated_data: associatedData,
      nonce,
    },
  });
  return { id: input.id, type: input.eventType, payload: body, url: input.url };
}

/** WeChat Pay's delivery: JSON, signed like a response; a 200 or 204 acknowledges, whatever the body. */
export function wechatNotifyProtocol(signer: WechatSigner): WebhookProtocol {
  return {
    retrySchedule: WECHAT_NOTIFY_LADDER,
    accepted: (status) => status === 200 || status === 204,
    render(event, { signedAtMs, badSignature }) {
      const body = event.payload as string;
      return { body, headers: { 'content-type': 'application/json', ...signer.headers(body, { atMs: signedAtMs, bad: badSignature }) } };
    },
  };
}
