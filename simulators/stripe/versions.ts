import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { send } from '../core/index.js';
import { stripeError } from './errors.js';
import type { Charge, StripeState } from './objects.js';

/**
 * Stripe API versions, as Stripe applies them (docs.stripe.com/api/versioning,
 * /webhooks/versioning): a request is answered at its `Stripe-Version` header, else at the
 * account's default version; each webhook endpoint gets its events rendered at its own
 * `api_version`. The answer's `Stripe-Version` header names the version used.
 *
 * Where the shapes of the simulated objects differ across versions, the simulator renders them:
 * before 2022-11-15 a PaymentIntent carries `charges` (a list of its charges) and a Charge carries
 * `refunds` (a list of its refunds), both removed in 2022-11-15 (changelog "Removes the charges
 * attribute from the PaymentIntent object", "Charges no longer auto-expand refunds"). Between
 * 2022-11-15 and the newest version (including the one stripe-node 23 pins, 2026-10-28.endive)
 * the fields the simulator serves do not differ, so those versions get the same objects.
 */
export const STRIPE_API_VERSION = '2025-10-29.clover';
/** The first version without `PaymentIntent.charges` and auto-expanded `Charge.refunds`. */
export const CHARGES_REMOVED_IN = '2022-11-15';

const VERSION = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

export function isStripeVersion(v: string): boolean {
  return VERSION.test(v);
}

/** Whether objects rendered at `version` keep the pre-2022-11-15 lists. */
function hasLegacyLists(version: string): boolean {
  return version.slice(0, 10) < CHARGES_REMOVED_IN;
}

/**
 * Answer every `/v1/` request at its version: refuse a malformed `Stripe-Version`, echo the
 * version used, and render older versions' shapes on the way out (also for replayed idempotent
 * answers, which are stored as the bytes of the newest shape).
 */
export function registerVersioning(app: FastifyInstance, state: StripeState, accountVersion: string): void {
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (req.url.startsWith('/__sim/')) return done();
    const header = req.headers['stripe-version'];
    const asked = typeof header === 'string' && header !== '' ? header : undefined;
    if (asked !== undefined && !isStripeVersion(asked)) {
      reply.header('stripe-version', accountVersion);
      send(reply, { status: 400, body: stripeError('invalid_request_error', `Invalid Stripe API version: ${asked}`, { param: 'Stripe-Version' }) });
      return;
    }
    reply.header('stripe-version', asked ?? accountVersion);
    done();
  });
  // Callback style, not async: this runs on every answer, and a promise per answer shows under load.
  app.addHook('onSend', (req, reply, payload, done) => {
    const version = String(reply.getHeader('stripe-version') ?? accountVersion);
    if (req.url.startsWith('/__sim/') || !hasLegacyLists(version) || typeof payload !== 'string' || !payload.startsWith('{')) return done(null, payload);
    let rendered: string;
    try {
      rendered = JSON.stringify(renderForVersion(state, JSON.parse(payload), version));
    } catch (err) {
      return done(err as Error);
    }
    done(null, rendered);
  });
}

/** `value` (an object, a list, an error, an event's data) with every object in it shaped for `version`. */
export function renderForVersion<T>(state: StripeState, value: T, version: string): T {
  if (!hasLegacyLists(version)) return value;
  return legacy(state, value) as T;
}

function legacy(state: StripeState, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => legacy(state, v));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = legacy(state, v);
  if (out.object === 'payment_intent' && typeof out.id === 'string') {
    const charges = [...state.charges.values()].filter((c) => c.payment_intent === out.id).reverse();
    out.charges = list(`/v1/charges?payment_intent=${out.id}`, charges.map((c) => withRefunds(state, c)));
  }
  if (out.object === 'charge' && typeof out.id === 'string' && out.refunds === undefined) {
    out.refunds = list(`/v1/charges/${out.id}/refunds`, refundsOf(state, out.id));
  }
  return out;
}

function withRefunds(state: StripeState, c: Charge): Record<string, unknown> {
  return { ...c, refunds: list(`/v1/charges/${c.id}/refunds`, refundsOf(state, c.id)) };
}

function refundsOf(state: StripeState, chargeId: string): unknown[] {
  return [...state.refunds.values()].filter((r) => r.charge === chargeId).reverse();
}

function list(url: string, data: unknown[]): Record<string, unknown> {
  return { object: 'list', data, has_more: false, total_count: data.length, url };
}
