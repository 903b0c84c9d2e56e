import type { NormalisedCode, PaymentOutcome } from '../../src/conventions/index.js';
import type { ChargeResult } from './provider-client.js';
import { statusFailure, transportFailure, unreadableAnswer } from './provider-client.js';

/**
 * What the gateway asks of a provider after a charge: give money back (refund), or stop an
 * authorisation or an unpaid order from ever moving money (cancel). Each client speaks its
 * provider's own operation (docs/gateway-lifecycle.md has the table); the results are read
 * through the same code tables as charges, with a few refund-only entries.
 */
export interface RefundRequest {
  /** The gateway's order id (the merchant reference the charge was made under). */
  orderId: string;
  /**
   * The provider's id of the payment, as charge() returned it (PaymentIntent, pspReference,
   * Alipay trade_no, WeChat transaction_id, PayPal order id). Alipay and WeChat Pay can find the
   * payment by the order alone; Stripe, Adyen and PayPal need it.
   */
  paymentId?: string;
  /** Minor units to give back: the whole capture for a full refund, less for a partial one. */
  amount: number;
  /** Minor units captured by the charge (WeChat Pay wants the order total beside every refund). */
  capturedAmount: number;
  /** Lower-case ISO 4217, the charge's. */
  currency: string;
  /**
   * Stable for every attempt at this one refund, distinct between two refunds of one payment:
   * sent as the provider's idempotency key (Stripe / Adyen Idempotency-Key, PayPal-Request-Id) or
   * used as its refund number (Alipay out_request_no, WeChat out_refund_no), so a retried refund
   * refunds once and two partial refunds are two.
   */
  refundKey: string;
  reason?: string;
  /**
   * A refund of a split payment that takes the split back with it (Ledger.refundSplitShares):
   * the receiver's share to reverse and the commission to give back, summing to `amount`, and the
   * split's receiver and commission. Stripe: `reverse_transfer` and `refund_application_fee`
   * (Stripe computes the same proportional shares); Adyen: `splits[]` on the refund.
   */
  split?: { destination: string; platformFee: number; receiver: number; commission: number };
}

export interface CancelRequest {
  orderId: string;
  /** As in RefundRequest. Adyen and Alipay can cancel by the merchant reference alone (after a timeout left no id). */
  paymentId?: string;
  /** Stable for every attempt at this cancel (the provider's idempotency key where it has one). */
  cancelKey: string;
}

/**
 * Capture an authorisation the provider holds (ChargeRequest.capture `manual`), in full or in
 * part. Stripe captures synchronously; Adyen and PayPal-style modifications may answer
 * `received` (pending) and end by notification.
 */
export interface CaptureRequest {
  orderId: string;
  /** As in RefundRequest: the provider's id of the authorised payment (PaymentIntent, pspReference). */
  paymentId?: string;
  /** Minor units to capture: at most the authorised amount. */
  amount: number;
  /** Minor units authorised (held) by the charge. */
  authorisedAmount: number;
  /** Lower-case ISO 4217, the charge's. */
  currency: string;
  /**
   * Stable for every attempt at capturing this payment (derived from the payment, not the
   * client's key): a capture retried or resumed under any key is one capture at the provider.
   */
  captureKey: string;
}

/**
 * A refund, cancel or capture as the provider answered it. `succeeded` = the money is back (refund) or the
 * authorisation / order can no longer be paid (cancel); `pending` = accepted, the end comes later
 * (Adyen's `received`, WeChat's PROCESSING) or unknown (a timeout, a 5xx: retry with the same key
 * after a query); `failed` = refused, nothing moved.
 */
export interface LifecycleResult {
  outcome: PaymentOutcome;
  errorCode?: NormalisedCode;
  providerCode?: string;
  /** The provider's id of the refund (re_…, Adyen's modification pspReference, out_request_no, refund_id, PayPal refund id). */
  refundId?: string;
  /** For a capture: the provider's id of it (Adyen's capture pspReference, PayPal's capture id), named again in its notification. */
  captureId?: string;
  /** For a capture: the minor units the provider says it captured, when it says. */
  capturedAmount?: number;
  /** For a cancel the provider gives an id of its own (Adyen's cancel pspReference, named again in its CANCELLATION notification). */
  cancelId?: string;
  /** The provider's own status word (succeeded, received, REFUND_SUCCESS, PROCESSING, COMPLETED, canceled …). */
  status?: string;
  providerStatus: number;
}

/** Which refund to look up: by the provider's refund id when the refund's answer gave one, else by its refundKey. */
export interface RefundQuery {
  orderId: string;
  paymentId?: string;
  refundKey: string;
  refundId?: string;
}

/**
 * What the provider knows of one refund, for settling a refund whose answer was lost (a timeout,
 * a 5xx — Stripe even replays a stored 500 to the same key). `absent`: the provider has no such
 * refund, so refund() with the same key is safe; `unknown`: nothing was learned (no answer).
 */
export interface RefundStatus {
  state: 'succeeded' | 'pending' | 'failed' | 'absent' | 'unknown';
  refundId?: string;
  /** Minor units, when the provider says. */
  amount?: number;
  providerCode?: string;
  providerStatus: number;
}

/** A charge-shaped failure (transport, 5xx, unreadable) as a lifecycle result: the same reading, the same advice. */
export function lifecycleFailure(err: unknown): LifecycleResult {
  return transportFailure(err);
}

export function lifecycleStatusFailure(status: number, providerCode: string | undefined): LifecycleResult | undefined {
  return statusFailure(status, providerCode);
}

export function lifecycleUnreadable(status: number): LifecycleResult {
  return unreadableAnswer(status);
}

/** A request the gateway cannot make as asked (no payment id where the provider needs one): nothing was sent. */
export function notSendable(providerCode: string): LifecycleResult {
  return { outcome: 'failed', errorCode: 'invalid_request', providerCode, providerStatus: 0 };
}

/** A refund amount must be a positive whole number of minor units, at most what was captured. */
export function badRefundAmount(req: RefundRequest): LifecycleResult | undefined {
  if (!Number.isSafeInteger(req.amount) || req.amount <= 0) return notSendable('amount_not_positive');
  if (!Number.isSafeInteger(req.capturedAmount) || req.capturedAmount <= 0) return notSendable('captured_amount_not_positive');
  return undefined;
}

/** A capture amount must be a positive whole number of minor units, at most what was authorised. */
export function badCaptureAmount(req: CaptureRequest): LifecycleResult | undefined {
  if (!Number.isSafeInteger(req.amount) || req.amount <= 0) return notSendable('amount_not_positive');
  if (!Number.isSafeInteger(req.authorisedAmount) || req.amount > req.authorisedAmount) return notSendable('amount_over_authorised');
  return undefined;
}

/** A charge-shaped "no answer" (transport, 5xx, bad signature) as a lifecycle result: no payment id carried over. */
export function lifecycleOf(r: ChargeResult): LifecycleResult {
  return { outcome: r.outcome, ...(r.errorCode !== undefined ? { errorCode: r.errorCode } : {}), ...(r.providerCode !== undefined ? { providerCode: r.providerCode } : {}), providerStatus: r.providerStatus };
}
