import { describeDestination, splitOnCapture } from './connect.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { send, type FormObject } from '../core/index.js';
import { emitEvent, moveBalance, recordMovement, storeCharge, type StripeContext } from './context.js';
import { invalidRequest } from './errors.js';
import type { Executed } from './idempotency.js';
import type { Charge, IntentRecord, StripeState } from './objects.js';
import { bodyOf, type Check } from './params.js';
import { checkPaymentMethodData } from './payment-method-data.js';

/**
 * Bank and wallet redirects on Stripe: iDEAL (docs.stripe.com/payments/ideal) and GrabPay
 * (docs.stripe.com/payments/grabpay). Neither has a test PaymentMethod id; a merchant creates the
 * PaymentMethod from `payment_method_data[type]=ideal` (optionally `[ideal][bank]=ing`) or
 * `…[type]=grabpay`, or by `POST /v1/payment_methods`, and confirms with a `return_url`:
 *
 *   confirm ─▶ requires_action, next_action.redirect_to_url { url: the bank/wallet page, return_url }
 *     shopper at /__sim/redirect/:pi ?outcome=authorize ─▶ succeeded   (payment_intent.succeeded, charge.succeeded)
 *                                   ?outcome=fail      ─▶ requires_payment_method, payment method removed
 *                                                         (payment_intent.payment_failed, charge.failed)
 *     then back to return_url ?payment_intent=…&payment_intent_client_secret=…&redirect_status=succeeded|failed
 *
 * The intent is pending (`requires_action`) until the shopper acts; with `shopperApprovesAfterMs`
 * (load runs) the simulated shopper authorises on their own after that delay, as a real shopper
 * would at their bank, and the merchant learns it by webhook. Stripe's test-mode page offers the
 * same two buttons ("Authorize test payment" / "Fail test payment").
 *
 * Refusals, as Stripe words them: a currency the method does not take
 * (`payment_intent_invalid_parameter`, param currency), no `return_url` at confirmation, and manual
 * capture (neither method supports it).
 */
export const REDIRECT_METHOD_TYPES = Object.freeze({
  ideal: { currencies: ['eur'] },
  grabpay: { currencies: ['sgd', 'myr'] },
} as const);

export type RedirectMethodType = keyof typeof REDIRECT_METHOD_TYPES;

/** iDEAL's `bank` values (Stripe's enum) with the BIC Stripe reports for the commonest; others report null. */
const IDEAL_BANKS: Readonly<Record<string, string | null>> = Object.freeze({
  abn_amro: 'ABNANL2A', asn_bank: 'ASNBNL21', bunq: 'BUNQNL2A', handelsbanken: 'HANDNL2A', ing: 'INGBNL2A', knab: 'KNABNL2H', moneyou: 'MOYONL21',
  n26: 'NTSBDEB1', nn: 'NNBANL2G', rabobank: 'RABONL2U', regiobank: 'RBRBNL21', revolut: 'REVOLT21', sns_bank: 'SNSBNL2A', triodos_bank: 'TRIONL2U',
  van_lanschot: 'FVLBNL22', yoursafe: 'BITSNL2A',
});

export interface RedirectPaymentMethod {
  id: string;
  object: 'payment_method';
  type: RedirectMethodType;
  ideal?: { bank: string | null; bic: string | null };
  grabpay?: Record<string, never>;
  customer: null;
  billing_details: { email: null; name: null; phone: null; address: null };
  metadata: Record<string, string>;
  created: number;
  livemode: false;
}

// Kept with the other objects (StripeState.redirectPaymentMethods): past `retain` they spill to disk.
function store(state: StripeState): Map<string, RedirectPaymentMethod> {
  return state.redirectPaymentMethods;
}

export function isRedirectType(v: unknown): v is RedirectMethodType {
  return typeof v === 'string' && Object.hasOwn(REDIRECT_METHOD_TYPES, v);
}

/** The redirect PaymentMethod behind an id, if it is one. */
export function redirectPaymentMethod(state: StripeState, id: string): RedirectPaymentMethod | undefined {
  return store(state).get(id);
}

/** The type of `payment_method_data` when it asks for a redirect method. */
function dataType(params: FormObject): RedirectMethodType | undefined {
  const data = params.payment_method_data;
  return isObject(data) && isRedirectType(data.type) ? data.type : undefined;
}

/**
 * `payment_method_data` on create/confirm: a redirect method is checked here (its bank, the
 * currency, manual capture); anything else goes to the card rules (payment-method-data.ts).
 * `currency` is the intent's (on confirm) or the request's (on create).
 */
export function checkMethodData(params: FormObject, currency: string | undefined, captureMethod: string | undefined): Check {
  const type = dataType(params);
  if (type === undefined) return checkPaymentMethodData(params);
  const data = params.payment_method_data as FormObject;
  if (type === 'ideal' && data.ideal !== undefined) {
    const bank = isObject(data.ideal) ? data.ideal.bank : undefined;
    if (bank !== undefined && (typeof bank !== 'string' || !Object.hasOwn(IDEAL_BANKS, bank))) {
      return invalidRequest(`Invalid payment_method_data[ideal][bank]: must be one of ${Object.keys(IDEAL_BANKS).join(', ')}`, 'parameter_invalid_string', 'payment_method_data[ideal][bank]');
    }
  }
  return checkRedirectFit(type, currency, captureMethod);
}

/** A redirect method against the intent's currency and capture method. */
export function checkRedirectFit(type: RedirectMethodType, currency: string | undefined, captureMethod: string | undefined): Check {
  const allowed = REDIRECT_METHOD_TYPES[type].currencies as readonly string[];
  if (currency !== undefined && !allowed.includes(currency.toLowerCase())) {
    return invalidRequest(`The currency provided (${currency.toLowerCase()}) is invalid. Payments with ${type} support the following currencies: ${allowed.join(', ')}.`, 'payment_intent_invalid_parameter', 'currency');
  }
  if (captureMethod === 'manual') return invalidRequest(`The payment method \`${type}\` does not support manual capture. Use capture_method=automatic.`, 'payment_intent_invalid_parameter', 'capture_method');
  return undefined;
}

/** `payment_method_types[]`: each redirect type named must fit the currency. */
export function checkPaymentMethodTypes(params: FormObject, currency: string | undefined): Check {
  const types = paymentMethodTypesOf(params);
  if (types === undefined) return undefined;
  for (const t of types) {
    if (t === 'card') continue;
    if (!isRedirectType(t)) return invalidRequest(`The payment method type "${t}" is invalid. The simulator takes card, ideal and grabpay.`, 'payment_intent_invalid_parameter', 'payment_method_types');
    const problem = checkRedirectFit(t, currency, undefined);
    if (problem) return problem;
  }
  return undefined;
}

export function paymentMethodTypesOf(params: FormObject): string[] | undefined {
  const v = params.payment_method_types;
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (isObject(v)) return Object.values(v).filter((x): x is string => typeof x === 'string');
  return undefined;
}

/** Create the redirect PaymentMethod `payment_method_data` describes; undefined when it describes none. */
export function paymentMethodFromData(ctx: StripeContext, params: FormObject): RedirectPaymentMethod | undefined {
  const type = dataType(params);
  if (type === undefined) return undefined;
  const data = params.payment_method_data as FormObject;
  return newRedirectPaymentMethod(ctx, type, isObject(data.ideal) && typeof data.ideal.bank === 'string' ? data.ideal.bank : undefined);
}

export function newRedirectPaymentMethod(ctx: StripeContext, type: RedirectMethodType, bank: string | undefined): RedirectPaymentMethod {
  const pm: RedirectPaymentMethod = {
    id: ctx.ids.next('pm'),
    object: 'payment_method',
    type,
    ...(type === 'ideal' ? { ideal: { bank: bank ?? null, bic: bank ? (IDEAL_BANKS[bank] ?? null) : null } } : { grabpay: {} }),
    customer: null,
    billing_details: { email: null, name: null, phone: null, address: null },
    metadata: {},
    created: ctx.nowS(),
    livemode: false,
  };
  store(ctx.state).set(pm.id, pm);
  return pm;
}

/**
 * Confirming with a redirect method: no money moves; the shopper is sent to the bank or wallet.
 * Without a return_url there is nowhere to bring them back, and Stripe refuses the confirmation.
 */
export function confirmRedirect(ctx: StripeContext, rec: IntentRecord, pm: RedirectPaymentMethod, key: string | undefined, pageUrl: string): Executed {
  const intent = rec.intent;
  const problem = checkRedirectFit(pm.type, intent.currency, intent.capture_method);
  if (problem) return { response: problem, committed: false };
  if (!rec.returnUrl) {
    return { response: invalidRequest(`You must provide a \`return_url\` when confirming a PaymentIntent with the payment method type ${pm.type}.`, 'payment_intent_invalid_parameter', 'return_url'), committed: false };
  }
  intent.status = 'requires_action';
  intent.next_action = { type: 'redirect_to_url', redirect_to_url: { url: pageUrl, return_url: rec.returnUrl } };
  intent.last_payment_error = null;
  if (ctx.shopperApprovesAfterMs !== undefined) {
    const id = intent.id;
    ctx.clock.schedule(ctx.shopperApprovesAfterMs, () => {
      const r = ctx.state.intents.get(id);
      if (r && r.intent.status === 'requires_action' && redirectPaymentMethod(ctx.state, r.intent.payment_method ?? '')) decideRedirect(ctx, r, 'authorize');
    });
  }
  return { response: { status: 200, body: intent }, committed: false, after: () => emitEvent(ctx, 'payment_intent.requires_action', intent, key, rec.traceId) };
}

/** The shopper's decision at the bank or wallet: the payment succeeds (money moves) or fails. */
export function decideRedirect(ctx: StripeContext, rec: IntentRecord, outcome: 'authorize' | 'fail'): void {
  const intent = rec.intent;
  const pm = redirectPaymentMethod(ctx.state, intent.payment_method ?? '')!;
  const charge = redirectCharge(ctx, rec, pm, outcome === 'authorize' ? 'succeeded' : 'failed');
  intent.next_action = null;
  intent.latest_charge = charge.id;
  if (outcome === 'authorize') {
    // An authorisation and its capture in one step, as the ledger of every automatic card capture shows.
    recordMovement(ctx, rec, 'authorization', intent.amount, rec.idempotencyKey, charge.id);
    charge.balance_transaction = moveBalance(ctx, rec, 'capture', intent.amount, rec.idempotencyKey, charge.id);
    charge.captured = true;
    charge.amount_captured = intent.amount;
    describeDestination(intent, charge);
    splitOnCapture(ctx, rec, charge);
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    emitEvent(ctx, 'charge.succeeded', charge, rec.idempotencyKey, rec.traceId);
    emitEvent(ctx, 'payment_intent.succeeded', intent, rec.idempotencyKey, rec.traceId);
    return;
  }
  charge.failure_code = 'payment_intent_payment_attempt_failed';
  charge.failure_message = 'The customer did not authorize the payment.';
  // Stripe removes a failed redirect method from the intent: the shopper must pick one again.
  intent.status = 'requires_payment_method';
  intent.last_payment_error = {
    type: 'invalid_request_error',
    code: 'payment_intent_payment_attempt_failed',
    message: 'The latest payment attempt of this PaymentIntent has failed or been canceled, and the attached payment method has been removed. You can try confirming again with a new payment method.',
    payment_method: structuredClone(pm),
  };
  intent.payment_method = null;
  emitEvent(ctx, 'charge.failed', charge, rec.idempotencyKey, rec.traceId);
  emitEvent(ctx, 'payment_intent.payment_failed', intent, rec.idempotencyKey, rec.traceId);
}

function redirectCharge(ctx: StripeContext, rec: IntentRecord, pm: RedirectPaymentMethod, status: Charge['status']): Charge {
  const details = pm.type === 'ideal'
    ? { type: 'ideal' as const, ideal: { bank: pm.ideal?.bank ?? 'ing', bic: pm.ideal?.bic ?? 'INGBNL2A', iban_last4: '5264', verified_name: 'Jenny Rosen' } }
    : { type: 'grabpay' as const, grabpay: { transaction_id: ctx.ids.next('grab', 16) } };
  return storeCharge(ctx, rec, {
    id: ctx.ids.next('py'),
    status,
    payment_method: pm.id,
    payment_method_details: details,
    outcome: status === 'succeeded'
      ? { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' }
      : { network_status: 'declined_by_network', reason: null, risk_level: 'normal', seller_message: 'The customer did not authorize the payment.', type: 'issuer_declined' },
  });
}

/** The bank's or wallet's page (the URL in `next_action.redirect_to_url.url`), GET or POST. */
export function registerRedirectPage(app: FastifyInstance, ctx: StripeContext): void {
  const handler = async (req: FastifyRequest<{ Params: { id: string }; Querystring: { outcome?: string } }>, reply: FastifyReply) => {
    const rec = ctx.state.intents.get(req.params.id);
    if (!rec) return send(reply, invalidRequest(`No such payment_intent: '${req.params.id}'`, 'resource_missing', 'intent', 404));
    const pm = redirectPaymentMethod(ctx.state, rec.intent.payment_method ?? '');
    if (rec.intent.status !== 'requires_action' || !pm) {
      return send(reply, invalidRequest(`This PaymentIntent has a status of ${rec.intent.status}; no bank or wallet is waiting for the shopper.`, 'payment_intent_unexpected_state'));
    }
    const outcome = req.query.outcome ?? (bodyOf(req.body).outcome as string | undefined) ?? 'authorize';
    if (outcome !== 'authorize' && outcome !== 'fail') return send(reply, invalidRequest('outcome must be "authorize" or "fail"', 'parameter_invalid_string', 'outcome'));
    decideRedirect(ctx, rec, outcome);
    const back = new URL(rec.returnUrl!);
    back.searchParams.set('payment_intent', rec.intent.id);
    back.searchParams.set('payment_intent_client_secret', rec.intent.client_secret);
    back.searchParams.set('redirect_status', outcome === 'authorize' ? 'succeeded' : 'failed');
    return reply.redirect(back.toString(), 302);
  };
  app.get('/__sim/redirect/:id', handler);
  app.post('/__sim/redirect/:id', handler);
}

/** Where `next_action.redirect_to_url.url` points for a redirect method. */
export function redirectPageUrl(req: FastifyRequest, id: string): string {
  return `${req.protocol}://${req.headers.host ?? 'localhost'}/__sim/redirect/${id}`;
}

function isObject(v: unknown): v is FormObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
