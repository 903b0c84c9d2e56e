import type { AdyenSplit } from './splits.js';
import type { SpillStore } from '../core/index.js';

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
  /** A wallet's flow where the method has two (PayPal: `redirect` or `sdk`). */
  readonly walletSubtype?: string;
  /** Native 3-D Secure 2: the step the shopper is at, and the token that names this payment. */
  threeDS2?: { stage: 'fingerprint' | 'challenge'; token: string };
  /** The dispute's pspReference, once the payment is disputed (disputes.ts). */
  disputeReference?: string;
  /** Split instructions of the authorisation (splits.ts); a full capture without its own uses them. */
  splits?: AdyenSplit[];
}

/** A Checkout session (`POST /sessions`): what Drop-in pays with, and the payments made in it. */
export interface AdyenSession {
  readonly id: string;
  readonly merchantAccount: string;
  readonly reference: string;
  readonly amount: { value: number; currency: string };
  readonly returnUrl: string;
  readonly expiresAt: Date;
  readonly countryCode: string | undefined;
  /** The token Drop-in hands back as `sessionResult`, set once the shopper has finished. */
  result?: string;
  readonly payments: string[];
}

/**
 * The simulator's payments and redirect tokens. Each keeps its newest `retain` in memory and the
 * older ones in the spill store (core/spill-map.ts), so an old payment is still modified and found.
 * The indexes hold pspReferences, not payments: one payment is one object, wherever it is kept.
 */
export class AdyenState {
  readonly payments: Map<string, AdyenPayment>;
  readonly redirectTokens: Map<string, string>;
  /** Native 3-D Secure 2 `authorisationToken` / `paymentData` → pspReference. */
  readonly threeDS2Tokens: Map<string, string>;
  /** Merchant reference → the newest payment's pspReference (the standalone `/cancels` looks up by it). */
  readonly byReference: Map<string, string>;
  readonly sessions: Map<string, AdyenSession>;

  constructor(retain: number, spill: SpillStore) {
    this.payments = spill.map('payments', retain);
    this.redirectTokens = spill.map('redirect_tokens', retain);
    this.threeDS2Tokens = spill.map('three_ds2_tokens', retain);
    this.byReference = spill.map('by_reference', retain);
    this.sessions = spill.map('sessions', retain);
  }
}
