import type { Logger } from '../src/kernel/index.js';
import { paymentAnswer } from './payment-answer.js';
import type { DisputeStatus, GatewayStore, PaymentRecord } from './store/index.js';
import type { WebhookEvent } from './webhooks/index.js';

/** What became of one verified notification. */
export type Applied = 'applied' | 'duplicate' | 'unmatched' | 'ignored';

/**
 * Apply a verified provider notification to the gateway's state, in one phase with its inbox row
 * (the caller acknowledges once store.durable() resolves) (so a crash cannot leave an event recorded but never applied, which the de-duplication
 * would then swallow for good):
 *
 *   inbox (provider, eventId) seen? ─▶ duplicate: acknowledge, change nothing
 *   payment by merchant reference / provider id ─▶ none: kept in the inbox, unmatched
 *   payment.succeeded | captured ─▶ settle succeeded (capture booked once — a capture's own amount
 *                                   when it names one; keys left by dead requests answered)
 *   payment.authorised           ─▶ a pending payment is held (Adyen manual capture): pending, Authorised
 *   payment.failed | cancelled   ─▶ settle failed — the store's settle is monotone, so this never
 *                                   overrides a succeeded payment
 *   refund.succeeded             ─▶ book the refund under its provider id (the API path books the same id)
 *   payment.refunded (a total)   ─▶ book what the total adds beyond the refunds known by id, if
 *                                   anything; a refund booked by id later takes that part over
 *   dispute.opened               ─▶ the payment's dispute, open
 *   dispute.funds_withdrawn      ─▶ open, and the chargeback booked (under the dispute id)
 *   dispute.funds_reinstated     ─▶ won: the chargeback and its reversal booked
 *   dispute.won | dispute.lost   ─▶ closed so; won books chargeback and reversal, lost the
 *                                   chargeback (each once: a notification lost on the way does
 *                                   not leave the books short)
 *   anything else                ─▶ recorded only
 *
 * Every rule is idempotent and order-free: the same event twice, events out of order, an event
 * before the API answer, all end in one state. Refund bookings go through the ledger, which
 * refuses anything beyond what was captured.
 */
export interface ApplyOptions {
  /** The unbooked-chargeback bug (negative control of `disputes-booked`): dispute notifications are recorded, never applied. */
  ignoreDisputes?: boolean;
  /** The unbooked-dispute-fee bug (negative control of fee-mismatch): chargebacks are booked without the provider's dispute fee. */
  ignoreDisputeFees?: boolean;
}

export function applyWebhookEvent(store: GatewayStore, event: WebhookEvent, log?: Logger, options: ApplyOptions = {}): Applied {
  return store.phase((): Applied => {
    const payment = store.payments.forNotification(event.provider, event.merchantReference, event.providerPaymentId);
    const fresh = store.recordWebhookEvent({ provider: event.provider, eventId: event.eventId, eventType: event.type, ...(payment ? { paymentId: payment.paymentId } : {}), payload: JSON.stringify(event) });
    if (!fresh) return 'duplicate';
    const now = store.now();
    let applied: Applied = 'ignored';
    if (!payment) {
      log?.warn({ provider: event.provider, eventId: event.eventId, type: event.type, merchantReference: event.merchantReference }, 'webhook for no payment this gateway knows');
      applied = 'unmatched';
    } else if (event.type === 'payment.succeeded' || event.type === 'payment.captured') {
      // A capture of a hold names what it took (a partial capture less than the payment's amount).
      const capturedAmount = event.type === 'payment.captured' && event.amount !== undefined && event.amount > 0 && event.amount <= payment.amount ? { capturedAmount: event.amount } : {};
      store.settlePayment(payment.paymentId, { status: 'succeeded', providerCode: event.providerType, providerPaymentId: event.providerPaymentId, httpStatus: 201, ...capturedAmount }, paymentAnswer);
      applied = 'applied';
    } else if (event.type === 'payment.authorised' && event.provider === 'adyen') {
      // The hold's notification (its answer may have been lost): held, waiting for a capture or a cancel. Monotone: a later state stays.
      store.settlePayment(payment.paymentId, { status: 'pending', providerCode: 'Authorised', providerPaymentId: event.providerPaymentId, httpStatus: 202 });
      applied = 'applied';
    } else if (event.type === 'payment.failed' || event.type === 'payment.cancelled') {
      const closed = event.type === 'payment.cancelled';
      store.settlePayment(payment.paymentId, { status: 'failed', errorCode: closed ? 'order_closed' : 'card_declined', providerCode: event.reason ?? event.providerType, providerPaymentId: event.providerPaymentId, httpStatus: 402 }, paymentAnswer);
      applied = 'applied';
    } else if (event.type === 'refund.succeeded' && event.amount !== undefined) {
      const booking = store.ledger.refund(payment.paymentId, payment.provider, event.amount, payment.currency, event.refundId ?? event.merchantReference ?? event.eventId, now);
      if (!booking.booked) log?.error({ provider: event.provider, eventId: event.eventId, amount: event.amount, refundable: booking.refundable }, 'provider reports a refund beyond what the books captured');
      applied = 'applied';
    } else if (event.type === 'payment.refunded' && event.amount !== undefined) {
      // A running total (Stripe's charge.refunded): only what it adds beyond the refunds known by id —
      // and a refund answered or notified by id after it takes its part over (Ledger.refundTotal),
      // so a total that overtakes a refund's own answer does not book that refund twice.
      const booking = store.ledger.refundTotal(payment.paymentId, payment.provider, event.amount, payment.currency, now);
      if (!booking.booked) log?.error({ provider: event.provider, eventId: event.eventId, total: event.amount, refundable: booking.refundable }, 'provider reports refunds beyond what the books captured');
      applied = 'applied';
    } else if (event.type.startsWith('dispute.') && event.disputeId !== undefined && options.ignoreDisputes !== true) {
      applied = applyDispute(store, payment, event, now, log, options.ignoreDisputeFees === true);
    }
    store.inbox.markProcessed(event.provider, event.eventId, now);
    return applied;
  });
}

/** One dispute notification: its state, and the money it says moved, each booked once under the dispute id. */
function applyDispute(store: GatewayStore, payment: PaymentRecord, event: WebhookEvent, now: number, log: Logger | undefined, noFees: boolean): Applied {
  const disputeId = event.disputeId!;
  const status: DisputeStatus = event.type === 'dispute.won' || event.type === 'dispute.funds_reinstated' ? 'won' : event.type === 'dispute.lost' ? 'lost' : 'open';
  // A notification without an amount (some closings) books what the dispute was opened for.
  const known = store.disputes.forPayment(payment.paymentId).find((d) => d.provider === event.provider && d.disputeId === disputeId);
  const amount = event.amount ?? known?.amount;
  store.disputes.record({ provider: event.provider, disputeId, paymentId: payment.paymentId, status, amount: amount ?? 0, currency: payment.currency, reason: event.reason }, now);
  if (event.type === 'dispute.opened') return 'applied';
  if (amount === undefined) {
    log?.error({ provider: event.provider, eventId: event.eventId, disputeId }, 'dispute notification moves money but names no amount, and the dispute is not known: not booked');
    return 'applied';
  }
  // Withdrawn in every case but a bare opening: a won dispute was charged back first.
  // The provider's dispute fee is booked with each movement (ledger.ts), unless the regression drops it.
  const fee = noFees ? { fee: 0 } : {};
  store.ledger.dispute(payment.paymentId, payment.provider, 'chargeback', amount, payment.currency, disputeId, now, fee.fee);
  if (status === 'won') store.ledger.dispute(payment.paymentId, payment.provider, 'chargeback_reversal', amount, payment.currency, disputeId, now, fee.fee);
  return 'applied';
}
