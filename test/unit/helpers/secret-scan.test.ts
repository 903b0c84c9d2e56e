import { describe, expect, it } from 'vitest';
import { scanText } from '../../helpers/secret-scan.js';

/** The scan itself, on known answers: what it must catch, and what it must let through. */
describe('the secret scan used on every file a run writes', () => {
  it.each([
    ['a glued PAN in a log line', '{"msg":"paid with 4242424242424242"}', 'pan'],
    ['a PAN with dots', 'card 4242.4242.4242.4242 ok', 'pan'],
    ['a PAN with spaces', 'card 5555 5555 5555 4444 ok', 'pan'],
    ['a test PAN even under an id key', '{"paymentId":"4242424242424242"}', 'pan'],
    ['a CVC in a card field', 'card[cvc]=737&card[number]=x', 'cvc'],
    ['a CVC in JSON', '{"cvc":"123"}', 'cvc'],
    ['a PEM private key', '-----BEGIN PRIVATE KEY-----\\nMIIE', 'secret'],
    ['a Stripe-Signature', 'stripe-signature: t=1733512345,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd', 'signature'],
    ['an Alipay sign', '"sign":"ERITJKEIJKJHKKKKKKKHJEREEEEEEEEEEEEEEEEEEEE"', 'signature'],
    ['a WeChat Pay Authorization', 'authorization: WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="x"', 'signature'],
  ])('finds %s', (_name, text, kind) => {
    expect(scanText(text, 'f', []).map((f) => f.kind)).toContain(kind);
  });

  it('finds a stack credential verbatim', () => {
    expect(scanText('{"secretKey":"sk_test_paychaos"}', 'f', ['sk_test_paychaos'])).toHaveLength(1);
  });

  it('lets through what runs write legitimately: ids, timestamps, amounts, masked values', () => {
    const ok = [
      '{"pspReference":"4815329842815466","paymentId":"4815329842815466","at":1765051234567}',
      '{"trade_no":"2026120622001404","amount":4200,"ts":"1733512345.123456"}',
      '{"card":{"number":"[REDACTED]","cvc":"[REDACTED]"},"note":"[REDACTED PAN …4242]","sign":"[REDACTED]"}',
      'authorization: [REDACTED]',
    ].join('\n');
    expect(scanText(ok, 'f', ['sk_test_paychaos'])).toEqual([]);
  });
});

describe('secret scan: ids that merely contain digits', () => {
  it('does not take a Luhn-valid digit run inside a hex trace id for a card number, but still finds one written on its own', async () => {
    const { scanText } = await import('../../helpers/secret-scan.js');
    // 6131821078668793 passes Luhn and starts like a card network's number.
    expect(scanText('{"traceId":"ffb98b34039552be6131821078668793"}', 'log', [])).toEqual([]);
    expect(scanText('{"note":"6131821078668793"}', 'log', []).map((f) => f.kind)).toEqual(['pan']);
  });
});
