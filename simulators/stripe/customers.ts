import type { FastifyInstance, FastifyRequest } from 'fastify';
import { send, type FormObject } from '../core/index.js';
import { isTestPaymentMethodId, refuseCardNumberAsPaymentMethod } from './cards.js';
import { emitEvent, type StripeContext } from './context.js';
import { invalidRequest } from './errors.js';
import { runStripeOperation, settled } from './idempotency.js';
import { isErrorResponse, newestFirst, paginate, queryOf } from './lists.js';
import type { Customer } from './objects.js';
import { bodyOf, checkMetadata, firstProblem, metadataOf, optionalString, type Check } from './params.js';
import { missing } from './payment-intents.js';
import { attachPaymentMethod } from './payment-methods.js';

/**
 * `/v1/customers` (docs.stripe.com/api/customers): create (optionally attaching a
 * `payment_method` and making it `invoice_settings[default_payment_method]`), retrieve, update,
 * delete (which detaches its payment methods), list (`email` filter) and its payment methods.
 */
type IdRequest = FastifyRequest<{ Params: { id: string } }>;

const TEXT_FIELDS = ['email', 'name', 'phone', 'description'] as const;

export function registerCustomers(app: FastifyInstance, ctx: StripeContext): void {
  app.post('/v1/customers', (req, reply) => {
    const params = bodyOf(req.body);
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () => firstProblem(checkText(params), checkMetadata(params), checkPaymentMethod(ctx, params, undefined)),
      execute: (key) => {
        const now = ctx.nowS();
        const customer: Customer = {
          id: ctx.ids.next('cus', 18),
          object: 'customer',
          email: null,
          name: null,
          phone: null,
          description: null,
          invoice_settings: { default_payment_method: null },
          metadata: metadataOf(params),
          created: now,
          livemode: false,
        };
        ctx.state.customers.set(customer.id, customer);
        applyText(customer, params);
        const pm = optionalString(params, 'payment_method');
        // A test id attaches as a new PaymentMethod: the default names that one.
        const attached = pm ? attachPaymentMethod(ctx, pm, customer.id) : undefined;
        const dpm = defaultPaymentMethodOf(params);
        if (dpm) customer.invoice_settings.default_payment_method = dpm === pm && attached ? attached.id : dpm;
        return { response: { status: 200, body: customer }, committed: false, after: () => emitEvent(ctx, 'customer.created', customer, key) };
      },
    }));
  });

  app.get('/v1/customers/:id', async (req: IdRequest, reply) => {
    const customer = ctx.state.customers.get(req.params.id);
    if (customer) return customer;
    if (ctx.state.deletedCustomers.has(req.params.id)) return { id: req.params.id, object: 'customer', deleted: true };
    return send(reply, missing('customer', req.params.id, 'id', 404));
  });

  app.post('/v1/customers/:id', (req: IdRequest, reply) => {
    const params = bodyOf(req.body);
    const customer = ctx.state.customers.get(req.params.id);
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () => (customer ? firstProblem(checkText(params), checkMetadata(params), checkPaymentMethod(ctx, params, customer.id)) : missing('customer', req.params.id, 'id', 404)),
      execute: (key) => {
        const c = customer!;
        applyText(c, params);
        if (params.metadata !== undefined) c.metadata = { ...c.metadata, ...metadataOf(params) };
        const dpm = defaultPaymentMethodOf(params);
        if (dpm !== undefined) c.invoice_settings.default_payment_method = dpm === '' ? null : dpm;
        return { response: { status: 200, body: c }, committed: false, after: () => emitEvent(ctx, 'customer.updated', c, key) };
      },
    }));
  });

  app.delete('/v1/customers/:id', async (req: IdRequest, reply) => {
    const customer = ctx.state.customers.get(req.params.id);
    if (!customer) return send(reply, missing('customer', req.params.id, 'id', 404));
    for (const rec of ctx.state.paymentMethods.values()) {
      if (rec.pm.customer === customer.id) {
        rec.pm.customer = null;
        rec.detached = true;
      }
    }
    ctx.state.customers.delete(customer.id);
    ctx.state.deletedCustomers.set(customer.id, true);
    emitEvent(ctx, 'customer.deleted', customer, undefined);
    return { id: customer.id, object: 'customer', deleted: true };
  });

  app.get('/v1/customers', async (req, reply) => {
    const params = queryOf(req);
    const email = optionalString(params, 'email');
    const items = newestFirst(ctx.state.customers).filter((c) => email === undefined || c.email === email);
    const page = paginate(items, params, '/v1/customers', 'customer');
    return isErrorResponse(page) ? send(reply, page) : page;
  });

  app.get('/v1/customers/:id/payment_methods', async (req: IdRequest, reply) => {
    const params = queryOf(req);
    if (!ctx.state.customers.has(req.params.id)) return send(reply, missing('customer', req.params.id, 'customer', 404));
    const type = optionalString(params, 'type');
    const items = newestFirst(ctx.state.paymentMethods).map((r) => r.pm).filter((pm) => pm.customer === req.params.id && (type === undefined || pm.type === type));
    const page = paginate(items, params, `/v1/customers/${req.params.id}/payment_methods`, 'payment_method');
    return isErrorResponse(page) ? send(reply, page) : page;
  });
}

function checkText(params: FormObject): Check {
  for (const k of TEXT_FIELDS) {
    if (params[k] !== undefined && typeof params[k] !== 'string') return invalidRequest('Invalid string', 'parameter_invalid_string', k);
  }
  const email = params.email;
  if (typeof email === 'string' && email !== '' && !/^[^@\s]+@[^@\s]+$/.test(email)) return invalidRequest(`Invalid email address: ${email}`, 'email_invalid', 'email');
  return undefined;
}

function applyText(c: Customer, params: FormObject): void {
  for (const k of TEXT_FIELDS) if (typeof params[k] === 'string') c[k] = params[k] === '' ? null : params[k];
}

function defaultPaymentMethodOf(params: FormObject): string | undefined {
  const settings = params.invoice_settings;
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return undefined;
  const v = settings.default_payment_method;
  return typeof v === 'string' ? v : undefined;
}

/**
 * `payment_method` (attached on create) and `invoice_settings[default_payment_method]` (which
 * must already be attached to this customer, or be attached by the same request).
 */
function checkPaymentMethod(ctx: StripeContext, params: FormObject, customerId: string | undefined): Check {
  const pm = optionalString(params, 'payment_method');
  if (pm !== undefined) {
    const cardNumber = refuseCardNumberAsPaymentMethod(pm);
    if (cardNumber) return cardNumber;
    const rec = ctx.state.paymentMethods.get(pm);
    if (!rec && !isTestPaymentMethodId(pm)) return missing('payment_method', pm, 'payment_method', 400);
    if (rec?.pm.customer || rec?.detached) return invalidRequest('The payment method you provided has already been attached to a customer.', 'payment_method_unexpected_state', 'payment_method');
  }
  const dpm = defaultPaymentMethodOf(params);
  if (dpm !== undefined && dpm !== '' && dpm !== pm) {
    const owner = ctx.state.paymentMethods.get(dpm)?.pm.customer;
    if (owner === undefined || owner === null || owner !== customerId) {
      return invalidRequest(`No such PaymentMethod: '${dpm}'; it must be attached to this customer to be its default.`, 'resource_missing', 'invoice_settings[default_payment_method]');
    }
  }
  return undefined;
}
