import { BoundedMap } from '../../src/kernel/index.js';

/** A payment as the Adyen simulator keeps it; amounts in minor units. */
export interface AdyenPayment {
  readonly pspReference: string;
  readonly merchantAccount: string;
  readonly reference: string;
  readonly amount: { value: number; currency: string };
  readonly paymentMethodType: string;
  readonly brand: string | undefined;
  readonly captureMode: 'auto' | 'manual';
  status: 'redirect_shopper' | 'authorised' | 'refused' | 'cancelled' | 'error';
  captured: number;
  refunded: number;
  voided: number;
  readonly traceId: string | undefined;
  readonly idempotencyKey: string | undefined;
  readonly returnUrl: string | undefined;
  /** What the shopper chose on the redirect page, and the token carrying it back. */
  redirect?: { token: string; decision?: 'authorise' | 'refuse' | 'cancel' };
  /** The final /payments/details answer, replayed if details are submitted again. */
  detailsResult?: Record<string, unknown>;
}

/** The simulator's payments and redirect tokens; each keeps the newest `retain` (see BoundedMap). */
export class AdyenState {
  readonly payments: Map<string, AdyenPayment>;
  readonly redirectTokens: Map<string, string>;

  constructor(retain: number) {
    this.payments = new BoundedMap(retain);
    this.redirectTokens = new BoundedMap(retain);
  }
}
