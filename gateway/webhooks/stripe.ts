import { createHmac, timingSafeEqual } from 'node:crypto';
import { Credentials } from '../clients/index.js';
import { readOnce } from './keys.js';
import { eventOf, forged, header, isObject, jsonOf, malformed, str, text, verified, type Verify, type WebhookEvent, type WebhookEventType } from './event.js';

/**
 * Stripe (docs.stripe.com/webhooks, "Verify signatures manually"): the `Stripe-Signature` header
 * is `t=<unix seconds>,v1=<hex>[,v1=…][,v0=…]`; each v1 is HMAC-SHA256, keyed by the endpoint's
 * signing secret (`whsec_…`, used as it is), over `${t}.${raw body}`. Any v1 may match (during a
 * secret roll Stripe sends one per secret); v0 is ignored. A timestamp more than the tolerance
 * (Stripe's libraries: 300 s) from now is refused even with a good signature: a replay. The
 * secret is the connection's `credentials.webhookSecret`.
 */
export const STRIPE_TOLERANCE_S = 300;

export const verifyStripe: Verify = (headers, rawBody, credentials, options = {}) => {
  const secret = readOnce(credentials, 'stripe', () => new Credentials('stripe', credentials).text('webhookSecret'));
  const sig = header(headers, 'stripe-signature');
  if (sig === undefined) return malformed('the Stripe-Signature header is missing');
  let t: string | undefined;
  const v1: string[] = [];
  for (const part of sig.split(',')) {
    const at = part.indexOf('=');
    const [k, v] = [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    if (k === 't') t = v;
    else if (k === 'v1') v1.push(v);
  }
  if (t === undefined || !/^\d+$/.test(t) || v1.length === 0) return malformed('Stripe-Signature needs t=<unix seconds> and at least one v1=<hex>');
  const expected = createHmac('sha256', secret).update(`${t}.`).update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody).digest();
  const matches = v1.some((hex) => {
    const given = /^[0-9a-f]{64}$/i.test(hex) ? Buffer.from(hex, 'hex') : undefined;
    return given !== undefined && timingSafeEqual(given, expected);
  });
  if (options.ignoreSignature !== true && !matches) return forged('no v1 signature in Stripe-Signature matches the webhook secret');
  const nowS = (options.now?.() ?? Date.now()) / 1000;
  if (options.ignoreSignature !== true && (Math.abs(nowS - Number(t)) > STRIPE_TOLERANCE_S)) return forged(`Stripe-Signature timestamp is ${Math.round(nowS - Number(t))} s from now, outside the ${STRIPE_TOLERANCE_S} s tolerance (a replay?)`);
  const body = jsonOf(rawBody);
  if (!body || str(body.id) === undefined || str(body.type) === undefined || !isObject(body.data) || !isObject(body.data.object)) return malformed(`the body is not a Stripe event {id, type, data.object}: ${text(rawBody).slice(0, 80)}`);
  return verified([stripeEvent(body.id as string, body.type as string, body.data.object, body.created)]);
};

/** The Stripe event types the gateway acts on, by the object they carry. */
const TYPES: Readonly<Record<string, WebhookEventType>> = {
  'payment_intent.succeeded': 'payment.succeeded',
  'payment_intent.payment_failed': 'payment.failed',
  'payment_intent.canceled': 'payment.cancelled',
  'payment_intent.processing': 'payment.pending',
  'payment_intent.requires_action': 'payment.pending',
  'payment_intent.amount_capturable_updated': 'payment.authorised',
  'charge.refunded': 'payment.refunded',
  'charge.dispute.created': 'dispute.opened',
  'charge.dispute.funds_withdrawn': 'dispute.funds_withdrawn',
  'charge.dispute.funds_reinstated': 'dispute.funds_reinstated',
};

/**
 * The events an endpoint of this gateway subscribes to (Stripe: "only the event types your
 * integration needs"): those it acts on above and refunds. `payment_intent.created` and
 * `charge.succeeded` would only cost a verification and an inbox row each.
 */
export const STRIPE_SUBSCRIBED_EVENTS: readonly string[] = Object.freeze([...Object.keys(TYPES), 'refund.created', 'refund.updated', 'refund.failed', 'charge.dispute.closed']);

function stripeEvent(id: string, type: string, object: Record<string, unknown>, created: unknown): WebhookEvent {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const common = {
    provider: 'stripe',
    eventId: id,
    providerType: type,
    merchantReference: str(metadata.order_id),
    currency: str(object.currency)?.toLowerCase(),
    occurredAt: typeof created === 'number' ? new Date(created * 1000).toISOString() : undefined,
  };
  if (object.object === 'dispute') {
    // A dispute names its PaymentIntent (and charge), not the merchant's order: matched by the intent.
    const status = str(object.status);
    const closed = type === 'charge.dispute.closed' ? (status === 'won' ? 'dispute.won' : status === 'lost' ? 'dispute.lost' : 'other') : undefined;
    return eventOf({
      ...common,
      type: closed ?? TYPES[type] ?? 'other',
      providerPaymentId: str(object.payment_intent) ?? str(object.charge),
      disputeId: str(object.id),
      amount: num(object.amount),
      reason: str(object.reason),
      refundId: undefined,
    });
  }
  if (type.startsWith('refund.')) {
    const status = str(object.status);
    return eventOf({
      ...common,
      type: status === 'succeeded' ? 'refund.succeeded' : status === 'failed' || status === 'canceled' ? 'refund.failed' : 'refund.pending',
      providerPaymentId: str(object.payment_intent),
      refundId: str(object.id),
      amount: num(object.amount),
      reason: str(object.failure_reason),
    });
  }
  const error = isObject(object.last_payment_error) ? object.last_payment_error : {};
  const isCharge = object.object === 'charge';
  return eventOf({
    ...common,
    type: TYPES[type] ?? 'other',
    providerPaymentId: isCharge ? str(object.payment_intent) ?? str(object.id) : str(object.id),
    amount: type === 'charge.refunded' ? num(object.amount_refunded) : type === 'payment_intent.succeeded' ? num(object.amount_received) ?? num(object.amount) : num(object.amount),
    reason: str(error.decline_code) ?? str(error.code),
    refundId: undefined,
  });
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);
