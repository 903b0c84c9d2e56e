import type { FastifyInstance } from 'fastify';
import { listenFastify, type ListenOptions, type Listening } from '../../src/stack/index.js';
import { Ledger, buildSimApp } from '../core/index.js';
import { stripeErrorShape } from './errors.js';
import { IdempotencyStore } from './idempotency.js';
import { registerPaymentIntents } from './payment-intents.js';

export interface StripeSimOptions {
  now?: () => Date;
}

export interface StripeSim {
  readonly ledger: Ledger;
  readonly app: FastifyInstance;
}

/** Build the Stripe-style simulator's app (for in-process `inject()` tests). */
export function buildStripeSim(options: StripeSimOptions = {}): StripeSim {
  const now = options.now ?? (() => new Date());
  const ledger = new Ledger('stripe', now);
  const idempotency = new IdempotencyStore();
  const app = buildSimApp({
    ledger,
    errors: stripeErrorShape,
    routes: (a) => registerPaymentIntents(a, { ledger, idempotency, now }),
  });
  return { ledger, app };
}

/** Start the Stripe-style simulator on 127.0.0.1 (port 0 unless given). */
export async function startStripeSim(options: StripeSimOptions & ListenOptions = {}): Promise<Listening & { readonly ledger: Ledger }> {
  const sim = buildStripeSim(options);
  const listening = await listenFastify(sim.app, options);
  return { ...listening, ledger: sim.ledger };
}
