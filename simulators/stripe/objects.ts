import { BoundedMap } from '../../src/kernel/index.js';

/**
 * The Stripe API objects the simulator serves, with the fields clients read. Internal
 * bookkeeping (trace id, whether 3-D Secure passed) lives beside them in `IntentRecord`, never
 * in the object, so nothing private reaches a response.
 */
export type PaymentIntentStatus = 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'processing' | 'requires_capture' | 'succeeded' | 'canceled';

export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  status: PaymentIntentStatus;
  capture_method: 'automatic' | 'automatic_async' | 'manual';
  confirmation_method: 'automatic' | 'manual';
  client_secret: string;
  payment_method: string | null;
  payment_method_types: string[];
  latest_charge: string | null;
  next_action: { type: 'redirect_to_url'; redirect_to_url: { url: string; return_url: string | null } } | null;
  last_payment_error: Record<string, unknown> | null;
  cancellation_reason: string | null;
  canceled_at: number | null;
  description: string | null;
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

export interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: boolean;
  refunded: boolean;
  currency: string;
  paid: boolean;
  payment_intent: string;
  payment_method: string | null;
  payment_method_details: { type: 'card'; card: { last4: string } };
  status: 'succeeded' | 'failed';
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  currency: string;
  payment_intent: string;
  reason: string | null;
  status: 'succeeded';
  metadata: Record<string, string>;
  created: number;
}

export interface IntentRecord {
  intent: PaymentIntent;
  traceId: string | undefined;
  /** The key of the request that created it; ledger entries of later steps fall back to it. */
  idempotencyKey: string | undefined;
  /** 3-D Secure completed successfully for the current payment method. */
  authenticated: boolean;
  /** Where the 3-D Secure page sends the shopper back to. */
  returnUrl: string | null;
}

/** The simulator's objects, by id; each kind keeps the newest `retain` (see BoundedMap). */
export class StripeState {
  readonly intents: Map<string, IntentRecord>;
  readonly charges: Map<string, Charge>;
  readonly refunds: Map<string, Refund>;

  constructor(retain: number) {
    this.intents = new BoundedMap(retain);
    this.charges = new BoundedMap(retain);
    this.refunds = new BoundedMap(retain);
  }
}
