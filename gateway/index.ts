export { buildGateway, startGateway } from './server.js';
export type { GatewayOptions, GatewayRegression, PaymentResponse } from './server.js';
export { GatewayIdempotency } from './idempotency.js';
export type { GatewayResponse, KeyClaim } from './idempotency.js';
export { createProviderClient, gatewaySpeaks, GATEWAY_PROVIDERS } from './clients/index.js';
export type { ChargeRequest, ChargeResult, ProviderClient, ProviderConnection } from './clients/index.js';
export { gatewayConfigSchema, loadGatewayConfig, parseGatewayConfig, gatewayOptionsOf } from './config.js';
export type { GatewayConfig, GatewayConfigDocument, GatewayConfigOverrides } from './config.js';
export { startStandaloneGateway, announceLine } from './standalone.js';
// After the charge (docs/gateway-lifecycle.md): refunds, cancels, webhooks, shopper messages.
export type { RefundRequest, CancelRequest, LifecycleResult, RefundQuery, RefundStatus } from './clients/index.js';
export { webhookRoutes, ackFor, VERIFIERS, WEBHOOK_PROVIDERS } from './webhooks/index.js';
export type { WebhookEvent, WebhookEventType, VerifyResult, WebhookRoutesOptions } from './webhooks/index.js';
export { shopperMessage, languageOf, SHOPPER_MESSAGES } from './messages.js';
export type { Language } from './messages.js';
export { createRouter, LoadShedder, shedAnswer, routerSettingsOf, failoverRecord, failoverAttributes, RESILIENCE_DEFAULTS } from './resilience/index.js';
export type { Router, RoutedResult, RoutedAttempt, FailoverReason, BreakerSnapshot } from './resilience/index.js';
