import type { Executed } from './idempotency.js';
import { STRIPE_OUTCOMES, cardBehaviour, type CardBehaviour } from './cards.js';
import { emitEvent, moveBalance, recordMovement, storeCharge, type StripeContext } from './context.js';
import { describeDestination, splitOnCapture } from './connect.js';
import { stripeError } from './errors.js';
import type { Charge, IntentRecord, NextAction } from './objects.js';
import { cardDetails, resolveCard } from './payment-method-store.js';
import { attachPaymentMethod } from './payment-methods.js';
import { walletField } from './payment-method-store.js';
import { confirmRedirect, redirectPaymentMethod } from './redirect-methods.js';

/**
 * Confirming a PaymentIntent: one payment attempt with its payment method.
 *
 *   requires_confirmation ─▶ card succeeds ─▶ authorise ─┬─ automatic capture ─▶ succeeded
 *            │                                           └─ manual capture ────▶ requires_capture
 *            ├─▶ 3-D Secure card ─▶ requires_action ─(/__sim/3ds/:id)─▶ authenticated ─▶ confirm again
 *            │     (off_session: nobody to authenticate ─▶ declined, authentication_required)
 *            └─▶ declined ─▶ 402 card_error, back to requires_payment_method
 *
 * A 3-D Secure card asks for `redirect_to_url` when the merchant gave a `return_url`, and for
 * `use_stripe_sdk` (Stripe.js or a mobile SDK opens the page) when it did not, as Stripe answers.
 * With `setup_future_usage` and a `customer`, a successful payment saves its card to the customer.
 *
 * The profile's outcome mix may force a provider code on the attempt instead of the card's own.
 * Money moves (ledger) before anyone is answered.
 */
export function confirmIntent(ctx: StripeContext, rec: IntentRecord, key: string | undefined, threeDsUrl: string | (() => string)): Executed {
  const intent = rec.intent;
  const pm = intent.payment_method ?? '';
  // iDEAL and GrabPay send the shopper to their bank or wallet instead (redirect-methods.ts).
  const redirect = redirectPaymentMethod(ctx.state, pm);
  if (redirect) {
    const page = (typeof threeDsUrl === 'string' ? threeDsUrl : threeDsUrl()).replace('/__sim/3ds/', '/__sim/redirect/');
    return confirmRedirect(ctx, rec, redirect, key, page);
  }
  // Without an order id, a chain follows the PaymentIntent: its own confirm retries.
  const forced = ctx.behaviour.drawOutcome(intent.metadata.order_id ?? intent.id);
  let behaviour: CardBehaviour = (forced ? STRIPE_OUTCOMES[forced] : undefined) ?? cardBehaviour(resolveCard(ctx.state, pm) ?? pm) ?? { kind: 'succeed' };
  if (behaviour.kind === 'requires_action' && rec.authenticated) behaviour = { kind: 'succeed' };
  if (behaviour.kind === 'requires_action' && rec.offSession) {
    behaviour = { kind: 'decline', code: 'authentication_required', declineCode: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.' };
  }

  if (behaviour.kind === 'requires_action') {
    intent.status = 'requires_action';
    intent.next_action = nextAction(rec, typeof threeDsUrl === 'string' ? threeDsUrl : threeDsUrl());
    return { response: { status: 200, body: intent }, committed: false, after: () => emitEvent(ctx, 'payment_intent.requires_action', intent, key, rec.traceId) };
  }
  if (behaviour.kind === 'decline') return decline(ctx, rec, key, behaviour);
  return authorise(ctx, rec, key);
}

/** A declined attempt: a failed charge, the error on the intent, 402 to the caller. */
export function decline(ctx: StripeContext, rec: IntentRecord, key: string | undefined, d: { code: string; declineCode: string | undefined; message: string }): Executed {
  const intent = rec.intent;
  const charge = newCharge(ctx, rec, 'failed');
  charge.failure_code = d.code;
  charge.failure_message = d.message;
  charge.outcome = { network_status: 'declined_by_network', reason: d.declineCode ?? null, risk_level: 'normal', seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' };
  const error = {
    type: 'card_error',
    code: d.code,
    ...(d.declineCode ? { decline_code: d.declineCode } : {}),
    message: d.message,
    charge: charge.id,
    payment_method: intent.payment_method,
    doc_url: `https://stripe.com/docs/error-codes/${d.code.replace(/_/g, '-')}`,
  };
  intent.status = 'requires_payment_method';
  intent.next_action = null;
  intent.latest_charge = charge.id;
  intent.last_payment_error = error;
  rec.authenticated = false;
  return {
    response: { status: 402, body: { error: { ...error, payment_intent: structuredClone(intent) } } },
    committed: false,
    after: () => {
      emitEvent(ctx, 'charge.failed', charge, key, rec.traceId);
      emitEvent(ctx, 'payment_intent.payment_failed', intent, key, rec.traceId);
    },
  };
}

function authorise(ctx: StripeContext, rec: IntentRecord, key: string | undefined): Executed {
  const intent = rec.intent;
  const manual = intent.capture_method === 'manual';
  const charge = newCharge(ctx, rec, 'succeeded');
  recordMovement(ctx, rec, 'authorization', intent.amount, key, charge.id);
  intent.latest_charge = charge.id;
  intent.next_action = null;
  intent.last_payment_error = null;
  saveCard(ctx, rec);
  if (manual) {
    intent.status = 'requires_capture';
    intent.amount_capturable = intent.amount;
    return {
      response: { status: 200, body: intent },
      committed: true,
      after: () => {
        emitEvent(ctx, 'charge.succeeded', charge, key, rec.traceId);
        emitEvent(ctx, 'payment_intent.amount_capturable_updated', intent, key, rec.traceId);
      },
    };
  }
  charge.balance_transaction = moveBalance(ctx, rec, 'capture', intent.amount, key, charge.id);
  charge.captured = true;
  charge.amount_captured = intent.amount;
  splitOnCapture(ctx, rec, charge);
  intent.status = 'succeeded';
  intent.amount_received = intent.amount;
  return {
    response: { status: 200, body: intent },
    committed: true,
    after: () => {
      emitEvent(ctx, 'charge.succeeded', charge, key, rec.traceId);
      emitEvent(ctx, 'payment_intent.succeeded', intent, key, rec.traceId);
    },
  };
}

/** `setup_future_usage` with a customer: the card is attached to the customer (a test id as a new PaymentMethod). */
function saveCard(ctx: StripeContext, rec: IntentRecord): void {
  const i = rec.intent;
  if (!i.setup_future_usage || !i.customer || !i.payment_method || !ctx.state.customers.has(i.customer)) return;
  const stored = ctx.state.paymentMethods.get(i.payment_method);
  if (stored?.pm.customer === i.customer) return;
  if (stored?.pm.customer || stored?.detached) return;
  i.payment_method = attachPaymentMethod(ctx, i.payment_method, i.customer).id;
}

function nextAction(rec: IntentRecord, url: string): NextAction {
  if (rec.returnUrl) return { type: 'redirect_to_url', redirect_to_url: { url, return_url: rec.returnUrl } };
  return { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url, source: `src_${rec.intent.id.slice(3)}` } };
}

function newCharge(ctx: StripeContext, rec: IntentRecord, status: Charge['status']): Charge {
  const i = rec.intent;
  const charge = storeCharge(ctx, rec, {
    id: ctx.ids.next('ch'),
    status,
    payment_method: i.payment_method,
    payment_method_details: { type: 'card', card: { ...cardDetails(resolveCard(ctx.state, i.payment_method ?? '') ?? '', ctx.nowS()), ...walletField(i.payment_method ?? ''), network: '' } },
    outcome: { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
  });
  if (charge.payment_method_details.type === 'card') charge.payment_method_details.card.network = charge.payment_method_details.card.brand;
  describeDestination(i, charge);
  return charge;
}

/** The 400 Stripe answers when an operation does not fit the intent's status. */
export function unexpectedState(rec: IntentRecord, action: string, allowed: readonly string[]): Executed {
  const i = rec.intent;
  return {
    response: {
      status: 400,
      body: stripeError('invalid_request_error', `This PaymentIntent's ${action} could not be performed because it has a status of ${i.status}. Only a PaymentIntent with one of the following statuses may be ${action === 'capture' ? 'captured' : action === 'cancel' ? 'canceled' : 'confirmed'}: ${allowed.join(', ')}.`, {
        code: 'payment_intent_unexpected_state',
        payment_intent: structuredClone(i),
      }),
    },
    committed: false,
  };
}
