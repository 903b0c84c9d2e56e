import { paychaosError, type Clock } from '../../src/kernel/index.js';
import { IdGenerator, send, simulatorCore, withContractRate, simulatorStarter, type StartedSim, type BuiltSim, type SimCoreOptions } from '../core/index.js';
import { STRIPE_OUTCOMES } from './cards.js';
import type { StripeContext } from './context.js';
import { registerConnect } from './connect.js';
import { registerCustomers } from './customers.js';
import { openStripeDispute, registerDisputes } from './disputes.js';
import { stripeError, stripeErrorShape } from './errors.js';
import { registerExpand } from './expand.js';
import { KEY_TTL_MS } from './idempotency.js';
import { registerIncrementAuthorization } from './increment.js';
import { registerListing } from './listing.js';
import { StripeState } from './objects.js';
import { registerPaymentIntents } from './payment-intents.js';
import { registerPaymentMethods } from './payment-methods.js';
import { registerRefunds } from './refunds.js';
import { registerBodyRules } from './request-body.js';
import { registerSearch } from './search.js';
import { STRIPE_CYCLE, STRIPE_FEES, stripeSettlementCsv, stripeSettlementReportCsv } from './settlement.js';
import { registerRedirectPage } from './redirect-methods.js';
import { registerThreeDSecure } from './three-d-secure.js';
import { registerNotSimulated } from './unsupported.js';
import { isStripeVersion, registerVersioning } from './versions.js';
import { DEFAULT_WEBHOOK_SECRET, STRIPE_API_VERSION, STRIPE_EVENT_TYPES, stripeWebhookProtocol } from './webhooks.js';

export interface StripeSimOptions extends SimCoreOptions {
  /** Wall-clock time for ledger entries and `created` fields. */
  now?: () => Date;
  /** The initial behaviour profile (validated; an invalid one throws PAYCHAOS_ERR_SIM_BAD_PROFILE). */
  profile?: unknown;
  /** Clock of the webhook retry ladder (e.g. `scaledClock(60)`: a simulated minute per second). */
  clock?: Clock;
  /** Endpoint secret that signs webhooks (`whsec_…`). */
  webhookSecret?: string;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (or Basic with it as user), as the real API demands. */
  apiKey?: string;
  /** The account's default API version, for requests without `Stripe-Version` (default STRIPE_API_VERSION). */
  apiVersion?: string;
  /** The webhook endpoint's `api_version`, at which its events are rendered (default: the account's). */
  webhookApiVersion?: string;
  /** The webhook endpoint's `enabled_events` (default `['*']`: every event the simulator sends). */
  webhookEvents?: readonly string[];
  /**
   * Provider objects and idempotency keys kept in memory per kind (default 200,000); older ones
   * are spilled to a temporary SQLite database and read back when asked for, so memory stays
   * bounded under long load and nothing is forgotten.
   */
  retain?: number;
  /**
   * Load runs: an iDEAL or GrabPay shopper authorises at their bank or wallet this long after the
   * confirmation (redirect-methods.ts). Unset, the payment waits for `/__sim/redirect/:id`.
   */
  shopperApprovesAfterMs?: number;
}

export interface StripeSim extends BuiltSim {
  readonly webhookSecret: string;
}

export type StartedStripeSim = StartedSim<StripeSim>;

/** Build the Stripe-style simulator's app (for in-process `inject()` tests). */
export function buildStripeSim(options: StripeSimOptions = {}): StripeSim {
  const webhookSecret = options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET;
  const { apiVersion, webhookApiVersion, enabledEvents } = checkOptions(options);
  const core = simulatorCore('stripe', options);
  const { ledger, seed, clock, nowMs } = core;
  // Independent streams: a change in how often one part draws does not shift another's choices.
  const behaviour = core.behaviour(Object.keys(STRIPE_OUTCOMES));
  const webhooks = core.webhooks(behaviour, stripeWebhookProtocol(webhookSecret));
  const ctx: StripeContext = {
    ledger,
    state: new StripeState(core.retain, core.spill),
    idempotency: core.idempotency(KEY_TTL_MS),
    behaviour,
    webhooks,
    ids: core.ids(),
    webhookApiVersion,
    enabledEvents,
    fees: withContractRate(STRIPE_FEES, options.fees),
    nowS: () => Math.floor(nowMs() / 1000),
    openDispute: (request) => openStripeDispute(ctx, request),
    clock,
    shopperApprovesAfterMs: options.shopperApprovesAfterMs,
  };
  const requestIds = new IdGenerator(core.random.fork());
  const app = core.app({
    errors: stripeErrorShape,
    behaviour,
    webhooks,
    settlementCsv: () => stripeSettlementCsv(ledger.entries()),
    // A card number as payment_method gets Stripe's resource_missing (cards.ts), not a mask.
    cardNumbers: { keep: ['payment_method'] },
    fees: STRIPE_FEES,
    cycle: STRIPE_CYCLE,
    report: (lines) => stripeSettlementReportCsv(lines, ctx.state),
    // What the Dashboard hands a merchant: the endpoint's signing secret (Developers → Webhooks),
    // and the secret key when requests must carry one.
    openDispute: (request) => openStripeDispute(ctx, request),
    keys: () => ({ webhookSecret, ...(options.apiKey ? { secretKey: options.apiKey } : {}) }),
    routes: (a) => {
      a.addHook('onRequest', (req, reply, done) => {
        if (!req.url.startsWith('/__sim/')) reply.header('request-id', requestIds.next('req', 14));
        done();
      });
      registerVersioning(a, ctx.state, apiVersion);
      if (options.apiKey) {
        const apiKey = options.apiKey;
        a.addHook('onRequest', async (req, reply) => {
          if (req.url.startsWith('/__sim/') || bearerOf(req.headers.authorization) === apiKey) return;
          return send(reply, {
            status: 401,
            body: stripeError('invalid_request_error', "You did not provide a valid API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."),
          });
        });
      }
      registerBodyRules(a);
      // Expansion runs on the way out before version rendering (registered in that order).
      registerExpand(a, ctx.state, ctx.nowS);
      registerPaymentIntents(a, ctx);
      registerIncrementAuthorization(a, ctx);
      registerRefunds(a, ctx);
      registerConnect(a, ctx);
      registerDisputes(a, ctx);
      registerListing(a, ctx);
      registerSearch(a, ctx);
      registerCustomers(a, ctx);
      registerPaymentMethods(a, ctx);
      registerThreeDSecure(a, ctx);
      registerRedirectPage(a, ctx);
      registerNotSimulated(a);
    },
  });
  return { ledger, app, behaviour, webhooks, seed, webhookSecret };
}

/** Start the Stripe-style simulator on 127.0.0.1 (port 0 unless given). */
export const startStripeSim = simulatorStarter<StripeSimOptions, StripeSim>({ provider: 'stripe', build: buildStripeSim });

function checkOptions(options: StripeSimOptions): { apiVersion: string; webhookApiVersion: string; enabledEvents: ReadonlySet<string> } {
  const apiVersion = options.apiVersion ?? STRIPE_API_VERSION;
  const webhookApiVersion = options.webhookApiVersion ?? apiVersion;
  for (const [option, v] of [['apiVersion', apiVersion], ['webhookApiVersion', webhookApiVersion]] as const) {
    if (!isStripeVersion(v)) throw paychaosError('PAYCHAOS_ERR_SIM_BAD_OPTION', `stripe ${option}: "${v}" is not a Stripe API version (expected YYYY-MM-DD or YYYY-MM-DD.name, e.g. ${STRIPE_API_VERSION})`, { option, value: v });
  }
  const events = options.webhookEvents ?? ['*'];
  const unknown = events.filter((e) => e !== '*' && !(STRIPE_EVENT_TYPES as readonly string[]).includes(e));
  if (unknown.length > 0 || events.length === 0) {
    throw paychaosError('PAYCHAOS_ERR_SIM_BAD_OPTION', `stripe webhookEvents: ${unknown.length > 0 ? `${unknown.join(', ')} not among the events the simulator sends` : 'empty'} (expected "*" or some of ${STRIPE_EVENT_TYPES.join(', ')})`, { option: 'webhookEvents', unknown });
  }
  if (options.apiKey !== undefined && options.apiKey === '') throw paychaosError('PAYCHAOS_ERR_SIM_BAD_OPTION', 'stripe apiKey: empty; give a key such as sk_test_… or leave it unset', { option: 'apiKey' });
  return { apiVersion, webhookApiVersion, enabledEvents: new Set(events) };
}

function bearerOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() === 'basic' && value) return Buffer.from(value, 'base64').toString('utf8').split(':')[0];
  return undefined;
}
