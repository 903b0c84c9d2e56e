import { describe, expect, it } from 'vitest';
import { VERIFIERS } from '../../../gateway/webhooks/index.js';

/**
 * A verifier that cannot use its credentials is the gateway's misconfiguration, not a forgery:
 * a coded PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS naming the provider and the field, never a raw
 * OpenSSL error, never the secret's value.
 */
describe('webhook credentials', () => {
  it.each([
    ['stripe', {}, 'credentials.webhookSecret'],
    ['adyen', { hmacKey: 'not-hex' }, 'credentials.hmacKey'],
    ['alipay', { appId: '2021', alipayPublicKey: '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----' }, 'credentials.alipayPublicKey'],
    ['wechatpay', { platformSerial: 'S', platformPublicKey: 'x', apiV3Key: 'short' }, 'credentials.'],
    ['paypal', { webhookId: 'WH', webhookCertificate: 'not a certificate' }, 'credentials.webhookCertificate'],
  ])('%s with %j throws BAD_CREDENTIALS naming %s', (provider, credentials, field) => {
    let thrown: unknown;
    try {
      VERIFIERS[provider]!({}, '{}', credentials);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS', details: { provider, field: expect.stringContaining(field) } });
    for (const v of Object.values(credentials)) if (String(v).length > 4) expect((thrown as Error).message).not.toContain(String(v));
  });
});
