import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { send, traceIdOf, type ErrorResponse } from '../core/index.js';
import { PAYPAL_ISSUES } from './codes.js';
import { captureView, emit, merchantOrderId, orderView, paypalId, type PaypalContext } from './context.js';
import { parseValue } from './money.js';
import type { PaypalCapture, PaypalOrder } from './objects.js';
import { withRequestId, type Executed } from './request-id.js';

/**
 * Orders v2 with intent CAPTURE: create (CREATED, with an `approve` link) → the buyer approves
 * (`/__sim/approve/{id}`; APPROVED) → capture (COMPLETED, one capture per order). A forced
 * decline (profile `outcomes` or PayPal-Mock-Response) leaves the order APPROVED and uncaptured,
 * as PayPal does for INSTRUMENT_DECLINED. Intent AUTHORIZE is not simulated.
 */
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function registerOrders(app: FastifyInstance, ctx: PaypalContext): void {
  app.post('/v2/checkout/orders', async (req, reply) => {
    const body = isObject(req.body) ? req.body : {};
    const invalid = validate(ctx, body);
    if (invalid) return send(reply, invalid);
    return withRequestId(req, reply, ctx, () => create(ctx, req, body));
  });
  app.get('/v2/checkout/orders/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const o = ctx.state.orders.get(req.params.id);
    if (!o) return send(reply, ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'order_id' }));
    return send(reply, { status: 200, body: orderView(ctx, o) });
  });
  app.post('/v2/checkout/orders/:id/capture', async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const o = ctx.state.orders.get(req.params.id);
    if (!o) return send(reply, ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'order_id' }));
    return withRequestId(req, reply, ctx, () => capture(ctx, o));
  });
}

function validate(ctx: PaypalContext, body: Json): ErrorResponse | undefined {
  if (body.intent !== 'CAPTURE') return ctx.errors.issue(body.intent === undefined ? 'MISSING_REQUIRED_PARAMETER' : 'INVALID_PARAMETER_VALUE', { field: '/intent', description: 'The simulator supports intent CAPTURE.' });
  const units = body.purchase_units;
  if (!Array.isArray(units) || units.length !== 1 || !isObject(units[0])) return ctx.errors.issue('INVALID_PARAMETER_VALUE', { field: '/purchase_units', description: 'Exactly one purchase unit is supported.' });
  const amount = units[0].amount;
  if (!isObject(amount)) return ctx.errors.issue('MISSING_REQUIRED_PARAMETER', { field: '/purchase_units/@reference_id==\'default\'/amount' });
  if (typeof amount.currency_code !== 'string' || !/^[A-Z]{3}$/.test(amount.currency_code)) return ctx.errors.issue('INVALID_CURRENCY_CODE', { field: '/purchase_units/@reference_id==\'default\'/amount/currency_code' });
  const value = parseValue(amount.value, amount.currency_code);
  if (value === undefined || value <= 0) return ctx.errors.issue('INVALID_PARAMETER_VALUE', { field: '/purchase_units/@reference_id==\'default\'/amount/value' });
  return undefined;
}

function create(ctx: PaypalContext, req: FastifyRequest, body: Json): Executed {
  const unit = (body.purchase_units as Json[])[0]!;
  const amount = unit.amount as Json;
  const currency = amount.currency_code as string;
  const experience = isObject(body.payment_source) && isObject(body.payment_source.paypal) && isObject(body.payment_source.paypal.experience_context) ? body.payment_source.paypal.experience_context : isObject(body.application_context) ? body.application_context : {};
  const card = isObject(body.payment_source) && isObject(body.payment_source.card);
  const wallet = isObject(body.payment_source) && isObject(body.payment_source.paypal);
  const requestId = req.headers['paypal-request-id'];
  const o: PaypalOrder = {
    id: paypalId(ctx),
    referenceId: typeof unit.reference_id === 'string' ? unit.reference_id : 'default',
    value: parseValue(amount.value, currency)!,
    currency,
    invoiceId: typeof unit.invoice_id === 'string' ? unit.invoice_id : undefined,
    customId: typeof unit.custom_id === 'string' ? unit.custom_id : undefined,
    returnUrl: typeof experience.return_url === 'string' ? experience.return_url : undefined,
    cancelUrl: typeof experience.cancel_url === 'string' ? experience.cancel_url : undefined,
    createdAt: ctx.now(),
    // A card given up front needs no buyer approval; nor does anything under autoApprove.
    status: card || ctx.autoApprove ? 'APPROVED' : wallet ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
    traceId: traceIdOf(req.headers),
    requestId: typeof requestId === 'string' ? requestId : undefined,
  };
  ctx.state.orders.set(o.id, o);
  return { response: { status: 201, body: orderView(ctx, o) }, committed: true };
}

function capture(ctx: PaypalContext, o: PaypalOrder): Executed {
  const refuse = (issue: string): Executed => ({ response: ctx.errors.issue(issue), committed: false });
  if (o.status === 'COMPLETED') return refuse('ORDER_ALREADY_CAPTURED');
  if (o.status === 'VOIDED') return refuse('ORDER_COMPLETED_OR_VOIDED');
  if (o.status !== 'APPROVED') return refuse('ORDER_NOT_APPROVED');
  if (o.invoiceId && ctx.state.invoices.has(o.invoiceId) && ctx.state.invoices.get(o.invoiceId) !== o.id) return refuse('DUPLICATE_INVOICE_ID');
  const forced = ctx.behaviour.drawOutcome(merchantOrderId(o));
  if (forced !== undefined) {
    const declined = (PAYPAL_ISSUES[forced]?.status ?? 422) === 422;
    return { response: ctx.errors.issue(forced), committed: false, ...(declined ? { after: () => emit(ctx, 'PAYMENT.CAPTURE.DECLINED', 'capture', `Payment declined for ${o.value} ${o.currency}`, { id: paypalId(ctx), status: 'DECLINED', supplementary_data: { related_ids: { order_id: o.id } } }) } : {}) };
  }
  const c: PaypalCapture = { id: paypalId(ctx), orderId: o.id, value: o.value, currency: o.currency, createdAt: ctx.now(), refunded: 0, status: 'COMPLETED' };
  o.capture = c;
  o.status = 'COMPLETED';
  ctx.state.captures.set(c.id, c);
  if (o.invoiceId) ctx.state.invoices.set(o.invoiceId, o.id);
  const common = { paymentId: o.id, orderId: merchantOrderId(o), idempotencyKey: o.requestId, amount: o.value, currency: o.currency, traceId: o.traceId };
  ctx.ledger.record({ kind: 'authorization', ...common });
  ctx.ledger.record({ kind: 'capture', ...common, reference: c.id });
  return {
    response: { status: 201, body: orderView(ctx, o) },
    committed: true,
    after: () => emit(ctx, 'PAYMENT.CAPTURE.COMPLETED', 'capture', `Payment completed for ${c.value} ${c.currency}`, { ...captureView(ctx, c), supplementary_data: { related_ids: { order_id: o.id } } }),
  };
}
