import type { FastifyInstance } from 'fastify';
import type { FormObject } from '../core/index.js';
import { stripeError } from './errors.js';
import { queryOf } from './lists.js';
import type { StripeState } from './objects.js';
import { bodyOf } from './params.js';
import { paymentMethodObject } from './payment-method-store.js';

/**
 * `expand[]` (docs.stripe.com/expand): a field holding an object's id is answered with the object
 * itself; a dotted path expands inside it (`latest_charge.balance_transaction`), and on a list
 * `data.` applies it to every item. Only fields Stripe documents as expandable may be, up to four
 * levels; anything else is Stripe's 400 "This property cannot be expanded".
 *
 * Applied to the answer on its way out, so retrieve, create, confirm, lists and replayed
 * idempotent answers all expand the same way.
 */
/** Per object, each expandable field and the kind of object it expands to. */
const EXPANDABLE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  payment_intent: { latest_charge: 'charge', payment_method: 'payment_method', customer: 'customer' },
  charge: { balance_transaction: 'balance_transaction', payment_intent: 'payment_intent', customer: 'customer' },
  refund: { charge: 'charge', payment_intent: 'payment_intent', balance_transaction: 'balance_transaction' },
  payment_method: { customer: 'customer' },
  customer: { default_payment_method: 'payment_method' },
};
/** The object a `/v1/<resource>` route answers with (or lists). */
const ROUTE_OBJECT: Readonly<Record<string, string>> = {
  payment_intents: 'payment_intent',
  charges: 'charge',
  refunds: 'refund',
  payment_methods: 'payment_method',
  customers: 'customer',
  balance_transactions: 'balance_transaction',
};
const MAX_DEPTH = 4;

type Json = Record<string, unknown>;

/** The expansions a request asks for (`expand[]=a`, `expand[0]=a`, in the query or the form body). */
export function expansionsOf(params: FormObject): string[] {
  const v = params.expand;
  if (v === undefined) return [];
  if (typeof v === 'string') return v === '' ? [] : [v];
  return (Array.isArray(v) ? v : Object.values(v)).filter((x): x is string => typeof x === 'string' && x !== '');
}

export class ExpandError extends Error {}

/** `body` with `paths` expanded; throws ExpandError for a path that cannot be expanded. */
export function expand(state: StripeState, body: Json, paths: readonly string[], nowS: number): Json {
  let out = body;
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > MAX_DEPTH) throw new ExpandError(`You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`);
    out = expandPath(state, out, segments, path, nowS);
  }
  return out;
}

function expandPath(state: StripeState, obj: Json, segments: string[], path: string, nowS: number): Json {
  const [field, ...rest] = segments as [string, ...string[]];
  if ((obj.object === 'list' || obj.object === 'search_result') && field === 'data' && Array.isArray(obj.data)) {
    return { ...obj, data: obj.data.map((item) => (rest.length === 0 ? item : expandPath(state, item as Json, rest, path, nowS))) };
  }
  // A customer's default payment method sits inside invoice_settings.
  if (obj.object === 'customer' && field === 'invoice_settings' && rest[0] === 'default_payment_method') {
    const settings = obj.invoice_settings as Json;
    return { ...obj, invoice_settings: expandPath(state, { ...settings, object: 'customer' }, rest, path, nowS) as Json };
  }
  const allowed = EXPANDABLE[String(obj.object)];
  if (!allowed || !Object.hasOwn(allowed, field)) throw new ExpandError(`This property cannot be expanded (${path}).`);
  const value = obj[field];
  if (value === null || value === undefined) return obj;
  const resolved = typeof value === 'string' ? lookup(state, value, nowS) : (value as Json);
  if (!resolved) return obj;
  const copy: Json = { ...obj, [field]: rest.length === 0 ? resolved : expandPath(state, resolved, rest, path, nowS) };
  // Only a customer's invoice_settings is walked with a borrowed `object`; give it back its own shape.
  if (obj.object === 'customer' && field === 'default_payment_method') delete copy.object;
  return copy;
}

/** The object behind an id, by Stripe's id prefixes; undefined when the simulator no longer keeps it. */
function lookup(state: StripeState, id: string, nowS: number): Json | undefined {
  const prefix = id.slice(0, id.indexOf('_'));
  const found: unknown =
    prefix === 'ch' ? state.charges.get(id)
    : prefix === 'pi' ? state.intents.get(id)?.intent
    : prefix === 'pm' ? paymentMethodObject(state, id, nowS)
    : prefix === 'cus' ? state.customers.get(id)
    : prefix === 'txn' ? state.balanceTransactions.get(id)
    : prefix === 're' ? state.refunds.get(id)
    : undefined;
  return found ? (structuredClone(found) as Json) : undefined;
}

/**
 * Check expansions against the route's object before anything runs, so a create or confirm with
 * a bad `expand` is refused without moving money (as Stripe refuses it). Returns the message.
 */
export function checkExpansions(method: string, url: string, paths: readonly string[]): string | undefined {
  const parts = url.split('?', 1)[0]!.split('/').filter(Boolean);
  // /v1/customers/:id/payment_methods lists payment methods; /v1/x/search and /v1/x list x.
  const resource = parts[3] === 'payment_methods' ? 'payment_methods' : parts[1];
  const start = resource ? ROUTE_OBJECT[resource] : undefined;
  if (start === undefined) return paths.length > 0 ? `This property cannot be expanded (${paths[0]}).` : undefined;
  const isList = method === 'GET' && (parts.length === 2 || parts[2] === 'search' || parts[3] === 'payment_methods');
  let kind: string;
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > MAX_DEPTH) return `You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`;
    kind = start;
    let i = 0;
    if (isList) {
      if (segments[0] !== 'data') return `This property cannot be expanded (${path}).`;
      i = 1;
    }
    for (; i < segments.length; i++) {
      let field = segments[i]!;
      if (kind === 'customer' && field === 'invoice_settings' && segments[i + 1] === 'default_payment_method') field = segments[++i]!;
      const target: string | undefined = EXPANDABLE[kind]?.[field];
      if (target === undefined) return `This property cannot be expanded (${path}).`;
      kind = target;
    }
  }
  return undefined;
}

/** Expand successful JSON answers of `/v1/` routes as their request asks. */
export function registerExpand(app: FastifyInstance, state: StripeState, nowS: () => number): void {
  app.addHook('preHandler', (req, reply, done) => {
    if (!req.url.startsWith('/v1/')) return done();
    const paths = [...expansionsOf(queryOf(req)), ...(req.method === 'GET' ? [] : expansionsOf(bodyOf(req.body)))];
    const problem = paths.length === 0 ? undefined : checkExpansions(req.method, req.url, paths);
    if (problem === undefined) return done();
    reply.code(400).send(stripeError('invalid_request_error', problem, { param: 'expand' }));
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.url.startsWith('/v1/') || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    const paths = [...expansionsOf(queryOf(req)), ...(req.method === 'GET' ? [] : expansionsOf(bodyOf(req.body)))];
    if (paths.length === 0) return payload;
    try {
      return JSON.stringify(expand(state, JSON.parse(payload) as Json, paths, nowS()));
    } catch (err) {
      if (!(err instanceof ExpandError)) throw err;
      reply.code(400);
      return JSON.stringify(stripeError('invalid_request_error', err.message, { param: 'expand' }));
    }
  });
}
