import type { FastifyInstance, FastifyRequest } from 'fastify';
import { send } from '../core/index.js';
import { confirmIntent, decline } from './confirm.js';
import type { StripeContext } from './context.js';
import { missing } from './payment-intents.js';
import { bodyOf } from './params.js';

/**
 * The issuer's 3-D Secure page, simulated. A PaymentIntent in `requires_action` points its
 * `next_action.redirect_to_url.url` here; a shopper (a browser, or a test) answers it with
 * `?outcome=succeed` (the default) or `?outcome=fail`, by GET or POST.
 *
 * Then, as Stripe does: with `confirmation_method=automatic` the payment goes ahead at once;
 * with `manual` the intent waits in `requires_confirmation` for the server's confirm call. The
 * shopper is redirected to the `return_url` with `payment_intent`, its client secret and
 * `redirect_status`; without a return URL the intent is answered as JSON.
 */
export function registerThreeDSecure(app: FastifyInstance, ctx: StripeContext): void {
  const handler = async (req: FastifyRequest<{ Params: { id: string }; Querystring: { outcome?: string } }>, reply: import('fastify').FastifyReply) => {
    const rec = ctx.state.intents.get(req.params.id);
    if (!rec) return send(reply, missing('payment_intent', req.params.id, 'intent', 404));
    const intent = rec.intent;
    if (intent.status !== 'requires_action') {
      return send(reply, { status: 400, body: { error: { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message: `This PaymentIntent has a status of ${intent.status}; there is nothing to authenticate.` } } });
    }
    const outcome = req.query.outcome ?? (bodyOf(req.body).outcome as string | undefined) ?? 'succeed';
    if (outcome !== 'succeed' && outcome !== 'fail') {
      return send(reply, { status: 400, body: { error: { type: 'invalid_request_error', param: 'outcome', message: 'outcome must be "succeed" or "fail"' } } });
    }
    if (outcome === 'fail') {
      decline(ctx, rec, undefined, {
        code: 'payment_intent_authentication_failure',
        declineCode: undefined,
        message: 'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
      }).after?.();
    } else {
      rec.authenticated = true;
      intent.next_action = null;
      if (intent.confirmation_method === 'manual') intent.status = 'requires_confirmation';
      else confirmIntent(ctx, rec, undefined, '').after?.();
    }
    if (!rec.returnUrl) return { payment_intent: intent };
    const back = new URL(rec.returnUrl);
    back.searchParams.set('payment_intent', intent.id);
    back.searchParams.set('payment_intent_client_secret', intent.client_secret);
    back.searchParams.set('redirect_status', outcome === 'succeed' && rec.intent.status !== 'requires_payment_method' ? 'succeeded' : 'failed');
    return reply.redirect(back.toString(), 302);
  };
  app.get('/__sim/3ds/:id', handler);
  app.post('/__sim/3ds/:id', handler);
}
