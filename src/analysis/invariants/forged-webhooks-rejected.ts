import type { InvariantResult, InvariantViolation } from './no-double-charge.js';

/** One notification attempt as a simulator logged it (`GET /__sim/webhooks`, `attempts`). */
export interface WebhookAttemptRow {
  readonly provider: string;
  readonly eventId: string;
  readonly type: string;
  /** Signed with a secret that is not the merchant's: a forgery, as the receiver must see it. */
  readonly badSignature: boolean;
  /** The receiver answered with its acknowledgement (Stripe: 2xx; Adyen: `[accepted]`; Alipay: `success` …). */
  readonly accepted: boolean;
  readonly status?: number | undefined;
  readonly url?: string | undefined;
}

/**
 * `webhooks-forged-rejected`: no notification with a bad signature is acknowledged. A receiver
 * that acknowledges one has believed it: a forger's "paid" would settle an order no money paid
 * for. Judged on the senders' logs, so it holds whatever the receiver says it did. Every forged
 * attempt is one unit; a transport failure (nothing answered) counts as refused.
 */
export function checkForgedWebhooksRejected(attempts: readonly WebhookAttemptRow[]): InvariantResult {
  const forged = attempts.filter((a) => a.badSignature);
  const violations: InvariantViolation[] = forged
    .filter((a) => a.accepted)
    .map((a) => ({
      orderId: '',
      provider: a.provider,
      paymentIds: [a.eventId],
      message: `${a.provider} ${a.type} ${a.eventId}: signed with the wrong secret, yet acknowledged${a.status !== undefined ? ` (HTTP ${a.status})` : ''}${a.url ? ` by ${a.url}` : ''}`,
    }));
  return { name: 'webhooks-forged-rejected', unit: 'forged notifications', passed: violations.length === 0, checked: forged.length, violations };
}
