export { buildGateway, startGateway } from './server.js';
export type { GatewayOptions, GatewayRegression, PaymentResponse } from './server.js';
export { GatewayIdempotency } from './idempotency.js';
export type { GatewayResponse, KeyClaim } from './idempotency.js';
