import type { FastifyInstance, FastifyRequest } from 'fastify';
import { minorToMajor, send, traceIdOf } from '../core/index.js';
import { captureView, emit, paypalId, refundView, type PaypalContext } from './context.js';
import type { PaypalCapture, PaypalRefund } from './objects.js';
import { preferred } from './prefer.js';
import { isError, isObject, parseAmount } from './purchase-units.js';
import { withRequestId, type Executed } from './request-id.js';

/**
 * `POST /v2/payments/captures/{id}/refund` (no amount: the rest of the capture), and reads of
 * captures and refunds. Never more than captured − refunded (REFUND_AMOUNT_EXCEEDED); a fully
 * refunded capture answers CAPTURE_FULLY_REFUNDED. Each refund sends PAYMENT.CAPTURE.REFUNDED.
 */
export function registerRefunds(app: FastifyInstance, ctx: PaypalContext): void {
  app.post('/v2/payments/captures/:id/refund', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const c = ctx.state.captures.get(req.params.id);
    if (!c) return send(reply, ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'capture_id' }));
    const body = isObject(req.body) ? req.body : {};
    let value: number | undefined;
    if (body.amount !== undefined) {
      if (isObject(body.amount) && typeof body.amount.currency_code === 'string' && body.amount.currency_code !== c.currency) return send(reply, ctx.errors.issue('CURRENCY_MISMATCH', { field: '/amount/currency_code' }));
      const amount = parseAmount(ctx, body.amount, '/amount');
      if (isError(amount)) return send(reply, amount);
      value = amount.value;
    }
    return withRequestId(req, reply, ctx, () => refund(ctx, req, c, value, typeof body.invoice_id === 'string' ? body.invoice_id : undefined));
  });
  app.get('/v2/payments/captures/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const c = ctx.state.captures.get(req.params.id);
    return send(reply, c ? { status: 200, body: captureView(ctx, c) } : ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'capture_id' }));
  });
  app.get('/v2/payments/refunds/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const r = ctx.state.refunds.get(req.params.id);
    const c = r && ctx.state.captures.get(r.captureId);
    return send(reply, r && c ? { status: 200, body: refundView(ctx, r, c) } : ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'refund_id' }));
  });
}

function refund(ctx: PaypalContext, req: FastifyRequest, c: PaypalCapture, requested: number | undefined, invoiceId: string | undefined): Executed {
  const left = c.value - c.refunded;
  if (left === 0) return { response: ctx.errors.issue('CAPTURE_FULLY_REFUNDED'), committed: false };
  const value = requested ?? left;
  if (value > left) return { response: ctx.errors.issue('REFUND_AMOUNT_EXCEEDED'), committed: false };
  const r: PaypalRefund = { id: paypalId(ctx), captureId: c.id, value, invoiceId, createdAt: ctx.now() };
  ctx.state.refunds.set(r.id, r);
  c.refunded += value;
  c.status = c.refunded === c.value ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  const header = req.headers['paypal-request-id'];
  const o = ctx.state.orders.get(c.orderId);
  ctx.ledger.record({ kind: 'refund', paymentId: c.orderId, orderId: c.merchantOrderId, idempotencyKey: typeof header === 'string' ? header : undefined, amount: value, currency: c.currency, traceId: traceIdOf(req.headers) ?? o?.traceId, reference: r.id });
  const view = refundView(ctx, r, c);
  return { response: { status: 201, body: preferred(req, view) }, committed: true, after: () => emit(ctx, 'PAYMENT.CAPTURE.REFUNDED', 'refund', `A ${minorToMajor(value, c.currency)} ${c.currency} capture payment was refunded`, view, traceIdOf(req.headers) ?? o?.traceId) };
}
