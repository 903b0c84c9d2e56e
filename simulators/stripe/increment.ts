import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unexpectedState } from './confirm.js';
import { emitEvent, recordMovement, type StripeContext } from './context.js';
import { invalidRequest } from './errors.js';
import { runStripeOperation, settled } from './idempotency.js';
import type { IntentRecord } from './objects.js';
import { bodyOf, checkMetadata, checkPositiveInteger, firstProblem, metadataOf } from './params.js';
import { missing } from './payment-intents.js';

/**
 * `POST /v1/payment_intents/:id/increment_authorization` (docs.stripe.com/payments/
 * incremental-authorization): raise a held authorisation to a new total `amount` before capture.
 * Only an intent in `requires_capture` whose creation asked for
 * `payment_method_options[card][request_incremental_authorization]=if_available` may be
 * incremented; the increase is a new authorisation in the ledger, and capture may then take up to
 * the new total (what is left uncaptured is voided, as for any partial capture).
 */
export function registerIncrementAuthorization(app: FastifyInstance, ctx: StripeContext): void {
  app.post('/v1/payment_intents/:id/increment_authorization', (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const params = bodyOf(req.body);
    const rec = ctx.state.intents.get(req.params.id);
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () => (rec ? firstProblem(checkPositiveInteger(params, 'amount', true), checkMetadata(params)) : missing('payment_intent', req.params.id, 'intent', 404)),
      execute: (key) => {
        const r = rec as IntentRecord;
        const i = r.intent;
        if (i.status !== 'requires_capture') return unexpectedState(r, 'increment_authorization', ['requires_capture']);
        if (!r.incrementalAuthorization) {
          return {
            response: invalidRequest(
              'This PaymentIntent is not eligible for incremental authorization: create it with payment_method_options[card][request_incremental_authorization]=if_available.',
              'incremental_authorization_unavailable',
            ),
            committed: false,
          };
        }
        const amount = Number(params.amount);
        if (amount <= i.amount) {
          return { response: invalidRequest(`The new amount (${amount}) must be greater than the PaymentIntent's current amount (${i.amount}).`, 'parameter_invalid_integer', 'amount'), committed: false };
        }
        const increase = amount - i.amount;
        recordMovement(ctx, r, 'authorization', increase, key, i.latest_charge ?? undefined);
        i.amount = amount;
        i.amount_capturable += increase;
        if (params.metadata !== undefined) i.metadata = { ...i.metadata, ...metadataOf(params) };
        if (typeof params.description === 'string') i.description = params.description;
        const charge = i.latest_charge ? ctx.state.charges.get(i.latest_charge) : undefined;
        if (charge) charge.amount = amount;
        return { response: { status: 200, body: i }, committed: true, after: () => emitEvent(ctx, 'payment_intent.amount_capturable_updated', i, key, r.traceId) };
      },
    }));
  });
}
