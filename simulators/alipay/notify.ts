import { generateKeyPairSync, type KeyLike } from 'node:crypto';
import type { WebhookEvent, WebhookProtocol } from '../core/index.js';
import { NOTIFY_UNSIGNED, alipaySignContent, rsa2Sign } from './signature.js';
import { alipayTime } from './time.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Alipay sends an unacknowledged notification 8 times over about 25 hours: gaps of 4m, 10m,
 * 10m, 1h, 2h, 6h, 15h. Antom documents the first gap as 2m (which matches its 24h22m cutoff);
 * pick it with the simulator's `notifyLadder: 'antom'`, or replace the ladder with the profile's
 * `webhooks.retrySchedule`.
 */
export const ALIPAY_NOTIFY_LADDER: readonly number[] = Object.freeze([4 * MINUTE, 10 * MINUTE, 10 * MINUTE, HOUR, 2 * HOUR, 6 * HOUR, 15 * HOUR]);
export const ANTOM_NOTIFY_LADDER: readonly number[] = Object.freeze([2 * MINUTE, 10 * MINUTE, 10 * MINUTE, HOUR, 2 * HOUR, 6 * HOUR, 15 * HOUR]);

/** The notification's parameters, all strings, without notify_time and sign (added per attempt). */
export type AlipayNotifyParams = Readonly<Record<string, string>>;

/** One notification. Its id is the `notify_id`, the same on every retry. */
export function alipayNotification(notifyId: string, url: string | undefined, params: AlipayNotifyParams): WebhookEvent {
  return { id: notifyId, type: params.trade_status ?? 'trade_status_sync', payload: { ...params, notify_id: notifyId }, ...(url ? { url } : {}) };
}

/**
 * Alipay's delivery: a form-encoded POST signed RSA2 over the sorted parameters (without `sign`
 * and `sign_type`); acknowledged only by a 200 whose body is exactly `success` — "ok", JSON or
 * `success\n` are not, and Alipay keeps retrying.
 */
export function alipayNotifyProtocol(privateKey: KeyLike, ladder: readonly number[]): WebhookProtocol {
  // A well-formed signature by a key the merchant does not trust; made on first use (RSA key generation is slow).
  let wrongKey: KeyLike | undefined;
  const keyFor = (bad: boolean): KeyLike => (bad ? (wrongKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey) : privateKey);
  return {
    retrySchedule: ladder,
    accepted: (status, body) => status === 200 && body === 'success',
    render(event, { signedAtMs, badSignature }) {
      const params: Record<string, string> = { ...(event.payload as AlipayNotifyParams), notify_time: alipayTime(signedAtMs) };
      params.sign = rsa2Sign(alipaySignContent(params, NOTIFY_UNSIGNED), keyFor(badSignature));
      return { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } };
    },
  };
}
