export { runConstantArrivalRate, validateArrivalRate } from './constant-arrival-rate.js';
export type { ArrivalRateOptions, ArrivalRateStats, Iteration } from './constant-arrival-rate.js';
export { LagMonitor } from './lag-monitor.js';
export { seededRng, pickWeighted } from './rng.js';
export type { Rng } from './rng.js';
export { planShopper } from './demo-traffic.js';
export type { ShopperPlan, ShopperRequest, ShopperBehaviour } from './demo-traffic.js';
export { GatewayClient, classify } from './gateway-client.js';
export type { AttemptResult, PaymentAttempt } from './gateway-client.js';
