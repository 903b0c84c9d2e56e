import { PAYPAL_HELD } from './clients/index.js';
import type { PaymentRecord } from './store/index.js';

/**
 * The provider's word for an authorisation it holds uncaptured (ChargeRequest.capture `manual`),
 * as the payment row keeps it in providerCode: Stripe's PaymentIntent `requires_capture`, Adyen's
 * `Authorised` answer to a request with additionalData.manualCapture, PayPal's authorization
 * CREATED (PAYPAL_HELD, an order of intent AUTHORIZE authorized). Only such a payment can be
 * captured; a pending payment waiting for its shopper or for an unknown answer holds nothing yet.
 */
const HELD_CODES: ReadonlySet<string> = new Set(['requires_capture', 'Authorised', PAYPAL_HELD]);

export function isHeld(payment: PaymentRecord): boolean {
  return payment.status === 'pending' && isHeldCode(payment.providerCode);
}

/** Whether a provider's word (a pending answer's providerCode) is a hold: nothing unknown about it, only a capture or a void to come. */
export function isHeldCode(providerCode: string | undefined): boolean {
  return providerCode !== undefined && HELD_CODES.has(providerCode);
}

/**
 * A payment whose charge got no answer the gateway could read (a timeout, a 5xx after sending, a
 * request still out): pending, not held, and not answered 202 — a wallet waiting for its shopper
 * was answered. The provider may hold it all the same (charged, then 500), so a capture or a
 * cancel of it asks the provider first instead of judging by the row.
 */
export function outcomeUnknown(payment: PaymentRecord): boolean {
  return payment.status === 'pending' && !isHeld(payment) && payment.httpStatus !== 202;
}
