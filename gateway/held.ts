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
  return payment.status === 'pending' && payment.providerCode !== undefined && HELD_CODES.has(payment.providerCode);
}
