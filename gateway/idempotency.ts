/**
 * What the gateway answers a request, as the idempotency-key store keeps it for replay. The key
 * store itself is gateway/store/idempotency-keys.ts (SQLite, with recovery points), which replaced
 * the in-memory map that lived here: keys now survive a restart.
 */
export interface GatewayResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Finished idempotency keys kept (the `retain` setting's default): a day of a busy shop, far beyond any test's retry horizon. */
export const GATEWAY_RETAIN = 1_000_000;
