import type { FastifyInstance, FastifyRequest } from 'fastify';
import { send, traceIdOf } from '../core/index.js';
import { captureView, emit, merchantOrderId, paypalId, refundView, type PaypalContext } from './context.js';
import { parseValue } from './money.js';
import type { PaypalCapture, PaypalRefund } from './objects.js';
import { withRequestId, type Executed } from './request-id.js';

/**
 * `POST /v2/payments/captures/{id}/refund` (no amount: the rest of the capture), and reads of
 * captures and refunds. Never more than captured − refunded (REFUND_AMOUNT_EXCEEDED); a fully
 * refunded capture answers CAPTURE_FULLY_REFUNDED. Each refund sends PAYMENT.CAPTURE.REFUNDED.
 */
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function registerRefunds(app: FastifyInstance, ctx: PaypalContext): void {
  app.post('/v2/payments/captures/:id/refund', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const c = ctx.state.captures.get(req.params.id);
    if (!c) return send(reply, ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'capture_id' }));
    const body = isObject(req.body) ? req.body : {};
    let value: number | undefined;
    if (body.amount !== undefined) {
      const amount = isObject(body.amount) ? body.amount : {};
      if (amount.currency_code !== c.currency) return send(reply, ctx.errors.issue('CURRENCY_MISMATCH', { field: '/amount/currency_code' }));
      value = parseValue(amount.value, c.currency);
      if (value === undefined || value <= 0) return send(reply, ctx.errors.issue('INVALID_PARAMETER_VALUE', { field: '/amount/value' }));
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
    return send(reply, r && c ? { status: 200, body: refundView(ctx, r, c.currency) } : ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'refund_id' }));
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
  const o = ctx.state.orders.get(c.orderId);
  const header = req.headers['paypal-request-id'];
  ctx.ledger.record({ kind: 'refund', paymentId: c.orderId, orderId: o ? merchantOrderId(o) : c.orderId, idempotencyKey: typeof header === 'string' ? header : undefined, amount: value, currency: c.currency, traceId: traceIdOf(req.headers) ?? o?.traceId, reference: r.id });
  const view = refundView(ctx, r, c.currency);
  return { response: { status: 201, body: view }, committed: true, after: () => emit(ctx, 'PAYMENT.CAPTURE.REFUNDED', 'refund', `A ${value} ${c.currency} capture payment was refunded`, view) };
}
