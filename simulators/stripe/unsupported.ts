import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { send } from '../core/index.js';
import { stripeError } from './errors.js';

/**
 * Stripe resources the simulator deliberately does not simulate (simulators/README.md says
 * why): they answer as Stripe answers a URL it does not recognise — 404 invalid_request_error in
 * Stripe's error shape, so an SDK raises its usual StripeInvalidRequestError — with a message that
 * names the resource, rather than a bare "unrecognized" that would look like a typo.
 */
export const NOT_SIMULATED: Readonly<Record<string, string>> = Object.freeze({
  setup_intents: 'SetupIntents (saving a card without a payment: attach a PaymentMethod to a Customer instead)',
  subscriptions: 'Billing (subscriptions)',
  invoices: 'Billing (invoices)',
  prices: 'Billing (prices)',
  products: 'Billing (products)',
  'checkout/sessions': 'Checkout Sessions (a hosted page)',
  payment_links: 'Payment Links (a hosted page)',
  payouts: 'Payouts',
  // Transfers are read-only here: destination charges create them (connect.ts); POST /v1/transfers is not simulated.
  accounts: 'Connect accounts',
  sources: 'Sources (deprecated by Stripe)',
  tokens: 'Tokens (use the test tokens such as tok_visa, or test PaymentMethods such as pm_card_visa)',
  balance: 'the balance',
  events: 'the Events API (events are delivered as webhooks; the simulator keeps no event log to list)',
  webhook_endpoints: 'webhook endpoint management (the endpoint is the behaviour profile\'s webhooks.url)',
});

export function registerNotSimulated(app: FastifyInstance): void {
  const answer = (resource: string) => async (req: FastifyRequest, reply: FastifyReply) =>
    send(reply, {
      status: 404,
      body: stripeError(
        'invalid_request_error',
        `Unrecognized request URL (${req.method}: ${req.url.split('?')[0]}). The paychaos Stripe simulator does not simulate ${NOT_SIMULATED[resource]}; simulators/README.md lists what it does.`,
      ),
    });
  for (const resource of Object.keys(NOT_SIMULATED)) {
    app.all(`/v1/${resource}`, answer(resource));
    app.all(`/v1/${resource}/*`, answer(resource));
  }
}
