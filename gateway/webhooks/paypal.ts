import { X509Certificate, createVerify } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { badConnection, Credentials, majorToMinor } from '../clients/index.js';
import { readOnce } from './keys.js';
import { eventOf, forged, header, isObject, jsonOf, malformed, str, verified, type Verify, type WebhookEvent, type WebhookEventType } from './event.js';

/**
 * PayPal webhooks, verified offline as PayPal documents it (developer.paypal.com, "Verify webhook
 * signature" — self-verification): the signed message is
 * `transmission_id|transmission_time|webhook_id|crc32(raw body)` (CRC32 as an unsigned decimal),
 * `PAYPAL-TRANSMISSION-SIG` is its SHA256withRSA signature (`PAYPAL-AUTH-ALGO`), and the key is
 * the certificate at `PAYPAL-CERT-URL`. The webhook id is the merchant's own subscription's
 * (`credentials.webhookId`), so a notification for another subscription fails like a forgery.
 *
 * The certificate is pinned (`credentials.webhookCertificate`, PEM, as the simulator's
 * /__sim/keys or a download from PayPal gives it) rather than fetched from the header's URL on
 * every notification: a URL chosen by the sender is not a trust anchor, and verification stays a
 * pure function with no network call in the request path. Its validity dates are checked.
 * (The alternative, POST /v1/notifications/verify-webhook-signature, costs a PayPal round trip
 * per notification; the simulator serves both.)
 */
export const verifyPaypal: Verify = (headers, rawBody, credentials, options = {}) => {
  const { webhookId, cert } = readOnce(credentials, 'paypal', () => {
    const c = new Credentials('paypal', credentials);
    c.require(['webhookId', 'webhookCertificate']);
    const id = c.text('webhookId');
    const pem = c.text('webhookCertificate');
    try {
      return { webhookId: id, cert: new X509Certificate(pem) };
    } catch (err) {
      throw badConnection('paypal', 'credentials.webhookCertificate', 'is not a PEM X.509 certificate', {}, err);
    }
  });
  const id = header(headers, 'paypal-transmission-id');
  const time = header(headers, 'paypal-transmission-time');
  const sig = header(headers, 'paypal-transmission-sig');
  const algo = header(headers, 'paypal-auth-algo');
  if (!id || !time || !sig || !header(headers, 'paypal-cert-url')) return malformed('PAYPAL-TRANSMISSION-ID, -TIME, -SIG and PAYPAL-CERT-URL headers are all required');
  if (algo !== undefined && algo !== 'SHA256withRSA') return forged(`PAYPAL-AUTH-ALGO ${algo} is not SHA256withRSA`);
  const now = options.now?.() ?? Date.now();
  if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) return forged('the pinned PayPal webhook certificate is not valid now');
  const raw = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const message = `${id}|${time}|${webhookId}|${crc32(raw) >>> 0}`;
  let ok = false;
  try {
    ok = createVerify('RSA-SHA256').update(message, 'utf8').verify(cert.publicKey, sig, 'base64');
  } catch {
    ok = false;
  }
  if (options.ignoreSignature !== true && !ok) return forged('PAYPAL-TRANSMISSION-SIG does not verify with the webhook certificate for this webhook id');

  const body = jsonOf(raw);
  const resource = body && isObject(body.resource) ? body.resource : undefined;
  if (!body || str(body.id) === undefined || str(body.event_type) === undefined || !resource) return malformed('the body is not a PayPal event {id, event_type, resource}');
  const eventType = body.event_type as string;
  if (eventType.startsWith('CUSTOMER.DISPUTE.')) return verified([disputeEvent(body.id as string, eventType, resource, str(body.create_time))]);
  const amount = isObject(resource.amount) ? resource.amount : isObject(firstUnit(resource)?.amount) ? (firstUnit(resource)!.amount as Record<string, unknown>) : {};
  const currency = str(amount.currency_code);
  const related = isObject(resource.supplementary_data) && isObject(resource.supplementary_data.related_ids) ? resource.supplementary_data.related_ids : {};
  const isRefund = eventType.startsWith('PAYMENT.CAPTURE.REFUNDED') || eventType.startsWith('PAYMENT.REFUND');
  const isOrder = eventType.startsWith('CHECKOUT.ORDER');
  return verified([
    eventOf({
      provider: 'paypal',
      eventId: body.id as string,
      // A capture of an authorization (intent AUTHORIZE) names what it took, which may be part of the hold.
      type: eventType === 'PAYMENT.CAPTURE.COMPLETED' && str(related.authorization_id) !== undefined ? 'payment.captured' : (TYPES[eventType] ?? 'other'),
      providerType: eventType,
      // The gateway knows a PayPal payment by its order id: a capture names it in related_ids; a refund names its capture in its `up` link.
      providerPaymentId: isOrder ? str(resource.id) : str(related.order_id) ?? (isRefund ? upLinkId(resource) : str(resource.id)),
      merchantReference: str(resource.invoice_id) ?? str(resource.custom_id) ?? str(firstUnit(resource)?.invoice_id) ?? str(firstUnit(resource)?.reference_id),
      refundId: isRefund ? str(resource.id) : undefined,
      amount: currency !== undefined && typeof amount.value === 'string' ? majorToMinor(amount.value, currency) : undefined,
      currency: currency?.toLowerCase(),
      occurredAt: str(body.create_time),
      reason: isObject(resource.status_details) ? str(resource.status_details.reason) : undefined,
    }),
  ]);
};

const TYPES: Readonly<Record<string, WebhookEventType>> = {
  'CHECKOUT.ORDER.APPROVED': 'payment.authorised',
  'PAYMENT.CAPTURE.COMPLETED': 'payment.succeeded',
  'PAYMENT.CAPTURE.DECLINED': 'payment.failed',
  'PAYMENT.CAPTURE.DENIED': 'payment.failed',
  'PAYMENT.CAPTURE.PENDING': 'payment.pending',
  'PAYMENT.CAPTURE.REFUNDED': 'refund.succeeded',
  'PAYMENT.CAPTURE.REVERSED': 'refund.succeeded',
  // A void of a held authorization: the order can no longer be paid.
  'PAYMENT.AUTHORIZATION.VOIDED': 'payment.cancelled',
};

function firstUnit(resource: Record<string, unknown>): Record<string, unknown> | undefined {
  const units = resource.purchase_units;
  return Array.isArray(units) && isObject(units[0]) ? units[0] : undefined;
}

/** The id at the end of the resource's `rel: up` link (a refund's capture). */
function upLinkId(resource: Record<string, unknown>): string | undefined {
  const links = Array.isArray(resource.links) ? resource.links : [];
  const up = links.find((l): l is Record<string, unknown> => isObject(l) && l.rel === 'up');
  const href = up ? str(up.href) : undefined;
  return href?.split('/').filter(Boolean).pop();
}

/**
 * A dispute (developer.paypal.com/docs/disputes/webhooks): CREATED — the amount is held back from
 * the merchant at once for a chargeback; RESOLVED — `dispute_outcome.outcome_code` says for whom.
 * The dispute names the capture and the merchant's invoice number, not the order: it is matched
 * by the invoice number the gateway sent.
 */
function disputeEvent(eventId: string, eventType: string, resource: Record<string, unknown>, createTime: string | undefined): WebhookEvent {
  const disputed = Array.isArray(resource.disputed_transactions) && isObject(resource.disputed_transactions[0]) ? resource.disputed_transactions[0] : {};
  const amount = isObject(resource.dispute_amount) ? resource.dispute_amount : {};
  const currency = str(amount.currency_code);
  const outcome = isObject(resource.dispute_outcome) ? str(resource.dispute_outcome.outcome_code) : undefined;
  const type: WebhookEventType =
    eventType === 'CUSTOMER.DISPUTE.CREATED' ? 'dispute.funds_withdrawn'
    : eventType === 'CUSTOMER.DISPUTE.RESOLVED' ? (outcome === 'RESOLVED_SELLER_FAVOUR' ? 'dispute.won' : 'dispute.lost')
    : 'other';
  return eventOf({
    provider: 'paypal',
    eventId,
    type,
    providerType: eventType,
    providerPaymentId: undefined,
    merchantReference: str(disputed.invoice_number) ?? str(disputed.custom),
    disputeId: str(resource.dispute_id),
    amount: currency !== undefined && typeof amount.value === 'string' ? majorToMinor(amount.value, currency) : undefined,
    currency: currency?.toLowerCase(),
    occurredAt: createTime,
    reason: str(resource.reason),
  });
}
