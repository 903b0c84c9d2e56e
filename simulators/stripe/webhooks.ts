import type { WebhookEvent, WebhookProtocol } from '../core/index.js';
import { stripeSignatureHeader } from './signature.js';
import { STRIPE_API_VERSION } from './versions.js';

/** The account's default API version (versions.ts). */
export { STRIPE_API_VERSION };

/** Secret used to sign events unless the simulator is started with its own. */
export const DEFAULT_WEBHOOK_SECRET = 'whsec_paychaos_simulator';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/**
 * Stripe documents "up to three days with exponential backoff" without the exact gaps; this
 * ladder is ours: 12 attempts, the last about 71 h after the first. Override it with the
 * profile's `webhooks.retrySchedule`.
 */
export const STRIPE_RETRY_SCHEDULE: readonly number[] = Object.freeze([MINUTE, 5 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 8 * HOUR, 12 * HOUR, 12 * HOUR, 24 * HOUR]);

/** The events the simulator sends: what a card merchant subscribes to for the resources simulated. */
export const STRIPE_EVENT_TYPES = Object.freeze([
  'payment_intent.created',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.requires_action',
  'payment_intent.amount_capturable_updated',
  'charge.succeeded',
  'charge.failed',
  'charge.captured',
  'charge.refunded',
  'refund.created',
  'refund.updated',
  'charge.dispute.created',
  'charge.dispute.updated',
  'charge.dispute.closed',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.funds_reinstated',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'payment_method.attached',
  'payment_method.detached',
] as const);

export type StripeEventType = (typeof STRIPE_EVENT_TYPES)[number];

/**
 * An Event as Stripe sends it, serialised at once (pretty-printed, as Stripe does): the body is
 * the snapshot of the object at the time, and every attempt signs the same bytes.
 */
export function stripeEvent(id: string, type: StripeEventType, object: unknown, createdS: number, idempotencyKey: string | undefined, apiVersion = STRIPE_API_VERSION): WebhookEvent {
  const payload = {
    id,
    object: 'event',
    api_version: apiVersion,
    created: createdS,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: idempotencyKey ?? null },
    type,
  };
  return { id, type, payload: JSON.stringify(payload, null, 2) };
}

/** Stripe's delivery: the event JSON as the body, Stripe-Signature signed at send time, any 2xx acks. */
export function stripeWebhookProtocol(secret: string): WebhookProtocol {
  return {
    retrySchedule: STRIPE_RETRY_SCHEDULE,
    accepted: (status) => status >= 200 && status < 300,
    render(event, { signedAtMs, badSignature }) {
      const body = event.payload as string;
      const t = Math.floor(signedAtMs / 1000);
      // A bad signature is one made with a secret the receiver does not hold.
      const key = badSignature ? `${secret}_wrong` : secret;
      return { body, headers: { 'stripe-signature': stripeSignatureHeader(body, key, t) } };
    },
  };
}
