import { describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../../src/kernel/index.js';
import { gatewayOptionsOf, parseGatewayConfig } from '../../../../gateway/index.js';
import { channelsFor, routerSettingsOf, routeOf } from '../../../../gateway/resilience/index.js';

const providers = { stripe: { url: 'http://127.0.0.1:1' }, adyen: { url: 'http://127.0.0.1:2' }, alipay: { url: 'http://127.0.0.1:3' } };

function problems(document: unknown): string[] {
  try {
    parseGatewayConfig(document);
  } catch (err) {
    if (isPaychaosError(err) && err.code === 'PAYCHAOS_ERR_GATEWAY_BAD_CONFIG') return (err.details as { problems: string[] }).problems;
    throw err;
  }
  throw new Error('expected PAYCHAOS_ERR_GATEWAY_BAD_CONFIG');
}

describe('the resilience settings of the gateway config', () => {
  it('accepts routes, breakers (global and per provider), retry, shedding and the new regressions', () => {
    const config = parseGatewayConfig({
      providers: { ...providers, stripe: { url: 'http://127.0.0.1:1', breaker: { failureThreshold: 2 } } },
      routes: { 'pm_card_*': ['stripe', 'adyen'], pm_alipay: ['alipay', 'adyen'] },
      breaker: { failureThreshold: 5, halfOpenAfterMs: 2000 },
      retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200, budgetRatio: 0.2 },
      shedding: { maxInFlight: 100, retryAfterS: 2 },
      regression: { retryWithNewKey: true, failoverOnUnknown: true, noFailover: false, timeoutMs: 50 },
    });
    const settings = routerSettingsOf(config);
    expect(settings.breakers?.stripe).toEqual({ failureThreshold: 2 });
    expect(settings.regression).toEqual({ retryWithNewKey: true, failoverOnUnknown: true, noFailover: false });
    // timeoutMs replaces every provider's timeout for the clients.
    expect(Object.values(gatewayOptionsOf(config).providers).map((c) => c.timeoutMs)).toEqual([50, 50, 50]);
  });

  it('without routes keeps today\'s behaviour: a payment goes where it names, with no backup', () => {
    const config = parseGatewayConfig({ providers });
    expect(config.routes).toBeUndefined();
    expect(channelsFor(config.routes, 'pm_card_visa', 'adyen', 'stripe')).toEqual(['adyen']);
    expect(gatewayOptionsOf(config).providers).toBe(config.providers);
  });

  it('refuses a route naming a provider that is not configured, naming the path and the fix', () => {
    const found = problems({ providers, routes: { 'pm_card_*': ['stripe', 'paypal'], pm_alipay: ['alipay', 'alipay'] } });
    expect(found).toEqual([
      expect.stringMatching(/^routes\.pm_card_\*\[1\]: provider "paypal" is not configured: add it under providers/),
      expect.stringMatching(/^routes\.pm_alipay\[1\]: provider "alipay" is already channel 0/),
    ]);
  });

  it('reports every bad setting at once with its path', () => {
    const found = problems({
      providers: { ...providers, adyen: { url: 'http://127.0.0.1:2', breaker: { threshold: 3 } } },
      routes: { 'pm card': ['stripe'], pm_paypal: [] },
      breaker: { halfOpenAfterMs: 0 },
      retry: { maxAttempts: 0, jitter: 'full' },
      shedding: { maxInFlight: -1 },
      regression: { timeoutMs: 0, retryWithNewKey: 'yes' },
    });
    const paths = found.map((p) => p.split(':')[0]);
    expect(paths).toEqual(expect.arrayContaining(['providers.adyen.breaker', 'routes.pm card', 'routes.pm_paypal', 'breaker.halfOpenAfterMs', 'retry.maxAttempts', 'retry', 'shedding.maxInFlight', 'regression.timeoutMs', 'regression.retryWithNewKey']));
  });

  it('matches an exact payment method before the longest prefix', () => {
    const routes = { 'pm_*': ['a'], 'pm_card_*': ['b'], pm_card_visa: ['c'] };
    expect(routeOf(routes, 'pm_card_visa')).toEqual(['c']);
    expect(routeOf(routes, 'pm_card_mastercard')).toEqual(['b']);
    expect(routeOf(routes, 'pm_alipay')).toEqual(['a']);
    expect(routeOf(routes, 'card')).toBeUndefined();
  });
});
