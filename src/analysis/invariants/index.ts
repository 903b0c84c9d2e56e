export { checkNoDoubleCharge } from './no-double-charge.js';
export type { InvariantResult, InvariantViolation, LedgerRow } from './no-double-charge.js';
export { PlacedOrders, checkCapturesWithinOrders } from './captures-within-orders.js';
export { checkReconciliationClean } from './reconciliation-clean.js';
export { checkLedgerBalances } from './ledger-balances.js';
export { checkRefundsWithinCaptures } from './refunds-within-captures.js';
export { checkVoidNeverCaptured } from './void-never-captured.js';
export { checkForgedWebhooksRejected } from './forged-webhooks-rejected.js';
export type { WebhookAttemptRow } from './forged-webhooks-rejected.js';
