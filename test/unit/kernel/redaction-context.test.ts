import { describe, expect, it } from 'vitest';
import { REDACTED, luhnValid, redact, redactString } from '../../../src/kernel/index.js';
import '../../../src/conventions/index.js'; // registers every provider descriptor's redaction

/**
 * Issue #18 item 4: the redactor missed card numbers written with dots and masked Adyen
 * pspReferences (16-digit ids) that happen to pass Luhn. It now redacts by context: a glued
 * digit run in an id field is an id; separated card-number shapes are masked everywhere.
 */
const PSP = '8815329842815467'; // a 16-digit pspReference that passes Luhn
const PAN = '4242424242424242';

describe('redaction by context', () => {
  it('the fixture id really is Luhn-valid (else the tests below prove nothing)', () => {
    expect(luhnValid(PSP)).toBe(true);
  });

  it.each([
    ['dots', '4242.4242.4242.4242'],
    ['dots, amex grouping', '3782.822463.10005'],
    ['spaces', '4242 4242 4242 4242'],
    ['dashes', '4242-4242-4242-4242'],
  ])('masks a PAN written with %s, in free text and in any field', (_name, written) => {
    expect(redactString(`card ${written} declined`)).toBe(`card [REDACTED PAN …${written.replace(/\D/g, '').slice(-4)}] declined`);
    expect(JSON.stringify(redact({ note: written, pspReference: written }))).not.toMatch(/\d{4}\D\d{4,6}\D\d{4,5}/);
  });

  it('keeps a Luhn-valid pspReference readable, in objects, nested notifications, JSON text and forms', () => {
    expect(redact({ pspReference: PSP })).toEqual({ pspReference: PSP });
    expect(redact({ notificationItems: [{ NotificationRequestItem: { pspReference: PSP, originalReference: PSP } }] })).toEqual({
      notificationItems: [{ NotificationRequestItem: { pspReference: PSP, originalReference: PSP } }],
    });
    expect(redactString(`{"pspReference":"${PSP}","resultCode":"Authorised"}`)).toBe(`{"pspReference":"${PSP}","resultCode":"Authorised"}`);
    expect(redactString(`pspReference=${PSP}&eventCode=AUTHORISATION`)).toBe(`pspReference=${PSP}&eventCode=AUTHORISATION`);
    expect(redactString(`{\\"pspReference\\":\\"${PSP}\\"}`)).toBe(`{\\"pspReference\\":\\"${PSP}\\"}`);
    // Generic id fields and other providers' trade numbers too.
    expect(redact({ id: PSP, merchantReference: PSP, trade_no: '2026120622001404' })).toEqual({ id: PSP, merchantReference: PSP, trade_no: '2026120622001404' });
    expect(redact({ providerPaymentId: PSP, payment_id: PSP, ref: PSP })).toEqual({ providerPaymentId: PSP, payment_id: PSP, ref: PSP });
    // Spelled like an id, not merely ending in the letters: `paid` and `valid` are no ids.
    expect(redact({ paid: PAN, valid: PAN, href: PAN })).toEqual({ paid: '[REDACTED PAN …4242]', valid: '[REDACTED PAN …4242]', href: '[REDACTED PAN …4242]' });
  });

  it('still masks the same digits as a card number: in card fields, free text, and as a number', () => {
    expect(redact({ card: { number: PSP } })).toEqual({ card: { number: REDACTED } });
    expect(redact({ note: `paid with ${PAN}` })).toEqual({ note: 'paid with [REDACTED PAN …4242]' });
    expect(redactString(`{"number":"${PAN}","pspReference":"${PSP}"}`)).toBe(`{"number":"[REDACTED PAN …4242]","pspReference":"${PSP}"}`);
    expect(redact({ amount: Number(PAN) })).toEqual({ amount: REDACTED });
  });

  it('a reference field does not launder a card number written with separators', () => {
    expect(redact({ pspReference: '4242 4242 4242 4242' })).toEqual({ pspReference: '[REDACTED PAN …4242]' });
  });

  it('leaves decimals, versions and addresses alone (one dot is a decimal point)', () => {
    const ordinary = { ts: '1733512345.123456', version: '1.2.3', url: 'http://127.0.0.1:8080', ratio: '4242424242424242.5' };
    // The last one: a glued Luhn-valid run before a decimal point is still a PAN in free text.
    expect(redact(ordinary)).toEqual({ ...ordinary, ratio: '[REDACTED PAN …4242].5' });
  });

  it('masks provider secrets the descriptors name (Adyen encrypted fields, WeChat apiV3Key, PayPal client secret)', () => {
    expect(redact({ encryptedSecurityCode: 'adyenjs_0_1_25$abc', apiV3Key: 'k'.repeat(32), clientSecret: 'EL1sh', ciphertext: 'zzz' })).toEqual({
      encryptedSecurityCode: REDACTED,
      apiV3Key: REDACTED,
      clientSecret: REDACTED,
      ciphertext: REDACTED,
    });
    expect(redactString('client secret pi_3Nabcdefgh_secret_XYZ123abc in the answer')).toBe(`client secret ${REDACTED} in the answer`);
  });
});

describe('free text: only a provider id name keeps a glued number readable', () => {
  it('masks a card number after a word merely spelled like an id, and keeps one after pspReference', async () => {
    const { redactString } = await import('../../../src/kernel/index.js');
    // Words an id could be called, in a message or a query string: the number is still a card's.
    for (const text of ['xID=4242424242424242', 'ref:4242424242424242', 'order id=4242424242424242', '&id=4242424242424242']) {
      expect(redactString(text), text).not.toContain('4242424242424242');
    }
    // A provider's own id name (a form-encoded notification): a Luhn-valid pspReference stays readable.
    expect(redactString('pspReference=8816178952380559&merchantReference=o1')).toContain('8816178952380559');
  });
});

describe('URL-encoded text', () => {
  it('masks a card number written in a query string or form body, separators encoded', () => {
    for (const text of ['return?note=paid%20with%204242%204242%204242%204242', 'note=4242+4242+4242+4242&x=1', '/v2/orders/4242%2D4242%2D4242%2D4242', 'q=card%3A4242424242424242']) {
      const out = redactString(text);
      expect(out, text).toContain('[REDACTED PAN …4242]');
      expect(out.replace(/%20|[+ .-]|%2D/g, ''), text).not.toContain('424242424242');
    }
  });

  it('leaves encoded text without a card number exactly as it was', () => {
    for (const text of ['https://shop.example/return?note=paid%20with%20cash&id=ord_1', 'amount=12+34', 'ts=2026%2012%2006']) expect(redactString(text)).toBe(text);
  });
});
