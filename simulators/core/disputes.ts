import { z } from 'zod';
import { validate } from '../../src/kernel/index.js';

/**
 * Disputes (chargebacks): a shopper's bank takes a captured payment back. Every simulator that
 * has them (Stripe, Adyen, PayPal) opens one the same two ways, and books it the same way:
 *
 *   behaviour profile `disputes: {rate, reason, outcome}` ─┐  (after each capture, by chance)
 *   POST /__sim/disputes {paymentId, amount?, reason?, outcome?} ─┴─► the provider's opener
 *        ─► ledger `chargeback` (the money leaves the merchant at once, as the networks debit it)
 *        ─► the provider's notifications (charge.dispute.*, NOTIFICATION_OF_CHARGEBACK / CHARGEBACK,
 *           CUSTOMER.DISPUTE.CREATED) ─► outcome `won`: ledger `chargeback_reversal` and its
 *           notification; `lost`: closed; `open`: waits for the merchant (evidence, acceptance)
 *
 * The settlement report (version 2) lists both movements in the provider's own terms.
 */
export type DisputeOutcome = 'lost' | 'won' | 'open';

export interface DisputeRequest {
  /** The provider's payment id (PaymentIntent or charge, pspReference, PayPal order or capture). */
  readonly paymentId: string;
  /** Minor units; default the captured amount not yet refunded. */
  readonly amount?: number;
  readonly reason: string;
  readonly outcome: DisputeOutcome;
}

/** What an opener answers: the dispute in the provider's shape, or why not (`field` names the input at fault). */
export type DisputeOpened = { readonly ok: true; readonly dispute: unknown } | { readonly ok: false; readonly status: number; readonly field: string; readonly message: string };

export const disputeRequestSchema = z.strictObject({
  paymentId: z.string({ error: 'expected the provider\'s payment id (pi_…, a pspReference, a PayPal order or capture id)' }).min(1),
  amount: z.number().int().positive({ error: 'expected a positive whole number of minor units' }).optional(),
  reason: z.string().min(1).max(64).default('fraudulent'),
  outcome: z.enum(['lost', 'won', 'open']).default('lost'),
});

/** The admin request's body, every problem with its path, or the request. */
export function parseDisputeRequest(body: unknown): { ok: true; request: DisputeRequest } | { ok: false; problems: Array<{ path: string; message: string }> } {
  const result = validate(disputeRequestSchema, body ?? {});
  return result.ok ? { ok: true, request: result.value } : { ok: false, problems: result.problems };
}
