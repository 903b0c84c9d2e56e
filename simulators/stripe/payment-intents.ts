import type { FastifyInstance, FastifyRequest } from 'fastify';
import { send, traceIdOf, type FormObject } from '../core/index.js';
import { cardBehaviour, refuseCardNumberAsPaymentMethod } from './cards.js';
import { confirmIntent, unexpectedState } from './confirm.js';
import { checkMinimumAmount } from './minimums.js';
import { checkCaptureCoversFee, checkConnectParams, connectFieldsOf, splitOnCapture } from './connect.js';
import { resolveCard } from './payment-method-store.js';
import { emitEvent, emits, moveBalance, recordMovement, type StripeContext } from './context.js';
import { invalidRequest } from './errors.js';
import { runStripeOperation, settled } from './idempotency.js';
import type { IntentRecord, PaymentIntent } from './objects.js';
import { checkPaymentMethodData } from './payment-method-data.js';
import { checkMethodData, checkPaymentMethodTypes, checkRedirectFit, isRedirectType, paymentMethodFromData, paymentMethodTypesOf, redirectPaymentMethod, type RedirectMethodType } from './redirect-methods.js';
import { bodyOf, checkBoolean, checkCurrency, checkEnum, checkMetadata, checkPositiveInteger, firstProblem, metadataOf, optionalString, type Check } from './params.js';
import { indexIntentOrder } from './order-index.js';

export type { PaymentIntent, PaymentIntentStatus } from './objects.js';

const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'] as const;
const CANCELABLE = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'] as const;

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** `/v1/payment_intents`: create (optionally `confirm=true`), retrieve, update, confirm, capture, cancel. */
export function registerPaymentIntents(app: FastifyInstance, ctx: StripeContext): void {
  app.post('/v1/payment_intents', (req, reply) => {
    const params = bodyOf(req.body);
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () =>
        firstProblem(
          checkPositiveInteger(params, 'amount', true),
          checkCurrency(params, true),
          checkEnum(params, 'capture_method', ['automatic', 'automatic_async', 'manual']),
          checkMinimumAmount(params),
          checkEnum(params, 'confirmation_method', ['automatic', 'manual']),
          checkBoolean(params, 'confirm'),
          checkBoolean(params, 'off_session'),
          checkEnum(params, 'setup_future_usage', ['on_session', 'off_session']),
          checkIncrementalOption(params),
          checkMetadata(params),
          checkMethodData(params, optionalString(params, 'currency'), optionalString(params, 'capture_method')),
          checkPaymentMethodTypes(params, optionalString(params, 'currency')),
          checkPaymentMethod(ctx, params),
          checkCustomer(ctx, params),
          checkConnectParams(params, /^\d+$/.test(String(params.amount)) ? Number(params.amount) : undefined),
          params.confirm === 'true' && !optionalString(params, 'payment_method') && !redirectData(params)
            ? invalidRequest("You cannot confirm this PaymentIntent because it's missing a payment method. Update the PaymentIntent with a payment method and then confirm it again.", 'payment_intent_unexpected_state')
            : undefined,
        ),
      execute: (key) => {
        const rec = create(ctx, params, key, traceIdOf(req.headers));
        const redirect = paymentMethodFromData(ctx, params);
        if (redirect) changePaymentMethod(rec, redirect.id);
        // The creation event carries the intent as it was created, before any confirmation: a
        // copy, made only when that event is sent (the gateway's endpoints do not subscribe to it).
        const created = emits(ctx, 'payment_intent.created') ? structuredClone(rec.intent) : undefined;
        const announce = () => {
          if (created !== undefined) emitEvent(ctx, 'payment_intent.created', created, key, rec.traceId);
        };
        if (params.confirm !== 'true') return { response: { status: 200, body: rec.intent }, committed: false, after: announce };
        const done = confirmIntent(ctx, rec, key, () => threeDsUrl(req, rec.intent.id));
        return {
          ...done,
          after: () => {
            announce();
            done.after?.();
          },
        };
      },
    }));
  });

  app.get('/v1/payment_intents/:id', async (req: IdRequest, reply) => {
    const rec = ctx.state.intents.get(req.params.id);
    return rec ? rec.intent : send(reply, missing('payment_intent', req.params.id, 'intent', 404));
  });

  app.post('/v1/payment_intents/:id', (req: IdRequest, reply) => {
    const params = bodyOf(req.body);
    const rec = ctx.state.intents.get(req.params.id);
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () =>
        rec
          ? firstProblem(
              checkPositiveInteger(params, 'amount', false),
              checkCurrency(params, false),
              checkMinimumAmount(params, rec.intent.currency),
              checkEnum(params, 'setup_future_usage', ['on_session', 'off_session']),
              checkMetadata(params),
              checkPaymentMethodData(params),
              checkPaymentMethod(ctx, params),
              checkCustomer(ctx, params),
            )
          : missing('payment_intent', req.params.id, 'intent', 404),
      execute: () => {
        const r = rec as IntentRecord;
        if (!(CONFIRMABLE as readonly string[]).includes(r.intent.status)) return unexpectedState(r, 'update', CONFIRMABLE);
        const i = r.intent;
        if (params.amount !== undefined) i.amount = Number(params.amount);
        if (typeof params.currency === 'string') i.currency = params.currency.toLowerCase();
        if (params.metadata !== undefined) {
          i.metadata = { ...i.metadata, ...metadataOf(params) };
          indexIntentOrder(ctx.state, i);
        }
        if (typeof params.description === 'string') i.description = params.description;
        const customer = optionalString(params, 'customer');
        if (customer) i.customer = customer;
        const sfu = optionalString(params, 'setup_future_usage');
        if (sfu) i.setup_future_usage = sfu as PaymentIntent['setup_future_usage'];
        const pm = optionalString(params, 'payment_method');
        if (pm) changePaymentMethod(r, pm);
        return { response: { status: 200, body: i }, committed: false };
      },
    }));
  });

  app.post('/v1/payment_intents/:id/confirm', (req: IdRequest, reply) => {
    const params = bodyOf(req.body);
    const rec = ctx.state.intents.get(req.params.id);
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () =>
        rec
          ? firstProblem(
              checkMethodData(params, rec.intent.currency, rec.intent.capture_method),
              checkPaymentMethod(ctx, params),
              checkBoolean(params, 'off_session'),
              checkEnum(params, 'setup_future_usage', ['on_session', 'off_session']),
              needsPaymentMethod(rec, params),
            )
          : missing('payment_intent', req.params.id, 'intent', 404),
      execute: (key) => {
        const r = rec as IntentRecord;
        if (!(CONFIRMABLE as readonly string[]).includes(r.intent.status)) return unexpectedState(r, 'confirm', CONFIRMABLE);
        const pm = paymentMethodFromData(ctx, params)?.id ?? optionalString(params, 'payment_method');
        if (pm && pm !== r.intent.payment_method) changePaymentMethod(r, pm);
        const returnUrl = optionalString(params, 'return_url');
        if (returnUrl) r.returnUrl = returnUrl;
        if (params.off_session !== undefined) r.offSession = params.off_session === 'true';
        const sfu = optionalString(params, 'setup_future_usage');
        if (sfu) r.intent.setup_future_usage = sfu as PaymentIntent['setup_future_usage'];
        return confirmIntent(ctx, r, key, () => threeDsUrl(req, r.intent.id));
      },
    }));
  });

  app.post('/v1/payment_intents/:id/capture', (req: IdRequest, reply) => {
    const params = bodyOf(req.body);
    const rec = ctx.state.intents.get(req.params.id);
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () => (rec ? checkPositiveInteger(params, 'amount_to_capture', false) : missing('payment_intent', req.params.id, 'intent', 404)),
      execute: (key) => {
        const r = rec as IntentRecord;
        const i = r.intent;
        if (i.status !== 'requires_capture') return unexpectedState(r, 'capture', ['requires_capture']);
        const amount = params.amount_to_capture === undefined ? i.amount_capturable : Number(params.amount_to_capture);
        if (amount > i.amount_capturable) {
          return { response: invalidRequest(`The amount to capture (${amount}) is greater than the amount capturable (${i.amount_capturable}).`, 'amount_too_large', 'amount_to_capture'), committed: false };
        }
        const short = checkCaptureCoversFee(i, amount);
        if (short) return { response: short, committed: false };
        const charge = i.latest_charge ? ctx.state.charges.get(i.latest_charge) : undefined;
        const txn = moveBalance(ctx, r, 'capture', amount, key, i.latest_charge ?? i.id);
        // Capturing less releases the rest of the hold: the ledger shows it as a void.
        if (amount < i.amount_capturable) recordMovement(ctx, r, 'void', i.amount_capturable - amount, key, i.latest_charge ?? undefined);
        i.status = 'succeeded';
        i.amount_received = amount;
        i.amount_capturable = 0;
        if (charge) {
          charge.captured = true;
          charge.amount_captured = amount;
          charge.balance_transaction = txn;
          splitOnCapture(ctx, r, charge);
        }
        return {
          response: { status: 200, body: i },
          committed: true,
          after: () => {
            if (charge) emitEvent(ctx, 'charge.captured', charge, key, r.traceId);
            emitEvent(ctx, 'payment_intent.succeeded', i, key, r.traceId);
          },
        };
      },
    }));
  });

  app.post('/v1/payment_intents/:id/cancel', (req: IdRequest, reply) => {
    const params = bodyOf(req.body);
    const rec = ctx.state.intents.get(req.params.id);
    return settled(runStripeOperation(req, reply, ctx, params, {
      validate: () => (rec ? checkEnum(params, 'cancellation_reason', ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned']) : missing('payment_intent', req.params.id, 'intent', 404)),
      execute: (key) => {
        const r = rec as IntentRecord;
        const i = r.intent;
        if (!(CANCELABLE as readonly string[]).includes(i.status)) return unexpectedState(r, 'cancel', CANCELABLE);
        const held = i.status === 'requires_capture' ? i.amount_capturable : 0;
        if (held > 0) recordMovement(ctx, r, 'void', held, key, i.latest_charge ?? undefined);
        i.status = 'canceled';
        i.amount_capturable = 0;
        i.next_action = null;
        i.cancellation_reason = optionalString(params, 'cancellation_reason') ?? null;
        i.canceled_at = ctx.nowS();
        return { response: { status: 200, body: i }, committed: held > 0, after: () => emitEvent(ctx, 'payment_intent.canceled', i, key, r.traceId) };
      },
    }));
  });
}

function create(ctx: StripeContext, params: FormObject, key: string | undefined, traceId: string | undefined): IntentRecord {
  const id = ctx.ids.next('pi');
  const pm = optionalString(params, 'payment_method') ?? null;
  const intent: PaymentIntent = {
    id,
    object: 'payment_intent',
    amount: Number(params.amount),
    amount_capturable: 0,
    amount_received: 0,
    currency: String(params.currency).toLowerCase(),
    status: pm ? 'requires_confirmation' : 'requires_payment_method',
    capture_method: (optionalString(params, 'capture_method') as PaymentIntent['capture_method'] | undefined) ?? 'automatic',
    confirmation_method: (optionalString(params, 'confirmation_method') as PaymentIntent['confirmation_method'] | undefined) ?? 'automatic',
    client_secret: `${id}_secret_${ctx.ids.next('s').slice(2)}`,
    payment_method: pm,
    payment_method_types: paymentMethodTypesOf(params) ?? (redirectData(params) ? [redirectData(params)!] : ['card']),
    customer: optionalString(params, 'customer') ?? null,
    setup_future_usage: (optionalString(params, 'setup_future_usage') as PaymentIntent['setup_future_usage'] | undefined) ?? null,
    latest_charge: null,
    next_action: null,
    last_payment_error: null,
    cancellation_reason: null,
    canceled_at: null,
    description: optionalString(params, 'description') ?? null,
    metadata: metadataOf(params),
    created: ctx.nowS(),
    livemode: false,
    ...connectFieldsOf(params),
  };
  const rec: IntentRecord = {
    intent,
    traceId,
    idempotencyKey: key,
    authenticated: false,
    returnUrl: optionalString(params, 'return_url') ?? null,
    offSession: params.off_session === 'true',
    incrementalAuthorization: incrementalRequested(params),
  };
  ctx.state.intents.set(id, rec);
  indexIntentOrder(ctx.state, intent);
  return rec;
}

function changePaymentMethod(rec: IntentRecord, pm: string): void {
  rec.intent.payment_method = pm;
  rec.authenticated = false;
  if (rec.intent.status === 'requires_payment_method') rec.intent.status = 'requires_confirmation';
}

/**
 * `payment_method`: a created PaymentMethod or a test one (cards.ts); anything else is an id
 * Stripe does not know. A detached one cannot be used again, as Stripe refuses it.
 */
function checkPaymentMethod(ctx: StripeContext, params: FormObject): Check {
  const pm = params.payment_method;
  if (pm === undefined || pm === '') return undefined;
  const redirect = typeof pm === 'string' ? redirectPaymentMethod(ctx.state, pm) : undefined;
  if (redirect) return checkRedirectFit(redirect.type, optionalString(params, 'currency'), optionalString(params, 'capture_method'));
  const number = typeof pm === 'string' ? resolveCard(ctx.state, pm) : undefined;
  const cardNumber = typeof pm === 'string' ? refuseCardNumberAsPaymentMethod(pm) : undefined;
  if (cardNumber) return cardNumber;
  if (number === undefined || !cardBehaviour(number)) return invalidRequest(`No such PaymentMethod: '${typeof pm === 'string' ? pm : ''}'`, 'resource_missing', 'payment_method');
  if (ctx.state.paymentMethods.get(pm as string)?.detached) {
    return invalidRequest('The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.', 'payment_method_unexpected_state', 'payment_method');
  }
  return undefined;
}

function checkCustomer(ctx: StripeContext, params: FormObject): Check {
  const customer = optionalString(params, 'customer');
  if (customer === undefined || ctx.state.customers.has(customer)) return undefined;
  return missing('customer', customer, 'customer', 400);
}

/** `payment_method_options[card][request_incremental_authorization]`: `if_available` or `never`. */
function checkIncrementalOption(params: FormObject): Check {
  const v = cardOptionsOf(params).request_incremental_authorization;
  if (v === undefined || v === 'if_available' || v === 'never') return undefined;
  return invalidRequest('Invalid payment_method_options[card][request_incremental_authorization]: must be one of if_available, never', 'parameter_invalid_string', 'payment_method_options[card][request_incremental_authorization]');
}

function incrementalRequested(params: FormObject): boolean {
  return cardOptionsOf(params).request_incremental_authorization === 'if_available';
}

function cardOptionsOf(params: FormObject): FormObject {
  const options = params.payment_method_options;
  const card = options && typeof options === 'object' && !Array.isArray(options) ? options.card : undefined;
  return card && typeof card === 'object' && !Array.isArray(card) ? card : {};
}

function needsPaymentMethod(rec: IntentRecord, params: FormObject): Check {
  if (rec.intent.payment_method || optionalString(params, 'payment_method') || redirectData(params)) return undefined;
  return invalidRequest("You cannot confirm this PaymentIntent because it's missing a payment method. Update the PaymentIntent with a payment method and then confirm it again.", 'payment_intent_unexpected_state');
}

export function missing(object: string, id: string, param: string, status: number) {
  return invalidRequest(`No such ${object}: '${id}'`, 'resource_missing', param, status);
}

/** Where the shopper authenticates: the simulator's stand-in for the issuer's 3-D Secure page. */
function threeDsUrl(req: FastifyRequest, id: string): string {
  return `${req.protocol}://${req.headers.host ?? 'localhost'}/__sim/3ds/${id}`;
}


/** The redirect method type `payment_method_data` asks for (iDEAL, GrabPay), if any. */
function redirectData(params: FormObject): RedirectMethodType | undefined {
  const data = params.payment_method_data;
  const type = typeof data === 'object' && data !== null && !Array.isArray(data) ? data.type : undefined;
  return isRedirectType(type) ? type : undefined;
}
