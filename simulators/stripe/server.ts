import type { FastifyInstance } from 'fastify';
import { listenFastify, type ListenOptions, type Listening, DEFAULT_RETAIN, Random, randomSeed, systemClock, type Clock } from '../../src/kernel/index.js';
import { Behaviour, IdGenerator, IdempotencyStore, Ledger, WebhookDispatcher, buildSimApp, send, type Transport } from '../core/index.js';
import { STRIPE_OUTCOMES } from './cards.js';
import type { StripeContext } from './context.js';
import { stripeError, stripeErrorShape } from './errors.js';
import { KEY_TTL_MS } from './idempotency.js';
import { StripeState } from './objects.js';
import { registerPaymentIntents } from './payment-intents.js';
import { registerRefunds } from './refunds.js';
import { registerBodyRules } from './request-body.js';
import { stripeSettlementCsv } from './settlement.js';
import { registerThreeDSecure } from './three-d-secure.js';
import { DEFAULT_WEBHOOK_SECRET, STRIPE_API_VERSION, stripeWebhookProtocol } from './webhooks.js';

export interface StripeSimOptions {
  /** Wall-clock time for ledger entries and `created` fields. */
  now?: () => Date;
  /** Seed of every random choice; the same seed and requests replay the same run. */
  seed?: number;
  /** The initial behaviour profile (validated; an invalid one throws PAYCHAOS_ERR_SIM_BAD_PROFILE). */
  profile?: unknown;
  /** Clock of the webhook retry ladder (e.g. `scaledClock(60)`: a simulated minute per second). */
  clock?: Clock;
  /** Endpoint secret that signs webhooks (`whsec_…`). */
  webhookSecret?: string;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (or Basic with it as user), as the real API demands. */
  apiKey?: string;
  /** How webhooks are sent (tests may capture them in memory). */
  transport?: Transport;
  /** Distinguishes ids of replicas started with one seed. */
  instanceId?: string;
  /**
   * Provider objects and idempotency keys kept per kind (default 200,000); the oldest are
   * forgotten past it, so memory stays bounded under long load. The ledger keeps everything.
   */
  retain?: number;
}

export interface StripeSim {
  readonly ledger: Ledger;
  readonly app: FastifyInstance;
  readonly behaviour: Behaviour;
  readonly webhooks: WebhookDispatcher;
  readonly seed: number;
  readonly webhookSecret: string;
}

export type StartedStripeSim = Listening & Omit<StripeSim, 'app'>;

/** Build the Stripe-style simulator's app (for in-process `inject()` tests). */
export function buildStripeSim(options: StripeSimOptions = {}): StripeSim {
  const injected = options.now;
  // Several clock reads per request: without an injected clock, read it without making Dates.
  const nowMs = injected ? () => injected().getTime() : Date.now;
  const seed = options.seed ?? randomSeed();
  const random = new Random(seed);
  const retain = options.retain ?? DEFAULT_RETAIN;
  const clock = options.clock ?? systemClock;
  const webhookSecret = options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET;
  const ledger = new Ledger('stripe', injected);
  // Independent streams: a change in how often one part draws does not shift another's choices.
  const behaviour = new Behaviour({ outcomeCodes: Object.keys(STRIPE_OUTCOMES), random: random.fork(), now: nowMs, initial: options.profile });
  const webhooks = new WebhookDispatcher({
    protocol: stripeWebhookProtocol(webhookSecret),
    clock,
    random: random.fork(),
    settings: () => behaviour.profile.webhooks,
    wallNow: nowMs,
    ...(options.transport ? { transport: options.transport } : {}),
  });
  const ctx: StripeContext = {
    ledger,
    state: new StripeState(retain),
    idempotency: new IdempotencyStore({ ttlMs: KEY_TTL_MS, clock: { now: nowMs }, maxKeys: retain }),
    behaviour,
    webhooks,
    ids: new IdGenerator(random.fork(), options.instanceId ?? ''),
    nowS: () => Math.floor(nowMs() / 1000),
  };
  const requestIds = new IdGenerator(random.fork());
  const app = buildSimApp({
    ledger,
    errors: stripeErrorShape,
    behaviour,
    webhooks,
    settlementCsv: () => stripeSettlementCsv(ledger.entries()),
    routes: (a) => {
      a.addHook('onRequest', (req, reply, done) => {
        if (!req.url.startsWith('/__sim/')) reply.header('request-id', requestIds.next('req', 14)).header('stripe-version', STRIPE_API_VERSION);
        done();
      });
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
      registerPaymentIntents(a, ctx);
      registerRefunds(a, ctx);
      registerThreeDSecure(a, ctx);
    },
  });
  app.addHook('onClose', async () => webhooks.close());
  return { ledger, app, behaviour, webhooks, seed, webhookSecret };
}

/** Start the Stripe-style simulator on 127.0.0.1 (port 0 unless given). */
export async function startStripeSim(options: StripeSimOptions & ListenOptions = {}): Promise<StartedStripeSim> {
  const { app, ...sim } = buildStripeSim(options);
  const listening = await listenFastify(app, options);
  return { ...listening, ...sim };
}

function bearerOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() === 'basic' && value) return Buffer.from(value, 'base64').toString('utf8').split(':')[0];
  return undefined;
}
