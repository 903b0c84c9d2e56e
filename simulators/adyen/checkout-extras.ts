import type { FastifyInstance } from 'fastify';
import type { AdyenContext } from './context.js';
import { registerPaymentMethods } from './payment-methods.js';
import { registerSessions } from './sessions.js';
import { registerStandaloneCancel } from './standalone-cancel.js';
import { registerThreeDS2Acs } from './three-ds2.js';

/**
 * The Checkout API beyond /payments and modifications: payment methods, sessions, the
 * standalone cancel by merchant reference, and the simulated 3DS2 ACS. One call from server.ts,
 * so the server's wiring stays one line per area.
 */
export function registerCheckoutExtras(app: FastifyInstance, ctx: AdyenContext): void {
  registerPaymentMethods(app, ctx);
  registerSessions(app, ctx);
  registerStandaloneCancel(app, ctx);
  registerThreeDS2Acs(app, ctx);
}
