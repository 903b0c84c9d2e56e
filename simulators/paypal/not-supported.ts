import type { FastifyInstance } from 'fastify';
import { send } from '../core/index.js';
import type { PaypalContext } from './context.js';

/**
 * PayPal APIs the simulator deliberately does not simulate. Each answers as PayPal answers an
 * account that is not enabled for a feature — 403 NOT_AUTHORIZED, issue PERMISSION_DENIED — with
 * the description naming what is missing, so an integration fails loudly in PayPal's own shape
 * instead of meeting a 404 it might read as "no such order". Unknown paths are PayPal's
 * 404 RESOURCE_NOT_FOUND. simulators/README.md lists these and says why.
 */
export const PAYPAL_NOT_SIMULATED: ReadonlyArray<{ readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT'; readonly path: string; readonly what: string }> = Object.freeze([
  { method: 'POST', path: '/v2/payments/authorizations/:id/reauthorize', what: 'reauthorization (after the 3-day honor period)' },
  { method: 'POST', path: '/v2/checkout/orders/:id/confirm-payment-source', what: 'confirm-payment-source' },
  { method: 'POST', path: '/v2/checkout/orders/:id/track', what: 'shipment tracking' },
  { method: 'PATCH', path: '/v2/checkout/orders/:id/trackers/:trackerId', what: 'shipment tracking' },
  ...(['GET', 'POST', 'DELETE'] as const).flatMap((method) => [
    { method, path: '/v3/vault/*', what: 'vaulting (saved PayPal accounts and cards)' },
    { method, path: '/v1/billing/*', what: 'subscriptions and billing plans' },
  ]),
  { method: 'GET', path: '/v1/reporting/transactions', what: 'transaction search' },
  { method: 'GET', path: '/v1/reporting/balances', what: 'balances' },
  { method: 'POST', path: '/v1/notifications/webhooks', what: 'webhook subscriptions (the simulator sends to the profile\'s webhooks.url)' },
  { method: 'GET', path: '/v1/notifications/webhooks', what: 'webhook subscriptions (the simulator sends to the profile\'s webhooks.url)' },
]);

export function registerNotSimulated(app: FastifyInstance, ctx: PaypalContext): void {
  for (const { method, path, what } of PAYPAL_NOT_SIMULATED) {
    app.route({ method, url: path, handler: async (_req, reply) => send(reply, ctx.errors.issue('PERMISSION_DENIED', { description: `Not simulated by paychaos: ${what}. See simulators/README.md (PayPal).` })) });
  }
}
