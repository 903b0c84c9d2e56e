import type { FastifyInstance, FastifyRequest } from 'fastify';
import { send, type FormObject } from '../core/index.js';
import { isTestPaymentMethodId, tokenCard } from './cards.js';
import { emitEvent, type StripeContext } from './context.js';
import { invalidRequest, stripeError } from './errors.js';
import { runStripeOperation, settled } from './idempotency.js';
import { isErrorResponse, newestFirst, paginate, queryOf } from './lists.js';
import type { PaymentMethod, PaymentMethodRecord } from './objects.js';
import { bodyOf, checkEnum, checkMetadata, firstProblem, metadataOf, optionalString, type Check } from './params.js';
import { RAW_CARD_DATA_MESSAGE } from './payment-method-data.js';
import { cardDetails, paymentMethodObject, resolveCard } from './payment-method-store.js';
import { missing } from './payment-intents.js';
import { checkMethodData, isRedirectType, newRedirectPaymentMethod, redirectPaymentMethod } from './redirect-methods.js';

/**
 * `/v1/payment_methods`: what a merchant who saves a shopper's card calls (docs.stripe.com/api/
 * payment_methods). A card PaymentMethod is created from a test token (`card[token]=tok_visa`);
 * raw numbers get Stripe's refusal for accounts without raw card data access. Attaching a test id
 * such as `pm_card_visa` to a customer creates a new PaymentMethod (a new `pm_…` id) attached to
 * it, as Stripe does; a created one is attached as it is. A PaymentMethod attached to one
 * customer cannot be attached to another; detaching frees it, but it cannot be reused after.
 */
type IdRequest = FastifyRequest<{ Params: { id: string } }>;

export function registerPaymentMethods(app: FastifyInstance, ctx: StripeContext): void {
  app.post('/v1/payment_methods', (req, reply) => {
    const params = bodyOf(req.body);
    let number: string | undefined;
    // iDEAL and GrabPay PaymentMethods (redirect-methods.ts): a bank for iDEAL, nothing for GrabPay.
    if (isRedirectType(params.type)) {
      const type = params.type;
      return settled(runStripeOperation(req, reply, ctx, params, {
        validate: () => firstProblem(checkMetadata(params), checkMethodData({ payment_method_data: params }, undefined, undefined)),
        execute: () => {
          const ideal = params.ideal;
          const bank = typeof ideal === 'object' && ideal !== null && !Array.isArray(ideal) && typeof ideal.bank === 'string' ? ideal.bank : undefined;
          const pm = newRedirectPaymentMethod(ctx, type, bank);
          pm.metadata = metadataOf(params);
          return { response: { status: 200, body: pm }, committed: false };
        },
      }));
    }
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () => {
        const problem = firstProblem(
          params.type === undefined ? invalidRequest('Missing required param: type.', 'parameter_missing', 'type') : checkEnum(params, 'type', ['card', 'ideal', 'grabpay']),
          checkMetadata(params),
          checkBillingDetails(params),
        );
        if (problem) return problem;
        const card = params.card;
        if (!isObject(card)) return invalidRequest('Missing required param: card.', 'parameter_missing', 'card');
        if (card.number !== undefined) return { status: 400, body: stripeError('invalid_request_error', RAW_CARD_DATA_MESSAGE) };
        const token = typeof card.token === 'string' ? card.token : '';
        number = tokenCard(token);
        return number ? undefined : invalidRequest(`No such token: '${token}'`, 'resource_missing', 'card[token]');
      },
      execute: () => {
        const pm = newPaymentMethod(ctx, number!, params);
        return { response: { status: 200, body: pm }, committed: false };
      },
    }));
  });

  app.get('/v1/payment_methods/:id', async (req: IdRequest, reply) => {
    const pm = paymentMethodObject(ctx.state, req.params.id, ctx.nowS()) ?? redirectPaymentMethod(ctx.state, req.params.id);
    return pm ?? send(reply, missing('payment_method', req.params.id, 'payment_method', 404));
  });

  app.get('/v1/payment_methods', async (req, reply) => {
    const params = queryOf(req);
    const problem = checkEnum(params, 'type', ['card']);
    if (problem) return send(reply, problem);
    const customer = optionalString(params, 'customer');
    if (customer !== undefined && !ctx.state.customers.has(customer)) return send(reply, missing('customer', customer, 'customer', 400));
    const items = newestFirst(ctx.state.paymentMethods).map((r) => r.pm).filter((pm) => customer === undefined || pm.customer === customer);
    const page = paginate(items, params, '/v1/payment_methods', 'payment_method');
    return isErrorResponse(page) ? send(reply, page) : page;
  });

  app.post('/v1/payment_methods/:id', (req: IdRequest, reply) => {
    const params = bodyOf(req.body);
    const rec = ctx.state.paymentMethods.get(req.params.id);
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () => (rec ? firstProblem(checkMetadata(params), checkBillingDetails(params)) : missing('payment_method', req.params.id, 'payment_method', 404)),
      execute: () => {
        const pm = rec!.pm;
        if (params.metadata !== undefined) pm.metadata = { ...pm.metadata, ...metadataOf(params) };
        applyBillingDetails(pm, params);
        return { response: { status: 200, body: pm }, committed: false };
      },
    }));
  });

  app.post('/v1/payment_methods/:id/attach', (req: IdRequest, reply) => {
    const params = bodyOf(req.body);
    const id = req.params.id;
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () => {
        const customer = optionalString(params, 'customer');
        if (!customer) return invalidRequest('Missing required param: customer.', 'parameter_missing', 'customer');
        if (!ctx.state.customers.has(customer)) return missing('customer', customer, 'customer', 400);
        const rec = ctx.state.paymentMethods.get(id);
        if (!rec && !isTestPaymentMethodId(id)) return missing('payment_method', id, 'payment_method', 404);
        if (rec?.pm.customer && rec.pm.customer !== customer) return invalidRequest('The payment method you provided has already been attached to a customer.', 'payment_method_unexpected_state');
        if (rec?.detached) {
          return invalidRequest('The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.', 'payment_method_unexpected_state');
        }
        return undefined;
      },
      execute: (key) => {
        const customer = optionalString(params, 'customer')!;
        const pm = attachPaymentMethod(ctx, id, customer);
        return { response: { status: 200, body: pm }, committed: false, after: () => emitEvent(ctx, 'payment_method.attached', pm, key) };
      },
    }));
  });

  app.post('/v1/payment_methods/:id/detach', (req: IdRequest, reply) => {
    const params = bodyOf(req.body);
    const rec = ctx.state.paymentMethods.get(req.params.id);
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () => {
        if (!rec) return isTestPaymentMethodId(req.params.id) ? notAttached() : missing('payment_method', req.params.id, 'payment_method', 404);
        return rec.pm.customer ? undefined : notAttached();
      },
      execute: (key) => {
        const pm = rec!.pm;
        const previous = pm.customer;
        pm.customer = null;
        rec!.detached = true;
        const owner = previous ? ctx.state.customers.get(previous) : undefined;
        if (owner?.invoice_settings.default_payment_method === pm.id) owner.invoice_settings.default_payment_method = null;
        return { response: { status: 200, body: pm }, committed: false, after: () => emitEvent(ctx, 'payment_method.detached', pm, key) };
      },
    }));
  });
}

/**
 * Attach a PaymentMethod to a customer; a test id becomes a new PaymentMethod. Returns the
 * attached one. Callers have checked the customer exists and the id is known.
 */
export function attachPaymentMethod(ctx: StripeContext, id: string, customer: string): PaymentMethod {
  const stored = ctx.state.paymentMethods.get(id);
  if (stored) {
    stored.pm.customer = customer;
    return stored.pm;
  }
  const pm = newPaymentMethod(ctx, resolveCard(ctx.state, id)!, {});
  pm.customer = customer;
  return pm;
}

function newPaymentMethod(ctx: StripeContext, number: string, params: FormObject): PaymentMethod {
  const pm: PaymentMethod = {
    id: ctx.ids.next('pm'),
    object: 'payment_method',
    type: 'card',
    card: cardDetails(number, ctx.nowS()),
    customer: null,
    billing_details: { email: null, name: null, phone: null, address: null },
    metadata: metadataOf(params),
    created: ctx.nowS(),
    livemode: false,
  };
  applyBillingDetails(pm, params);
  const rec: PaymentMethodRecord = { pm, number, detached: false };
  ctx.state.paymentMethods.set(pm.id, rec);
  return pm;
}

function checkBillingDetails(params: FormObject): Check {
  const v = params.billing_details;
  if (v === undefined) return undefined;
  if (!isObject(v)) return invalidRequest('Invalid object', 'parameter_invalid_object', 'billing_details');
  for (const k of ['email', 'name', 'phone'] as const) {
    if (v[k] !== undefined && typeof v[k] !== 'string') return invalidRequest('Invalid string', 'parameter_invalid_string', `billing_details[${k}]`);
  }
  return undefined;
}

function applyBillingDetails(pm: PaymentMethod, params: FormObject): void {
  const v = params.billing_details;
  if (!isObject(v)) return;
  for (const k of ['email', 'name', 'phone'] as const) if (typeof v[k] === 'string') pm.billing_details[k] = v[k] === '' ? null : v[k];
}

function notAttached() {
  return invalidRequest('The payment method you provided is not attached to a customer so detachment is impossible.', 'payment_method_unexpected_state');
}

function isObject(v: unknown): v is FormObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
