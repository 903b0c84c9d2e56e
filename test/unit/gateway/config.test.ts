import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDocumentOf, gatewayOptionsOf, loadGatewayConfig, parseGatewayConfig } from '../../../gateway/index.js';

describe('the standalone gateway config', () => {
  it('fills defaults, lets flags win, and freezes the result', () => {
    const config = parseGatewayConfig({ port: 8080, providers: { stripe: { url: 'http://127.0.0.1:1' } } }, { port: 9090, variant: 'canary' });
    expect(config).toMatchObject({ host: '127.0.0.1', port: 9090, variant: 'canary', providers: { stripe: { url: 'http://127.0.0.1:1' } } });
    expect(Object.isFrozen(config.providers)).toBe(true);
    // The router's settings ride along (routes, breakers, retries: none given, so the defaults apply).
    expect(gatewayOptionsOf(config)).toEqual({ providers: config.providers, variant: 'canary', resilience: { breakers: { stripe: undefined }, regression: {} } });
  });

  it('hands the run labels (scenario, runId) to the gateway and through a child\'s document; an empty one is refused by name', () => {
    const config = parseGatewayConfig({ providers: { stripe: { url: 'http://127.0.0.1:1' } }, scenario: 'psp-outage', runId: 'run-7' });
    const options = gatewayOptionsOf(config);
    expect([options.scenario, options.runId]).toEqual(['psp-outage', 'run-7']);
    const again = gatewayOptionsOf(parseGatewayConfig(JSON.parse(JSON.stringify(configDocumentOf(options)))));
    expect([again.scenario, again.runId]).toEqual(['psp-outage', 'run-7']);
    expect(() => parseGatewayConfig({ providers: { stripe: { url: 'http://127.0.0.1:1' } }, scenario: '' })).toThrow(/scenario/);
    expect(() => parseGatewayConfig({ providers: { stripe: { url: 'http://127.0.0.1:1' } }, senario: 'x' })).toThrow(/senario/);
  });

  it('hands routes, breakers, retries, shedding and the regressions to the gateway', () => {
    const config = parseGatewayConfig({
      providers: { stripe: { url: 'http://127.0.0.1:1', breaker: { failureThreshold: 2 } }, adyen: { url: 'http://127.0.0.1:2' } },
      routes: { 'pm_card_*': ['stripe', 'adyen'] },
      retry: { maxAttempts: 3 },
      shedding: { maxInFlight: 7 },
      regression: { noFailover: true, ignoreWebhookSignature: true },
    });
    const options = gatewayOptionsOf(config);
    expect(options.resilience).toMatchObject({ routes: { 'pm_card_*': ['stripe', 'adyen'] }, breakers: { stripe: { failureThreshold: 2 } }, retry: { maxAttempts: 3 }, regression: { noFailover: true } });
    expect(options.shedding).toEqual({ maxInFlight: 7 });
    expect(options.regression).toMatchObject({ ignoreWebhookSignature: true });
  });

  it('configDocumentOf is the inverse of gatewayOptionsOf: a child process validates and runs what an in-process gateway would', () => {
    const document = {
      providers: { stripe: { url: 'http://127.0.0.1:1', breaker: { failureThreshold: 2 } }, adyen: { url: 'http://127.0.0.1:2' } },
      routes: { 'pm_card_*': ['stripe', 'adyen'] },
      breaker: { halfOpenAfterMs: 100 },
      retry: { maxAttempts: 3 },
      shedding: { maxInFlight: 7 },
      regression: { noFailover: true, seed: 4, skipOrderGuard: true },
    };
    const options = gatewayOptionsOf(parseGatewayConfig(document));
    const again = gatewayOptionsOf(parseGatewayConfig(JSON.parse(JSON.stringify(configDocumentOf(options)))));
    expect(again).toEqual(options);
    // Without the translation the strict schema refuses the options' own shape (the check above can fail).
    expect(() => parseGatewayConfig(JSON.parse(JSON.stringify(options)))).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CONFIG' }));
  });

  it('lists every problem with its path, coded, exit 2', () => {
    let err: unknown;
    try {
      parseGatewayConfig({ port: -1, variant: 'blue', logLevel: 'loud', regression: { providerErrorRate: 2, typo: 1 }, providers: { stripe: { url: 3, colour: 'red' } } });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CONFIG', exitCode: 2 });
    const fields = (err as { details: { fields: string[] } }).details.fields;
    expect(fields).toEqual(expect.arrayContaining(['port', 'variant', 'logLevel', 'regression.providerErrorRate', 'regression', 'providers.stripe.url', 'providers.stripe']));
  });

  it('refuses a config naming no provider, and a document that is not a mapping', () => {
    expect(() => parseGatewayConfig({ providers: {} })).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CONFIG', message: expect.stringContaining('providers: name at least one provider') }));
    expect(() => parseGatewayConfig([1, 2])).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CONFIG' }));
  });

  it('reads YAML from a file or JSON inline, but not both at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-gw-config-'));
    try {
      const file = join(dir, 'gateway.yaml');
      writeFileSync(file, 'variant: canary\nproviders:\n  adyen: { url: "http://127.0.0.1:2" }\n');
      expect(await loadGatewayConfig({ file })).toMatchObject({ variant: 'canary', providers: { adyen: { url: 'http://127.0.0.1:2' } } });
      expect(await loadGatewayConfig({ inline: '{"providers":{"paypal":{"url":"http://127.0.0.1:3"}}}' })).toMatchObject({ providers: { paypal: {} } });
      await expect(loadGatewayConfig({ file, inline: '{}' })).rejects.toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CONFIG' });
      await expect(loadGatewayConfig({ inline: '{not json' })).rejects.toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CONFIG', message: expect.stringContaining('PAYCHAOS_GATEWAY_CONFIG') });
      await expect(loadGatewayConfig({ file: join(dir, 'missing.yaml') })).rejects.toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CONFIG' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
