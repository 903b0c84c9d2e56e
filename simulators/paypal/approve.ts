import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { emit, orderView, type PaypalContext } from './context.js';

/**
 * The buyer's PayPal page (the order's `approve` link): `GET|POST /__sim/approve/{id}?outcome=approve|cancel`.
 * Approving makes the order APPROVED with a payer and sends CHECKOUT.ORDER.APPROVED; then the
 * buyer is redirected to the order's return_url (`?token={id}&PayerID=…`), or to cancel_url on
 * cancel; without those URLs the answer is the order as JSON.
 */
export function registerApprove(app: FastifyInstance, ctx: PaypalContext): void {
  const handler = async (req: FastifyRequest<{ Params: { id: string }; Querystring: { outcome?: string } }>, reply: FastifyReply) => {
    const o = ctx.state.orders.get(req.params.id);
    if (!o) return reply.code(404).send({ error: `no order ${req.params.id}` });
    const outcome = req.query.outcome ?? 'approve';
    if (outcome !== 'approve' && outcome !== 'cancel') return reply.code(400).send({ error: 'outcome must be approve or cancel' });
    if (o.status !== 'CREATED' && o.status !== 'PAYER_ACTION_REQUIRED') return reply.code(409).send({ error: `order is ${o.status}` });
    if (outcome === 'cancel') return o.cancelUrl ? reply.redirect(`${o.cancelUrl}${o.cancelUrl.includes('?') ? '&' : '?'}token=${o.id}`) : orderView(ctx, o);
    const payerId = ctx.random.token(13).toUpperCase();
    o.payer = { payer_id: payerId, email_address: `buyer-${payerId.toLowerCase()}@example.com`, name: { given_name: 'Sandbox', surname: 'Buyer' } };
    o.status = 'APPROVED';
    // The buyer paid with their PayPal account: payment_source.paypal from now on.
    o.paymentSource ??= { kind: 'paypal' };
    o.updatedAt = ctx.now();
    emit(ctx, 'CHECKOUT.ORDER.APPROVED', 'checkout-order', `An order has been approved by buyer`, orderView(ctx, o), o.traceId);
    return o.returnUrl ? reply.redirect(`${o.returnUrl}${o.returnUrl.includes('?') ? '&' : '?'}token=${o.id}&PayerID=${payerId}`) : orderView(ctx, o);
  };
  app.get('/__sim/approve/:id', handler);
  app.post('/__sim/approve/:id', handler);
}
