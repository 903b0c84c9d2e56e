import type { NormalisedCode, PaymentOutcome, Variant } from '../conventions/index.js';

/**
 * One payment attempt as the load driver saw it: the unit every aggregate is built from, and
 * one line of events.jsonl.
 */
export interface PaymentEvent {
  /** Scheduled start, ms since the run started (open model: not the actual send time). */
  readonly t: number;
  readonly variant: Variant;
  readonly provider: string;
  readonly method?: string;
  readonly outcome: PaymentOutcome;
  /** Normalised code; absent on success. */
  readonly errorCode?: NormalisedCode;
  /** The provider's own code, when the gateway reported one. */
  readonly providerCode?: string;
  /** From the scheduled start to the last byte of the response, in ms. */
  readonly latencyMs: number;
  /** HTTP status the driver got, 0 when the request never got an answer. */
  readonly status: number;
  readonly orderId: string;
  /** What the order is for, minor units and lower-case ISO 4217 (the built-in driver knows; k6 output does not carry them). */
  readonly amount?: number;
  readonly currency?: string;
  readonly idempotencyKey: string;
  /**
   * What the shopper did (the step's label, load/lib/traffic.js): a first submit, a duplicate
   * with the same key, … or a step after the charge — `refund`, `refund_retry`, `cancel`,
   * `cancel_retry`, whose event is that request's answer, not a payment's.
   */
  readonly behaviour?: string;
  /** A `refund` or `refund_retry` event: the minor units that refund asked back. */
  readonly refundAmount?: number;
  readonly traceId?: string;
  /**
   * The provider's id of the payment and the merchant order number the gateway sent it, as the
   * gateway's answer reported them: how a ledger row is joined to this order (src/run/orders-placed.ts).
   */
  readonly providerPaymentId?: string;
  readonly providerReference?: string;
  /** The gateway failed this payment over: the provider it switched away from, and why. */
  readonly failoverFrom?: string;
  readonly failoverReason?: string;
}
