import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { minorToMajor, send, traceIdOf, type ErrorResponse } from '../core/index.js';
import { PAYPAL_ISSUES } from './codes.js';
import { captureView, emit, orderView, paypalId, type PaypalContext } from './context.js';
import { maybeDispute } from './disputes.js';
import { merchantOrderIdOf, unitRef, type PaymentSource, type PaypalCapture, type PaypalOrder } from './objects.js';
import { preferred } from './prefer.js';
import { isError, isObject, parseIntent, parseUnits } from './purchase-units.js';
import { withRequestId, type Executed } from './request-id.js';

/**
 * Orders v2: create (1–10 purchase units, intent CAPTURE or AUTHORIZE) → the buyer approves
 * (`/__sim/approve/{id}`; APPROVED) → capture (intent CAPTURE: COMPLETED, one capture per unit)
 * or authorize (authorizations.ts). A forced decline (profile `outcomes` or PayPal-Mock-Response)
 * leaves the order APPROVED and unpaid, as PayPal does for INSTRUMENT_DECLINED. Answers follow
 * `Prefer` (prefer.ts): PayPal's default is the minimal id, status and links.
 */
type Json = Record<string, unknown>;

export function registerOrders(app: FastifyInstance, ctx: PaypalContext): void {
  app.post('/v2/checkout/orders', async (req, reply) => {
    const body = isObject(req.body) ? req.body : {};
    const intent = parseIntent(ctx, body.intent);
    if (isError(intent)) return send(reply, intent);
    const units = parseUnits(ctx, body.purchase_units, intent);
    if (isError(units)) return send(reply, units);
    return withRequestId(req, reply, ctx, () => create(ctx, req, body, intent, units));
  });
  app.get('/v2/checkout/orders/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const o = ctx.state.orders.get(req.params.id);
    if (!o) return send(reply, ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'order_id' }));
    return send(reply, { status: 200, body: orderView(ctx, o) });
  });
  app.post('/v2/checkout/orders/:id/capture', async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const o = ctx.state.orders.get(req.params.id);
    if (!o) return send(reply, ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'order_id' }));
    return withRequestId(req, reply, ctx, () => capture(ctx, req, o));
  });
}

function create(ctx: PaypalContext, req: FastifyRequest, body: Json, intent: PaypalOrder['intent'], units: PaypalOrder['units']): Executed {
  const source = isObject(body.payment_source) ? body.payment_source : {};
  const experience = isObject(source.paypal) && isObject(source.paypal.experience_context) ? source.paypal.experience_context : isObject(body.application_context) ? body.application_context : {};
  const card = isObject(source.card) ? source.card : undefined;
  const requestId = req.headers['paypal-request-id'];
  const now = ctx.now();
  const o: PaypalOrder = {
    id: paypalId(ctx),
    intent,
    units,
    returnUrl: typeof experience.return_url === 'string' ? experience.return_url : undefined,
    cancelUrl: typeof experience.cancel_url === 'string' ? experience.cancel_url : undefined,
    createdAt: now,
    updatedAt: now,
    // A card given up front needs no buyer approval; nor does anything under autoApprove.
    status: card || ctx.autoApprove ? 'APPROVED' : isObject(source.paypal) ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
    paymentSource: card ? cardSource(card) : isObject(source.paypal) ? { kind: 'paypal' } : undefined,
    traceId: traceIdOf(req.headers),
    requestId: typeof requestId === 'string' ? requestId : undefined,
  };
  ctx.state.orders.set(o.id, o);
  return { response: { status: 201, body: preferred(req, orderView(ctx, o)) }, committed: true };
}

/** What PayPal shows of a card: its last four digits and brand (from the number's prefix). */
function cardSource(card: Json): PaymentSource {
  const number = typeof card.number === 'string' ? card.number.replace(/\D/g, '') : '';
  const brand = /^4/.test(number) ? 'VISA' : /^(5[1-5]|2[2-7])/.test(number) ? 'MASTERCARD' : /^3[47]/.test(number) ? 'AMEX' : /^6/.test(number) ? 'DISCOVER' : 'UNKNOWN';
  return { kind: 'card', lastDigits: number.slice(-4), brand };
}

/** The refusal of an order that cannot be paid now, or undefined when it can. */
export function orderRefusal(ctx: PaypalContext, o: PaypalOrder, action: PaypalOrder['intent']): ErrorResponse | undefined {
  if (o.intent !== action) return ctx.errors.issue('ACTION_DOES_NOT_MATCH_INTENT', { field: '/intent' });
  if (o.status === 'COMPLETED') return ctx.errors.issue(action === 'CAPTURE' ? 'ORDER_ALREADY_CAPTURED' : 'ORDER_ALREADY_AUTHORIZED');
  if (o.status === 'VOIDED') return ctx.errors.issue('ORDER_COMPLETED_OR_VOIDED');
  if (o.status !== 'APPROVED') return ctx.errors.issue('ORDER_NOT_APPROVED');
  for (const u of o.units) if (u.invoiceId && ctx.state.invoices.has(u.invoiceId) && ctx.state.invoices.get(u.invoiceId) !== o.id) return ctx.errors.issue('DUPLICATE_INVOICE_ID', { field: '/purchase_units/invoice_id' });
  return undefined;
}

/** A decline the profile forces on this order (nothing moves), with its PAYMENT.CAPTURE.DECLINED event. */
export function forcedDecline(ctx: PaypalContext, o: PaypalOrder): Executed | undefined {
  const forced = ctx.behaviour.drawOutcome(merchantOrderIdOf(o.units[0]!));
  if (forced === undefined) return undefined;
  const declined = (PAYPAL_ISSUES[forced]?.status ?? 422) === 422;
  const total = o.units.reduce((s, u) => s + u.value, 0);
  const currency = o.units[0]!.currency;
  return { response: ctx.errors.issue(forced), committed: false, ...(declined ? { after: () => emit(ctx, 'PAYMENT.CAPTURE.DECLINED', 'capture', `Payment declined for ${minorToMajor(total, currency)} ${currency}`, { id: paypalId(ctx), status: 'DECLINED', supplementary_data: { related_ids: { order_id: o.id } } }, o.traceId) } : {}) };
}

function capture(ctx: PaypalContext, req: FastifyRequest, o: PaypalOrder): Executed {
  const refused = orderRefusal(ctx, o, 'CAPTURE');
  if (refused) return { response: refused, committed: false };
  const declined = forcedDecline(ctx, o);
  if (declined) return declined;
  const captures: PaypalCapture[] = [];
  for (const u of o.units) {
    const ref = unitRef(o, u);
    const c: PaypalCapture = { ...ref, id: paypalId(ctx), value: u.value, currency: u.currency, createdAt: ctx.now(), authorizationId: undefined, finalCapture: true, refunded: 0, status: 'COMPLETED' };
    u.captures.push(c);
    ctx.state.captures.set(c.id, c);
    if (u.invoiceId) ctx.state.invoices.set(u.invoiceId, o.id);
    // intent CAPTURE authorises and captures at once: both movements, per purchase unit.
    const common = { paymentId: o.id, orderId: ref.merchantOrderId, idempotencyKey: o.requestId, amount: u.value, currency: u.currency, traceId: o.traceId };
    ctx.ledger.record({ kind: 'authorization', ...common });
    ctx.ledger.record({ kind: 'capture', ...common, reference: c.id });
    maybeDispute(ctx, c);
    captures.push(c);
  }
  o.status = 'COMPLETED';
  o.updatedAt = ctx.now();
  return {
    response: { status: 201, body: preferred(req, orderView(ctx, o)) },
    committed: true,
    after: () => {
      for (const c of captures) emit(ctx, 'PAYMENT.CAPTURE.COMPLETED', 'capture', `Payment completed for ${minorToMajor(c.value, c.currency)} ${c.currency}`, captureView(ctx, c), o.traceId);
    },
  };
}
