import type { GatewayConfig } from '../config.js';
import type { ProviderConnection } from '../clients/index.js';
import type { RouterSettings } from './router.js';

/**
 * From a validated gateway config to what the router and the clients are built with, so the
 * server needs no knowledge of the settings' shape.
 */
export function routerSettingsOf(config: Readonly<GatewayConfig>): RouterSettings {
  const breakers = Object.fromEntries(Object.entries(config.providers).map(([name, c]) => [name, c.breaker]));
  const r = config.regression ?? {};
  return {
    ...(config.routes !== undefined ? { routes: config.routes } : {}),
    ...(config.breaker !== undefined ? { breaker: config.breaker } : {}),
    breakers,
    ...(config.retry !== undefined ? { retry: config.retry } : {}),
    regression: {
      ...(r.retryWithNewKey !== undefined ? { retryWithNewKey: r.retryWithNewKey } : {}),
      ...(r.failoverOnUnknown !== undefined ? { failoverOnUnknown: r.failoverOnUnknown } : {}),
      ...(r.noFailover !== undefined ? { noFailover: r.noFailover } : {}),
    },
    ...(r.seed !== undefined ? { seed: r.seed } : {}),
  };
}

/**
 * The providers' connections as the clients are built with them. The `timeoutMs` regression
 * replaces every provider's timeout — a release that shipped a too-short timeout. Without it the
 * connections are the config's own objects, unchanged.
 */
export function clientConnectionsOf(config: Readonly<GatewayConfig>): Readonly<Record<string, ProviderConnection>> {
  const short = config.regression?.timeoutMs;
  if (short === undefined) return config.providers;
  return Object.fromEntries(Object.entries(config.providers).map(([name, c]) => [name, { ...c, timeoutMs: short }]));
}
