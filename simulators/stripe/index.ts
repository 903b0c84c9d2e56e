export { buildStripeSim, startStripeSim } from './server.js';
export type { StripeSim, StripeSimOptions } from './server.js';
export { STRIPE_CODE_TABLE, normaliseStripeCode } from './codes.js';
export { TEST_PAYMENT_METHODS, cardBehaviour } from './cards.js';
export type { PaymentIntent, PaymentIntentStatus } from './payment-intents.js';
