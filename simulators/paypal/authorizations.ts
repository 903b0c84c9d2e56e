import type { FastifyInstance, FastifyRequest } from 'fastify';
import { minorToMajor, send, traceIdOf } from '../core/index.js';
import { authorizationView, captureView, emit, orderView, paypalId, type PaypalContext } from './context.js';
import { maybeDispute } from './disputes.js';
import { unitRef, type PaypalAuthorization, type PaypalCapture, type PaypalOrder } from './objects.js';
import { forcedDecline, orderRefusal } from './orders.js';
import { preferred, wantsRepresentation } from './prefer.js';
import { isError, isObject, parseAmount } from './purchase-units.js';
import { withRequestId, type Executed } from './request-id.js';

/**
 * Intent AUTHORIZE, as Orders v2 and Payments v2 do it:
 *
 *   create (intent AUTHORIZE) ─▶ approve ─▶ POST /v2/checkout/orders/{id}/authorize
 *     ─▶ authorization CREATED (funds held; ledger `authorization`)
 *          ├─ POST /v2/payments/authorizations/{id}/capture  {amount?, final_capture?}
 *          │    partial captures until final_capture or the whole amount (PARTIALLY_CAPTURED → CAPTURED);
 *          │    a final capture below the hold releases the rest (ledger `void`)
 *          └─ POST /v2/payments/authorizations/{id}/void  ─▶ VOIDED, the uncaptured rest released
 *
 * An authorization can be captured for 29 days (PayPal's limit); after that AUTHORIZATION_EXPIRED.
 * Over-capture (PayPal allows up to 115% with approval) is not simulated: MAX_CAPTURE_AMOUNT_EXCEEDED.
 * Void answers 204 by default and the authorization with `Prefer: return=representation`.
 */
export const AUTHORIZATION_VALID_MS = 29 * 24 * 3_600_000;

const major = (minor: number, currency: string): string => `${minorToMajor(minor, currency)} ${currency}`;
const requestIdOf = (req: FastifyRequest): string | undefined => {
  const h = req.headers['paypal-request-id'];
  return typeof h === 'string' && h !== '' ? h : undefined;
};

export function registerAuthorizations(app: FastifyInstance, ctx: PaypalContext): void {
  app.post('/v2/checkout/orders/:id/authorize', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const o = ctx.state.orders.get(req.params.id);
    if (!o) return send(reply, ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'order_id' }));
    return withRequestId(req, reply, ctx, () => authorize(ctx, req, o));
  });
  app.get('/v2/payments/authorizations/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const a = ctx.state.authorizations.get(req.params.id);
    return send(reply, a ? { status: 200, body: authorizationView(ctx, a) } : ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'authorization_id' }));
  });
  app.post('/v2/payments/authorizations/:id/capture', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const a = ctx.state.authorizations.get(req.params.id);
    if (!a) return send(reply, ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'authorization_id' }));
    const body = isObject(req.body) ? req.body : {};
    let value: number | undefined;
    if (body.amount !== undefined) {
      const amount = parseAmount(ctx, body.amount, '/amount');
      if (isError(amount)) return send(reply, amount);
      if (amount.currency !== a.currency) return send(reply, ctx.errors.issue('AUTH_CAPTURE_CURRENCY_MISMATCH', { field: '/amount/currency_code' }));
      value = amount.value;
    }
    if (body.final_capture !== undefined && typeof body.final_capture !== 'boolean') return send(reply, ctx.errors.issue('INVALID_PARAMETER_SYNTAX', { field: '/final_capture' }));
    return withRequestId(req, reply, ctx, () => captureAuthorization(ctx, req, a, value, body.final_capture === true, typeof body.invoice_id === 'string' ? body.invoice_id : undefined));
  });
  app.post('/v2/payments/authorizations/:id/void', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const a = ctx.state.authorizations.get(req.params.id);
    if (!a) return send(reply, ctx.errors.issue('INVALID_RESOURCE_ID', { field: 'authorization_id' }));
    return withRequestId(req, reply, ctx, () => voidAuthorization(ctx, req, a));
  });
}

function authorize(ctx: PaypalContext, req: FastifyRequest, o: PaypalOrder): Executed {
  const refused = orderRefusal(ctx, o, 'AUTHORIZE');
  if (refused) return { response: refused, committed: false };
  const declined = forcedDecline(ctx, o);
  if (declined) return declined;
  // intent AUTHORIZE has exactly one purchase unit (UNSUPPORTED_INTENT otherwise).
  const u = o.units[0]!;
  const now = ctx.now();
  const a: PaypalAuthorization = {
    ...unitRef(o, u),
    id: paypalId(ctx),
    value: u.value,
    currency: u.currency,
    createdAt: now,
    updatedAt: now,
    expiresAt: new Date(now.getTime() + AUTHORIZATION_VALID_MS),
    traceId: traceIdOf(req.headers) ?? o.traceId,
    requestId: requestIdOf(req) ?? o.requestId,
    captured: 0,
    captureIds: [],
    status: 'CREATED',
  };
  u.authorization = a;
  ctx.state.authorizations.set(a.id, a);
  if (u.invoiceId) ctx.state.invoices.set(u.invoiceId, o.id);
  o.status = 'COMPLETED';
  o.updatedAt = now;
  ctx.ledger.record({ kind: 'authorization', paymentId: o.id, orderId: a.merchantOrderId, idempotencyKey: a.requestId, amount: a.value, currency: a.currency, traceId: a.traceId, reference: a.id });
  return {
    response: { status: 201, body: preferred(req, orderView(ctx, o)) },
    committed: true,
    after: () => emit(ctx, 'PAYMENT.AUTHORIZATION.CREATED', 'authorization', `A payment authorization was created for ${major(a.value, a.currency)}`, authorizationView(ctx, a), a.traceId),
  };
}

/** Refuses what cannot happen to `a` any more; undefined when it is still open. */
function closed(ctx: PaypalContext, a: PaypalAuthorization, forVoid: boolean): Executed | undefined {
  const refuse = (issue: string): Executed => ({ response: ctx.errors.issue(issue), committed: false });
  if (a.status === 'VOIDED') return refuse(forVoid ? 'PREVIOUSLY_VOIDED' : 'AUTHORIZATION_VOIDED');
  if (a.status === 'CAPTURED') return refuse(forVoid ? 'PREVIOUSLY_CAPTURED' : 'AUTHORIZATION_ALREADY_CAPTURED');
  if (ctx.now().getTime() > a.expiresAt.getTime()) return refuse('AUTHORIZATION_EXPIRED');
  return undefined;
}

function captureAuthorization(ctx: PaypalContext, req: FastifyRequest, a: PaypalAuthorization, requested: number | undefined, finalCapture: boolean, invoiceId: string | undefined): Executed {
  const refused = closed(ctx, a, false);
  if (refused) return refused;
  const left = a.value - a.captured;
  const value = requested ?? left;
  if (value > left) return { response: ctx.errors.issue('MAX_CAPTURE_AMOUNT_EXCEEDED', { field: '/amount/value' }), committed: false };
  const now = ctx.now();
  // Without an amount the whole rest is captured, which is final whatever final_capture says.
  const final = finalCapture || value === left;
  const c: PaypalCapture = { orderId: a.orderId, merchantOrderId: a.merchantOrderId, customId: a.customId, invoiceId: invoiceId ?? a.invoiceId, id: paypalId(ctx), value, currency: a.currency, createdAt: now, authorizationId: a.id, finalCapture: final, refunded: 0, status: 'COMPLETED' };
  ctx.state.captures.set(c.id, c);
  a.captured += value;
  a.captureIds.push(c.id);
  a.status = final ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
  a.updatedAt = now;
  const order = ctx.state.orders.get(a.orderId);
  order?.units.find((u) => u.authorization === a)?.captures.push(c);
  const common = { paymentId: a.orderId, orderId: a.merchantOrderId, amount: value, currency: a.currency, traceId: traceIdOf(req.headers) ?? a.traceId };
  ctx.ledger.record({ kind: 'capture', ...common, idempotencyKey: requestIdOf(req) ?? a.requestId, reference: c.id });
  maybeDispute(ctx, c);
  // A final capture below the hold gives the rest back to the buyer.
  if (final && a.captured < a.value) ctx.ledger.record({ kind: 'void', ...common, amount: a.value - a.captured, idempotencyKey: requestIdOf(req) ?? a.requestId, reference: a.id });
  return {
    response: { status: 201, body: preferred(req, captureView(ctx, c)) },
    committed: true,
    after: () => emit(ctx, 'PAYMENT.CAPTURE.COMPLETED', 'capture', `Payment completed for ${major(c.value, c.currency)}`, captureView(ctx, c), a.traceId),
  };
}

function voidAuthorization(ctx: PaypalContext, req: FastifyRequest, a: PaypalAuthorization): Executed {
  const refused = closed(ctx, a, true);
  if (refused) return refused;
  const released = a.value - a.captured;
  a.status = 'VOIDED';
  a.updatedAt = ctx.now();
  ctx.ledger.record({ kind: 'void', paymentId: a.orderId, orderId: a.merchantOrderId, idempotencyKey: requestIdOf(req) ?? a.requestId, amount: released, currency: a.currency, traceId: traceIdOf(req.headers) ?? a.traceId, reference: a.id });
  const view = authorizationView(ctx, a);
  return {
    response: wantsRepresentation(req) ? { status: 200, body: view } : { status: 204, body: '' },
    committed: true,
    after: () => emit(ctx, 'PAYMENT.AUTHORIZATION.VOIDED', 'authorization', `A payment authorization was voided`, view, a.traceId),
  };
}
