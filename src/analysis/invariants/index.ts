export { checkNoDoubleCharge } from './no-double-charge.js';
export type { InvariantResult, InvariantViolation, LedgerRow } from './no-double-charge.js';
export { PlacedOrders, checkCapturesWithinOrders } from './captures-within-orders.js';
export { checkForgedWebhooksRejected } from './forged-webhooks-rejected.js';
export type { WebhookAttemptRow } from './forged-webhooks-rejected.js';
