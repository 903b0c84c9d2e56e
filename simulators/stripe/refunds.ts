import type { FastifyInstance, FastifyRequest } from 'fastify';
import { send, type FormObject } from '../core/index.js';
import { checkRefundSplits, splitOnRefund } from './connect.js';
import { emitEvent, moveBalance, type StripeContext } from './context.js';
import { invalidRequest } from './errors.js';
import { runStripeOperation, settled } from './idempotency.js';
import type { IntentRecord, Refund } from './objects.js';
import { bodyOf, checkEnum, checkMetadata, checkPositiveInteger, firstProblem, metadataOf, optionalString } from './params.js';
import { missing } from './payment-intents.js';

/**
 * `/v1/refunds` (create, retrieve) and `/v1/charges/:id`. A refund moves money back at once
 * (status `succeeded`), is written to the ledger, and never exceeds what was captured less what
 * was already refunded — the invariant the checker holds the gateway to as well.
 */
export function registerRefunds(app: FastifyInstance, ctx: StripeContext): void {
  app.post('/v1/refunds', (req, reply) => {
    const params = bodyOf(req.body);
    const rec = intentOf(ctx, params);
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () =>
        firstProblem(
          !optionalString(params, 'payment_intent') && !optionalString(params, 'charge')
            ? invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', 'parameter_missing')
            : undefined,
          rec ? undefined : optionalString(params, 'payment_intent') ? missing('payment_intent', String(params.payment_intent), 'payment_intent', 400) : missing('charge', String(params.charge), 'charge', 400),
          checkPositiveInteger(params, 'amount', false),
          checkEnum(params, 'reason', ['duplicate', 'fraudulent', 'requested_by_customer']),
          checkMetadata(params),
          checkRefundSplits(params, rec?.intent.latest_charge ? ctx.state.charges.get(rec.intent.latest_charge) : undefined),
        ),
      execute: (key) => {
        const r = rec as IntentRecord;
        const charge = r.intent.latest_charge ? ctx.state.charges.get(r.intent.latest_charge) : undefined;
        if (!charge || !charge.captured) {
          return { response: invalidRequest(`This PaymentIntent (${r.intent.id}) does not have a successful charge to refund.`, 'charge_not_refundable'), committed: false };
        }
        const remaining = charge.amount_captured - charge.amount_refunded;
        if (remaining === 0) return { response: invalidRequest(`Charge ${charge.id} has already been refunded.`, 'charge_already_refunded'), committed: false };
        const amount = params.amount === undefined ? remaining : Number(params.amount);
        if (amount > remaining) {
          return { response: invalidRequest(`Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, 'amount_too_large', 'amount'), committed: false };
        }
        const refund: Refund = {
          id: ctx.ids.next('re'),
          object: 'refund',
          amount,
          charge: charge.id,
          currency: charge.currency,
          payment_intent: r.intent.id,
          reason: optionalString(params, 'reason') ?? null,
          status: 'succeeded',
          balance_transaction: '',
          metadata: metadataOf(params),
          created: ctx.nowS(),
        };
        refund.balance_transaction = moveBalance(ctx, r, 'refund', amount, key, refund.id);
        ctx.state.refunds.set(refund.id, refund);
        charge.amount_refunded += amount;
        charge.refunded = charge.amount_refunded === charge.amount_captured;
        splitOnRefund(ctx, params, charge, refund);
        return {
          response: { status: 200, body: refund },
          committed: true,
          after: () => {
            emitEvent(ctx, 'refund.created', refund, key, r.traceId);
            emitEvent(ctx, 'charge.refunded', charge, key, r.traceId);
          },
        };
      },
    }));
  });

  // Card refunds succeed at once here, so there is never one left to cancel (Stripe cancels only `requires_action` refunds).
  app.post('/v1/refunds/:id/cancel', (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const params = bodyOf(req.body);
    const refund = ctx.state.refunds.get(req.params.id);
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () => (refund ? undefined : missing('refund', req.params.id, 'id', 404)),
      execute: () => ({
        response: invalidRequest(`Refund ${refund!.id} cannot be canceled because it has a status of ${refund!.status}. Only refunds with a status of requires_action can be canceled.`, 'refund_unexpected_state'),
        committed: false,
      }),
    }));
  });

  app.post('/v1/refunds/:id', (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const params = bodyOf(req.body);
    const refund = ctx.state.refunds.get(req.params.id);
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () => (refund ? checkMetadata(params) : missing('refund', req.params.id, 'id', 404)),
      execute: (key) => {
        const r = refund!;
        if (params.metadata !== undefined) r.metadata = { ...r.metadata, ...metadataOf(params) };
        return { response: { status: 200, body: r }, committed: false, after: () => emitEvent(ctx, 'refund.updated', r, key) };
      },
    }));
  });

  app.get('/v1/refunds/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const refund = ctx.state.refunds.get(req.params.id);
    return refund ?? send(reply, missing('refund', req.params.id, 'id', 404));
  });

  app.get('/v1/charges/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const charge = ctx.state.charges.get(req.params.id);
    return charge ?? send(reply, missing('charge', req.params.id, 'charge', 404));
  });
}

function intentOf(ctx: StripeContext, params: FormObject): IntentRecord | undefined {
  const pi = optionalString(params, 'payment_intent');
  if (pi) return ctx.state.intents.get(pi);
  const ch = optionalString(params, 'charge');
  const charge = ch ? ctx.state.charges.get(ch) : undefined;
  return charge ? ctx.state.intents.get(charge.payment_intent) : undefined;
}
