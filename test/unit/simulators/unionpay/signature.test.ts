import { createHash, createSign, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UnionPayTrust, parseUnionPayAnswer, unionPaySign, unionPaySignContent } from '../../../../gateway/clients/index.js';
import { issueCertificate } from '../../../../simulators/core/index.js';
import { upopSign, upopSignContent, upopVerify } from '../../../../simulators/unionpay/index.js';

/**
 * UnionPay 5.1.0 signatures (signMethod 01): the simulator's and the gateway's implementations
 * against each other and against the published rule written out here with node:crypto, each
 * check with a negative control that must fail.
 */
// 1024-bit: these keys only need to differ, and a dozen 2048-bit ones take seconds.
const rsa = (): KeyObject => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
const FIELDS = { version: '5.1.0', txnType: '01', orderId: 'order0001', txnAmt: '100', merId: '777290058110048', encoding: 'UTF-8' };

/** A test PKI of our own: root → middle → a signing certificate named `cn`. */
function pki(cn: string, validity: { from: Date; to: Date } = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000) }) {
  const rootKey = rsa();
  const middleKey = rsa();
  const signKey = rsa();
  const root = issueCertificate({ publicKey: rootKey, subject: { CN: 'test root' }, serial: '01', notBefore: validity.from, notAfter: new Date(Date.now() + 10 * 86_400_000), signingKey: rootKey, ca: true });
  const middle = issueCertificate({ publicKey: middleKey, subject: { CN: 'test middle' }, serial: '02', notBefore: validity.from, notAfter: new Date(Date.now() + 10 * 86_400_000), issuer: { name: { CN: 'test root' }, publicKey: rootKey }, signingKey: rootKey, ca: true });
  const sign = issueCertificate({ publicKey: signKey, subject: { CN: cn }, serial: '03', notBefore: validity.from, notAfter: validity.to, issuer: { name: { CN: 'test middle' }, publicKey: middleKey }, signingKey: middleKey });
  return { trust: new UnionPayTrust('unionpay', middle.pem, root.pem), signKey, signPem: sign.pem };
}

describe('the string signed', () => {
  it('is every field but signature, sorted by name in ASCII order, k=v joined by &', () => {
    const content = 'encoding=UTF-8&merId=777290058110048&orderId=order0001&txnAmt=100&txnType=01&version=5.1.0';
    expect(upopSignContent({ ...FIELDS, signature: 'x' })).toBe(content);
    expect(unionPaySignContent({ ...FIELDS, signature: 'x' })).toBe(content);
    // ASCII, not alphabetical: capitals first.
    expect(upopSignContent({ b: '1', B: '2', a: '3' })).toBe('B=2&a=3&b=1');
  });

  it('is signed as the lower-case hex of its SHA-256, SHA256withRSA, as the published rule says', () => {
    const key = rsa();
    const signature = upopSign(FIELDS, key);
    expect(unionPaySign(FIELDS, key)).toBe(signature);
    const hex = createHash('sha256').update(upopSignContent(FIELDS)).digest('hex');
    expect(createVerify('RSA-SHA256').update(hex).verify(key, signature, 'base64')).toBe(true);
    // Negative control: the content itself (no hex step) is not what was signed.
    expect(createVerify('RSA-SHA256').update(upopSignContent(FIELDS)).verify(key, signature, 'base64')).toBe(false);
    expect(createSign('RSA-SHA256').update(upopSignContent(FIELDS)).sign(key, 'base64')).not.toBe(signature);
  });

  it('verifies in the simulator only unchanged fields under the right key', () => {
    const key = rsa();
    const signed = { ...FIELDS, signature: upopSign(FIELDS, key) };
    expect(upopVerify(signed, key)).toBe(true);
    expect(upopVerify({ ...signed, txnAmt: '101' }, key)).toBe(false);
    expect(upopVerify({ ...signed, extra: '' }, key)).toBe(false);
    expect(upopVerify(signed, rsa())).toBe(false);
    expect(upopVerify({ ...signed, signature: 'not base64 at all' }, key)).toBe(false);
  });
});

describe('the gateway trusts an answer only through the certificate chain', () => {
  const good = pki('041@Z12@00040000:SIGN@00000062');
  const answer = (p = good, fields: Record<string, string> = FIELDS) => {
    const all = { ...fields, signPubKeyCert: p.signPem };
    return { ...all, signature: upopSign(all, p.signKey) };
  };

  it('takes a signing certificate of the middle one, named UnionPay, within its validity', () => {
    expect(good.trust.problem(answer())).toBeUndefined();
    const production = pki('041@Z12@中国银联股份有限公司@00000062');
    expect(production.trust.problem(answer(production))).toBeUndefined();
  });

  it('refuses a changed field, a certificate from another chain, another CN, an expired certificate, a missing signature', () => {
    expect(good.trust.problem({ ...answer(), txnAmt: '1' })).toMatch(/does not verify/);
    const other = pki('041@Z12@00040000:SIGN@00000062');
    expect(good.trust.problem(answer(other))).toMatch(/not issued by the middle/);
    const named = pki('041@Z12@Someone Else@00000062');
    expect(named.trust.problem(answer(named))).toMatch(/not UnionPay's/);
    const expired = pki('041@Z12@00040000:SIGN@00000062', { from: new Date(Date.now() - 10 * 86_400_000), to: new Date(Date.now() - 86_400_000) });
    expect(expired.trust.problem(answer(expired))).toMatch(/validity/);
    const { signature: _s, ...unsigned } = answer();
    expect(good.trust.problem(unsigned)).toBe('no signature');
  });

  it('refuses a middle certificate the root did not issue', () => {
    const rootKey = rsa();
    const root = issueCertificate({ publicKey: rootKey, subject: { CN: 'other root' }, serial: '09', notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000), signingKey: rootKey, ca: true });
    const middleKey = rsa();
    const middle = issueCertificate({ publicKey: middleKey, subject: { CN: 'test middle' }, serial: '0A', notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000), signingKey: middleKey, ca: true });
    expect(() => new UnionPayTrust('unionpay', middle.pem, root.pem)).toThrow(/middleCertificate/);
  });
});

describe('reading an answer', () => {
  it('splits k=v&… with raw values, keeping & inside {…} and = inside values', () => {
    expect(parseUnionPayAnswer('respCode=00&reserved={a=1&b=2}&signPubKeyCert=-----BEGIN==\nx&queryId=1')).toEqual({ respCode: '00', reserved: '{a=1&b=2}', signPubKeyCert: '-----BEGIN==\nx', queryId: '1' });
  });
});
