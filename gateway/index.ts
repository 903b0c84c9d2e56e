export { buildGateway, startGateway } from './server.js';
export type { GatewayOptions, GatewayRegression, PaymentResponse } from './server.js';
export { GatewayIdempotency } from './idempotency.js';
export type { GatewayResponse, KeyClaim } from './idempotency.js';
export { createProviderClient, gatewaySpeaks, GATEWAY_PROVIDERS } from './clients/index.js';
export type { ChargeRequest, ChargeResult, ProviderClient, ProviderConnection } from './clients/index.js';
export { gatewayConfigSchema, loadGatewayConfig, parseGatewayConfig, gatewayOptionsOf } from './config.js';
export type { GatewayConfig, GatewayConfigDocument, GatewayConfigOverrides } from './config.js';
export { startStandaloneGateway, announceLine } from './standalone.js';
