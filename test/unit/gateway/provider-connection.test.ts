import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { buildGateway, createProviderClient, GATEWAY_PROVIDERS, type ProviderConnection } from '../../../gateway/index.js';
import { rsaPemPair } from './fake-provider.js';
import { buildUnionPaySim } from '../../../simulators/unionpay/index.js';

/**
 * A provider connection the gateway cannot use fails when the client is built, as
 * PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS (exit 2) naming the provider and the field — never a raw
 * OpenSSL or URL error, and never quoting a credential (they are secrets).
 */

const alipayKeys = rsaPemPair();
const wechatMerchant = rsaPemPair();
const wechatPlatform = rsaPemPair();
const ecPem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
// A UnionPay merchant's credentials need a real certificate chain: the simulator's test PKI.
const unionpay = buildUnionPaySim({ seed: 1 });
const GARBAGE_PEM = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ1dC1ub3QtYS1rZXk=\n-----END PRIVATE KEY-----\n';

/** Credentials each client is built from without complaint (what /__sim/keys would list). */
const GOOD: Readonly<Record<string, Record<string, unknown>>> = {
  stripe: { secretKey: 'sk_test_paychaos' },
  adyen: { apiKey: 'AQEyhmfxK4', merchantAccount: 'PaychaosECOM' },
  alipay: { appId: '2021000000000001', merchantPrivateKey: alipayKeys.privateKey, alipayPublicKey: alipayKeys.publicKey },
  wechatpay: { mchid: '1900000001', appid: 'wx0000000000000001', merchantSerial: 'MERCHANT1', merchantPrivateKey: wechatMerchant.privateKey, platformSerial: 'PLATFORM1', platformPublicKey: wechatPlatform.publicKey },
  paypal: { clientId: 'paychaos-client-id', clientSecret: 'paychaos-client-secret' },
  unionpay: { merId: unionpay.merId, certId: unionpay.keys.merchantCertId, merchantPrivateKey: unionpay.keys.merchantKey.export({ type: 'pkcs8', format: 'pem' }).toString(), middleCertificate: unionpay.keys.middlePem, rootCertificate: unionpay.keys.rootPem },
  'wiremock:localwallet': { apiKey: 'sk_test_paychaos' },
};

function refusal(provider: string, connection: ProviderConnection): { code: string; exitCode: number; message: string; details: Record<string, unknown> } {
  try {
    const client = createProviderClient(provider, connection);
    void client.close();
  } catch (err) {
    expect(isPaychaosError(err), `a coded error, got ${String(err)}`).toBe(true);
    return err as never;
  }
  throw new Error(`${provider} took ${JSON.stringify(connection)}`);
}

describe('createProviderClient, given a connection it can use', () => {
  it.each(GATEWAY_PROVIDERS)('builds the %s client from its credentials and a base URL', async (provider) => {
    await createProviderClient(provider, { url: 'http://127.0.0.1:1', credentials: GOOD[provider] }).close();
  });

  it.each(['stripe', 'adyen', 'paypal', 'wiremock:localwallet'])('builds the %s client with no credentials at all (the simulators\' defaults)', async (provider) => {
    await createProviderClient(provider, { url: 'https://127.0.0.1:8443/' }).close();
  });
});

describe('createProviderClient, given a base URL it cannot use', () => {
  const BAD_URLS = ['not a url', '', 'ftp://127.0.0.1:21', 'http://127.0.0.1:8080/v1', 'http://127.0.0.1:99999'];
  it.each(GATEWAY_PROVIDERS.flatMap((p) => BAD_URLS.map((url) => [p, url] as const)))('refuses %s at %j as bad credentials naming url', (provider, url) => {
    const err = refusal(provider, { url, credentials: GOOD[provider] });
    expect(err).toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS', exitCode: 2, details: { provider, field: 'url' } });
    expect(err.message).toMatch(new RegExp(`^${provider}: url `));
  });

  it('refuses a pool of no connections, naming the field', () => {
    expect(refusal('stripe', { url: 'http://127.0.0.1:1', connections: 0 })).toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS', details: { provider: 'stripe', field: 'connections' } });
  });
});

describe('createProviderClient, given credentials it cannot use', () => {
  it.each([
    ['alipay', {}, 'credentials.appId', ['credentials.appId', 'credentials.merchantPrivateKey', 'credentials.alipayPublicKey']],
    ['alipay', { ...GOOD.alipay, alipayPublicKey: undefined }, 'credentials.alipayPublicKey', ['credentials.alipayPublicKey']],
    ['wechatpay', { ...GOOD.wechatpay, merchantSerial: null, platformPublicKey: undefined }, 'credentials.merchantSerial', ['credentials.merchantSerial', 'credentials.platformPublicKey']],
  ])('refuses %s with credentials missing, naming every one at once', (provider, credentials, field, missing) => {
    const err = refusal(provider, { url: 'http://127.0.0.1:1', credentials });
    expect(err).toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS', exitCode: 2, details: { provider, field, missing } });
    for (const m of missing) expect(err.message).toContain(m);
  });

  it.each([
    ['alipay', 'merchantPrivateKey', 'not a pem'],
    ['alipay', 'merchantPrivateKey', GARBAGE_PEM],
    ['alipay', 'merchantPrivateKey', alipayKeys.publicKey],
    ['alipay', 'merchantPrivateKey', ecPem],
    ['alipay', 'alipayPublicKey', 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'],
    ['wechatpay', 'merchantPrivateKey', GARBAGE_PEM],
    ['wechatpay', 'platformPublicKey', 'not a pem'],
    ['wechatpay', 'platformPublicKey', ecPem],
  ])('refuses %s with a %s that is not an RSA PEM key, naming the field and not the key', (provider, field, pem) => {
    const err = refusal(provider, { url: 'http://127.0.0.1:1', credentials: { ...GOOD[provider], [field]: pem } });
    expect(err).toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS', exitCode: 2, details: { provider, field: `credentials.${field}` } });
    expect(err.message).not.toContain(pem.trim().split('\n')[1] ?? pem);
  });

  it.each([
    ['stripe', 'secretKey', 42],
    ['stripe', 'secretKey', 'sk_test_with a space'],
    ['stripe', 'secretKey', ''],
    ['adyen', 'apiKey', { key: 'AQE' }],
    ['adyen', 'apiKey', 'AQE\r\nx-evil: 1'],
    ['adyen', 'merchantAccount', 7],
    ['alipay', 'appId', 2021000000000001],
    ['wechatpay', 'mchid', ['1900000001']],
    ['wechatpay', 'merchantSerial', 'MERCHANT 1'],
    ['wechatpay', 'notifyUrl', 'not a url'],
    ['paypal', 'clientId', 7],
    ['paypal', 'clientSecret', false],
    ['wiremock:localwallet', 'apiKey', 'sk_test\npaychaos'],
    ['wiremock:localwallet', 'callbackUrl', 'ftp://127.0.0.1/hook'],
  ])('refuses %s with a %s of %j, naming the field and not the value', (provider, field, value) => {
    const err = refusal(provider, { url: 'http://127.0.0.1:1', credentials: { ...GOOD[provider], [field]: value } });
    expect(err).toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS', exitCode: 2, details: { provider, field: `credentials.${field}` } });
    if (typeof value === 'string' && value !== '' && !field.endsWith('Url')) expect(err.message).not.toContain(value);
  });

  it('refuses credentials that are not an object', () => {
    expect(refusal('stripe', { url: 'http://127.0.0.1:1', credentials: 'sk_test_paychaos' as never })).toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS', details: { provider: 'stripe', field: 'credentials' } });
  });
});

describe('buildGateway, given one provider connection it cannot use', () => {
  it('refuses the whole gateway with the coded error naming that provider and field', () => {
    expect(() =>
      buildGateway({
        providers: {
          stripe: { url: 'http://127.0.0.1:1' },
          alipay: { url: 'http://127.0.0.1:2', credentials: { ...GOOD.alipay, merchantPrivateKey: GARBAGE_PEM } },
        },
      }),
    ).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS', exitCode: 2, details: { provider: 'alipay', field: 'credentials.merchantPrivateKey' } }));
  });
});
