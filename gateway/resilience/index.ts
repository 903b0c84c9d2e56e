/**
 * Resilience of the reference gateway: routes (per payment method, channels in order), a circuit
 * breaker per provider, retries the codes allow under the same key with full jitter and a budget,
 * failover only where the charge certainly did not happen, and load shedding. The server calls
 * `createRouter(...).charge` for each payment and `LoadShedder.enter()` before it
 * (docs/gateway-resilience.md).
 */
export { createRouter, failoverAttributes, failoverRecord } from './router.js';
export type { CallRole, Router, RouterOptions, RouterSettings, RoutedAttempt, RoutedResult, RoutableClient } from './router.js';
export { ProviderBreaker, isProviderFailure } from './breaker.js';
export type { BreakerSnapshot, BreakerState, Breakered } from './breaker.js';
export { failoverReasonOf } from './failover.js';
export type { FailoverReason } from './failover.js';
export { mayRetry, fullJitterMs, RetryBudget } from './retry.js';
export { channelsFor, routeOf, routeProblems } from './routes.js';
export { LoadShedder, shedAnswer, eventLoopDelayProbe } from './shedding.js';
export type { ShedDecision } from './shedding.js';
export { DEFAULTS as RESILIENCE_DEFAULTS, breakerSchema, retrySchema, sheddingSchema, routesSchema, resilienceRegressionShape, breakerWithDefaults, retryWithDefaults, sheddingWithDefaults } from './settings.js';
export type { BreakerSettings, RetrySettings, SheddingSettings, Routes, ResilienceRegression } from './settings.js';
export { routerSettingsOf, clientConnectionsOf } from './from-config.js';
