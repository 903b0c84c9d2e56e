/**
 * What every provider's notification becomes once its signature holds: one normalised event the
 * gateway's inbox can de-duplicate (by provider and eventId) and apply, whatever the provider.
 */
export type WebhookEventType =
  | 'payment.succeeded'
  | 'payment.failed'
  | 'payment.pending'
  /** Authorised (or approved by the payer), not yet captured. */
  | 'payment.authorised'
  | 'payment.captured'
  /** A capture the provider refused (Adyen CAPTURE success false, CAPTURE_FAILED): the payment is as it was. */
  | 'capture.failed'
  | 'payment.cancelled'
  | 'cancel.failed'
  /** Stripe's charge.refunded: the payment's refunded total so far (amount), not one refund. */
  | 'payment.refunded'
  | 'refund.succeeded'
  | 'refund.failed'
  | 'refund.pending'
  /** A dispute opened (no money moved yet: Stripe's charge.dispute.created, Adyen's NOTIFICATION_OF_CHARGEBACK). */
  | 'dispute.opened'
  /** The disputed amount was taken from the merchant (charge.dispute.funds_withdrawn, CHARGEBACK, CUSTOMER.DISPUTE.CREATED). */
  | 'dispute.funds_withdrawn'
  /** It was given back: the merchant won (charge.dispute.funds_reinstated, CHARGEBACK_REVERSED). */
  | 'dispute.funds_reinstated'
  /** Closed in the merchant's favour (charge.dispute.closed won, CUSTOMER.DISPUTE.RESOLVED seller favour). */
  | 'dispute.won'
  /** Closed in the shopper's favour: the chargeback stands. */
  | 'dispute.lost'
  /** A notification the gateway does not act on (verified all the same). */
  | 'other';

export interface WebhookEvent {
  provider: string;
  /**
   * Stable across the provider's retries and duplicates of one notification, so the inbox keeps
   * one: Stripe's evt_ id, Adyen's pspReference:eventCode:success (Adyen's documented duplicate
   * key), Alipay's notify_id, WeChat Pay's notification id, PayPal's WH- id.
   */
  eventId: string;
  type: WebhookEventType;
  /** The provider's own name for it (payment_intent.succeeded, AUTHORISATION, TRADE_SUCCESS …). */
  providerType: string;
  /** The provider's id of the payment (PaymentIntent, pspReference, trade_no, transaction_id, PayPal order or capture id). */
  providerPaymentId?: string;
  /** The merchant's reference as the provider files it (metadata.order_id, merchantReference, out_trade_no, invoice_id). */
  merchantReference?: string;
  /** For refund events: the provider's refund id. */
  refundId?: string;
  /** For dispute events: the provider's dispute id (dp_…, the dispute's pspReference, PP-D-…). */
  disputeId?: string;
  /** Minor units. */
  amount?: number;
  /** Lower-case ISO 4217. */
  currency?: string;
  /** ISO 8601, as the provider dates the event. */
  occurredAt?: string;
  /** Why a failure failed, in the provider's words (refusal reason, decline code). */
  reason?: string;
}

export type WebhookFailureCode = 'PAYCHAOS_ERR_GATEWAY_WEBHOOK_BAD_SIGNATURE' | 'PAYCHAOS_ERR_GATEWAY_WEBHOOK_MALFORMED';

/** A verified notification (Adyen may batch several items: `events`; `event` is the first), or why it is refused. */
export type VerifyResult = { ok: true; event: WebhookEvent; events: readonly WebhookEvent[] } | { ok: false; code: WebhookFailureCode; reason: string };

export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyOptions {
  /** Wall-clock milliseconds, for timestamp tolerances (tests pin it). */
  now?: () => number;
  /**
   * The `ignoreWebhookSignature` regression (a deliberate bug for negative controls): the
   * signature and its timestamp are not checked, so a forged notification is taken. WeChat Pay's
   * AEAD decryption still authenticates its resource: a forger without the APIv3 key is refused there.
   */
  ignoreSignature?: boolean;
}

/** A provider's verifier: the signature scheme from its docs, then its event shapes read into WebhookEvent. */
export type Verify = (headers: WebhookHeaders, rawBody: Buffer | string, credentials: Readonly<Record<string, unknown>> | undefined, options?: VerifyOptions) => VerifyResult;

export const malformed = (reason: string): VerifyResult => ({ ok: false, code: 'PAYCHAOS_ERR_GATEWAY_WEBHOOK_MALFORMED', reason });
export const forged = (reason: string): VerifyResult => ({ ok: false, code: 'PAYCHAOS_ERR_GATEWAY_WEBHOOK_BAD_SIGNATURE', reason });
export const verified = (events: readonly WebhookEvent[]): VerifyResult => ({ ok: true, event: events[0]!, events });

/** One header by its lower-case name (Node lower-cases them); the first when repeated. */
export function header(headers: WebhookHeaders, name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()];
  if (typeof v === 'string') return v;
  return Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

export const text = (body: Buffer | string): string => (typeof body === 'string' ? body : body.toString('utf8'));

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function jsonOf(body: Buffer | string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text(body));
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Only the fields that are there: a WebhookEvent never carries `undefined` values. */
export function eventOf(e: { [K in keyof WebhookEvent]: WebhookEvent[K] | undefined }): WebhookEvent {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) if (v !== undefined) out[k] = v;
  return out as unknown as WebhookEvent;
}
