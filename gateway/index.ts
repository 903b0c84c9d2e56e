export { buildGateway, startGateway } from './server.js';
export type { BuiltGateway, GatewayOptions, GatewayRegression, PaymentResponse, StartedGateway } from './server.js';
export type { GatewayResponse } from './idempotency.js';
export { GatewayStore, recordWebhookEvent, openDb, ACCOUNTS } from './store/index.js';
export type { PaymentRecord, AttemptRecord, KeyClaim, RecoveryPoint, WebhookEvent as InboxEvent, JournalEntry, JournalLine, RefundBooking, GroupCommitOptions } from './store/index.js';
export { Recovery } from './recovery.js';
export type { RecoveryOptions } from './recovery.js';
export { createProviderClient, gatewaySpeaks, GATEWAY_PROVIDERS } from './clients/index.js';
export { AbandonedChallengeFallback, CHALLENGE_WAIT_MS } from './three-ds-abandoned-fallback.js';
export type { ChargeRequest, ChargeResult, ProviderClient, ProviderConnection, QueryRequest, QueryResult } from './clients/index.js';
export { gatewayConfigSchema, loadGatewayConfig, parseGatewayConfig, gatewayOptionsOf, configDocumentOf } from './config.js';
export type { GatewayConfig, GatewayConfigDocument, GatewayConfigOverrides } from './config.js';
export { startStandaloneGateway, announceLine } from './standalone.js';
// After the charge (docs/gateway-lifecycle.md): refunds, cancels, webhooks, shopper messages.
export type { RefundRequest, CancelRequest, LifecycleResult, RefundQuery, RefundStatus } from './clients/index.js';
export { webhookRoutes, ackFor, VERIFIERS, WEBHOOK_PROVIDERS, STRIPE_SUBSCRIBED_EVENTS } from './webhooks/index.js';
export type { WebhookEvent, WebhookEventType, VerifyResult, WebhookRoutesOptions } from './webhooks/index.js';
export { shopperMessage, languageOf, SHOPPER_MESSAGES } from './messages.js';
export type { Language } from './messages.js';
export { breakerSchema, retrySchema, routesSchema, sheddingSchema } from './resilience/index.js';
export { createRouter, LoadShedder, shedAnswer, routerSettingsOf, failoverRecord, failoverAttributes, RESILIENCE_DEFAULTS } from './resilience/index.js';
export type { Router, RoutedResult, RoutedAttempt, FailoverReason, BreakerSnapshot } from './resilience/index.js';
// The fees the gateway books with each capture (fees.ts): the providers' published prices, or the merchant's contract rates.
export { PROVIDER_FEES, captureFee, disputeFee, refundedFee, modelsFees, feeTable, feeOverrideSchema, feeOverridesSchema } from './fees.js';
export type { FeeOverride, FeeOverrides, FeeTable, ProviderFees } from './fees.js';
