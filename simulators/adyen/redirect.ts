import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { send } from '../core/index.js';
import type { AdyenContext } from './context.js';
import { validation } from './errors.js';
import { REDIRECT_METHODS, completeRedirect } from './payments.js';
import { decidedInApp } from './wallets.js';

/**
 * The page a `RedirectShopper` action sends the shopper to — the bank (iDEAL), the wallet
 * (GrabPay) or the issuer's 3-D Secure page, simulated. The shopper answers with
 * `?outcome=authorise` (default), `refuse` or `cancel`, and is sent back to the merchant's
 * `returnUrl` with `redirectResult`, which the merchant submits to `/payments/details` (iDEAL and
 * GrabPay are decided at the page, notified at once, and details answers that result). A wallet
 * paid in its app (WeChat Pay QR or SDK, PayPal SDK) has no way back: the page decides the payment
 * there and then, and the merchant learns it from the AUTHORISATION notification.
 */
export function registerRedirect(app: FastifyInstance, ctx: AdyenContext): void {
  const handler = async (req: FastifyRequest<{ Params: { psp: string }; Querystring: { outcome?: string } }>, reply: FastifyReply) => {
    const p = ctx.state.payments.get(req.params.psp);
    if (!p) return send(reply, validation('167', `Unknown pspReference ${req.params.psp}`));
    if (p.status !== 'redirect_shopper') return send(reply, validation('702', `Payment ${p.pspReference} is not waiting for the shopper`));
    const outcome = req.query.outcome ?? 'authorise';
    if (outcome !== 'authorise' && outcome !== 'refuse' && outcome !== 'cancel') return send(reply, validation('702', 'outcome must be authorise, refuse or cancel', 400));
    const token = p.redirect?.token ?? Buffer.from(`${p.pspReference}.${ctx.ids.next('rr', 20)}`).toString('base64url');
    p.redirect = { token, decision: outcome };
    ctx.state.redirectTokens.set(token, p.pspReference);
    if (decidedInApp(p)) {
      const done = completeRedirect(ctx, p, p.idempotencyKey);
      done.after?.();
      return reply.send({ pspReference: p.pspReference, resultCode: (done.response.body as { resultCode?: string }).resultCode });
    }
    // The bank (iDEAL) or wallet (GrabPay) decides the payment there and then, and Adyen notifies
    // it whether or not the shopper comes back; /payments/details later answers the same result.
    // A card's 3-D Secure is only an authentication: its payment is decided at /payments/details.
    if (REDIRECT_METHODS.has(p.paymentMethodType)) completeRedirect(ctx, p, p.idempotencyKey).after?.();
    const back = new URL(p.returnUrl ?? 'http://invalid');
    back.searchParams.set('redirectResult', token);
    return reply.redirect(back.toString(), 302);
  };
  app.get('/__sim/redirect/:psp', handler);
  app.post('/__sim/redirect/:psp', handler);
}
