import { describe, expect, it } from 'vitest';
import { MIX_PRESETS } from '../../../load/lib/index.js';
import { PROVIDERS, PROVIDER_NAMES, fitsOrderNumbering, providerDescriptor, providersWithApiKeyCheck, providersWithShopperStep } from '../../../src/conventions/index.js';
import { REDACTED, isPaychaosError, luhnValid, redact } from '../../../src/kernel/index.js';
import { GATEWAY_PROVIDERS } from '../../../src/stack/index.js';
import { SIMULATOR_NAMES } from '../../../simulators/index.js';

/**
 * The provider descriptors (src/conventions/providers) are the one list: the traffic mixes, the
 * simulators' registry, the reference gateway and the redaction must agree with them, so adding
 * a provider is the files simulators/README.md "Adding a provider" names, and a forgotten one
 * fails here.
 */
describe('provider descriptors', () => {
  it('name the providers every part knows: simulators (native and WireMock) and the gateway', () => {
    expect([...PROVIDER_NAMES].sort()).toEqual([...GATEWAY_PROVIDERS].sort());
    expect(PROVIDER_NAMES.filter((n) => PROVIDERS[n]!.simulator === 'native').sort()).toEqual([...SIMULATOR_NAMES].sort());
    for (const n of PROVIDER_NAMES.filter((n) => PROVIDERS[n]!.simulator === 'wiremock')) expect(n).toMatch(/^wiremock:/);
  });

  it('agree with every traffic mix preset: each entry names a known provider, its method and its payment methods', () => {
    for (const [preset, mix] of Object.entries(MIX_PRESETS)) {
      mix.forEach((entry, i) => {
        const d = providerDescriptor(entry.provider, `${preset}[${i}].provider`);
        expect([d.method, ...(d.otherMethods ?? [])], `${preset}[${i}]`).toContain(entry.method);
        for (const [pm] of entry.paymentMethods) expect(d.paymentMethods, `${preset}[${i}] ${pm}`).toContain(pm);
      });
    }
    // `--mix all` is every provider.
    expect([...new Set(MIX_PRESETS.all.map((e) => e.provider))].sort()).toEqual([...PROVIDER_NAMES].sort());
  });

  it('say which providers have a shopper step and which check an API key', () => {
    expect(providersWithShopperStep()).toEqual(['stripe', 'adyen', 'alipay', 'wechatpay', 'paypal']);
    expect(providersWithApiKeyCheck()).toEqual(['stripe', 'adyen']);
  });

  it.each([
    ['alipay', 'demo_20261206T203820Z_f7bb55_1', true],
    ['alipay', 'demo-20261206T203820Z-f7bb55-1', false], // no dashes: the gateway maps them
    ['alipay', 'x'.repeat(65), false],
    ['wechatpay', 'ord-1|a*b', true],
    ['wechatpay', 'short', false], // 6–32
    ['wechatpay', 'x'.repeat(33), false],
    ['adyen', 'x'.repeat(80), true],
    ['adyen', 'x'.repeat(81), false],
  ])('order numbering: %s takes %j → %s', (provider, orderId, fits) => {
    expect(fitsOrderNumbering(provider, orderId)).toBe(fits);
  });

  it('an unknown provider is PAYCHAOS_ERR_PROVIDER_UNKNOWN naming the field and every known one', () => {
    let err: unknown;
    try {
      providerDescriptor('bitpay', 'mix[3].provider');
    } catch (e) {
      err = e;
    }
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_PROVIDER_UNKNOWN')).toBe(true);
    expect((err as Error).message).toBe('mix[3].provider: provider "bitpay" is unknown; known providers: stripe, adyen, alipay, wechatpay, paypal, unionpay, wiremock:localwallet, wiremock:ecny, wiremock:cryptopay');
    // Inherited names are not providers.
    expect(() => providerDescriptor('toString')).toThrow(/is unknown/);
  });

  describe('redaction: the logger masks what each descriptor names, and keeps its ids', () => {
    const secrets = PROVIDER_NAMES.flatMap((n) => PROVIDERS[n]!.redaction.secretKeys.map((k) => [n, k] as const));
    it.each(secrets)('%s: %s is masked, in an object and in JSON text', (_provider, key) => {
      expect(redact({ [key]: 'value-that-is-secret-0123' })).toEqual({ [key]: REDACTED });
      expect(JSON.stringify(redact({ body: JSON.stringify({ [key]: 'value-that-is-secret-0123' }) }))).not.toContain('value-that-is-secret-0123');
    });

    const references = PROVIDER_NAMES.flatMap((n) => (PROVIDERS[n]!.redaction.referenceKeys ?? []).map((k) => [n, k] as const));
    it.each(references)('%s: %s keeps a Luhn-valid 16-digit id', (_provider, key) => {
      const id = '4815329842815466';
      expect(luhnValid(id)).toBe(true);
      expect(redact({ [key]: id })).toEqual({ [key]: id });
    });

    it.each(PROVIDER_NAMES.flatMap((n) => (PROVIDERS[n]!.redaction.shapes ?? []).map((s) => [n, s] as const)))('%s: the shape %s is a valid, bounded pattern', (_provider, shape) => {
      expect(() => new RegExp(shape, 'gi')).not.toThrow();
    });
  });
});
