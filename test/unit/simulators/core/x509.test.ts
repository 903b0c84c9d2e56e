import { X509Certificate, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derInteger, derLength, derTime, issueCertificate, type DistinguishedName } from '../../../../simulators/core/index.js';

/**
 * The X.509 builder in simulators/core/x509.ts (it lives here because the WeChat Pay platform
 * certificate is its first user; PayPal's webhook certificate is the second). Every certificate is
 * judged by node's own parser, `crypto.X509Certificate`, which is OpenSSL's.
 */
const hex = (b: Buffer) => b.toString('hex').toUpperCase();
const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });

describe('DER encoding', () => {
  it.each([
    [0, '00'],
    [1, '01'],
    [127, '7F'],
    [128, '8180'],
    [255, '81FF'],
    [256, '820100'],
    [65_535, '82FFFF'],
    [65_536, '83010000'],
  ])('writes length %i as %s (short form below 128, else 0x80|n and n bytes)', (n, expected) => {
    expect(hex(derLength(n))).toBe(expected);
  });

  it.each([
    ['00', '020100'],
    ['01', '020101'],
    ['7F', '02017F'],
    ['80', '02020080'],
    ['FF', '020200FF'],
    ['0000017F', '0202017F'],
    ['00007F', '02017F'],
    ['000080', '02020080'],
    ['3775B6A45ACD588826D15E583A95F5DD3DF4C8E1', '02143775B6A45ACD588826D15E583A95F5DD3DF4C8E1'],
    ['F0000000000000000000000000000000000000FF', '021500F0000000000000000000000000000000000000FF'],
  ])('writes unsigned %s as the minimal two\'s-complement INTEGER %s', (value, expected) => {
    expect(hex(derInteger(Buffer.from(value, 'hex')))).toBe(expected);
  });

  it.each([
    ['2026-11-11T00:00:01.999Z', 0x17, '261111000001Z'],
    ['1950-01-01T00:00:00Z', 0x17, '500101000000Z'],
    ['2049-12-31T23:59:59Z', 0x17, '491231235959Z'],
    ['2050-01-01T00:00:00Z', 0x18, '20500101000000Z'],
    ['1949-12-31T23:59:59Z', 0x18, '19491231235959Z'],
    ['9999-12-31T23:59:59Z', 0x18, '99991231235959Z'],
  ])('writes %s as tag %i "%s" (UTCTime 1950–2049, GeneralizedTime otherwise; whole seconds)', (iso, tag, text) => {
    const der = derTime(new Date(iso));
    expect(der[0]).toBe(tag);
    expect(der[1]).toBe(text.length);
    expect(der.subarray(2).toString('ascii')).toBe(text);
  });
});

describe('issueCertificate', () => {
  // 1024 is below what anyone should use, but it shows the builder does not assume a key size.
  const keys = [1024, 2048, 3072].map((modulusLength) => ({ modulusLength, ...generateKeyPairSync('rsa', { modulusLength }) }));
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const subject: DistinguishedName = { C: 'CN', ST: 'Guangdong', L: 'Shenzhen', O: '财付通 (simulated)', OU: 'CA Center', CN: 'Tenpay.com sign' };
  const notBefore = new Date('2026-11-10T16:00:00Z');
  const notAfter = new Date('2031-11-09T16:00:00Z');

  // Node prints serials as OpenSSL does: upper-case hex, whole bytes, no leading zero byte.
  const serials = [
    ['3775B6A45ACD588826D15E583A95F5DD3DF4C8E1', '3775B6A45ACD588826D15E583A95F5DD3DF4C8E1'],
    ['01', '01'],
    ['80', '80'],
    ['FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF', 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF'],
    ['abc', '0ABC'],
    ['0001F4', '01F4'],
  ] as const;

  for (const { modulusLength, publicKey, privateKey } of keys) {
    it.each(serials)(`self-signs a ${modulusLength}-bit key with serial %s that node parses and verifies (serialNumber %s)`, (serial, shown) => {
      const { pem, der } = issueCertificate({ publicKey, signingKey: privateKey, serial, subject, notBefore, notAfter });
      expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/);
      const cert = new X509Certificate(pem);
      expect(Buffer.compare(cert.raw, der)).toBe(0);
      expect(cert.serialNumber).toBe(shown);
      expect(cert.verify(publicKey)).toBe(true);
      expect(cert.verify(stranger.publicKey)).toBe(false);
      expect(cert.checkPrivateKey(privateKey)).toBe(true);
      expect(spki(cert.publicKey)).toEqual(spki(publicKey));
      expect(cert.subject.split('\n')).toEqual(['C=CN', 'ST=Guangdong', 'L=Shenzhen', 'O=财付通 (simulated)', 'OU=CA Center', 'CN=Tenpay.com sign']);
      expect(cert.issuer).toBe(cert.subject);
      expect(Date.parse(cert.validFrom)).toBe(notBefore.getTime());
      expect(Date.parse(cert.validTo)).toBe(notAfter.getTime());
      expect(cert.ca).toBe(false);
      expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(modulusLength);
    });
  }

  it('accepts a private key as the subject key and carries validities past 2049 as GeneralizedTime', () => {
    const { publicKey, privateKey } = keys[1]!;
    const late = { notBefore: new Date('1949-06-01T12:00:00Z'), notAfter: new Date('2060-01-01T00:00:00Z') };
    const cert = new X509Certificate(issueCertificate({ publicKey: privateKey, signingKey: privateKey, serial: '2A', subject: { CN: 'long lived' }, ...late }).pem);
    expect(spki(cert.publicKey)).toEqual(spki(publicKey));
    expect(Date.parse(cert.validFrom)).toBe(late.notBefore.getTime());
    expect(Date.parse(cert.validTo)).toBe(late.notAfter.getTime());
    expect(cert.subject).toBe('CN=long lived');
  });

  it('issues from a simulator CA: the leaf verifies with the CA key, names the CA as issuer, and is issued by the CA certificate', () => {
    const ca = keys[1]!;
    const leaf = keys[0]!;
    const caName: DistinguishedName = { C: 'CN', O: 'paychaos', CN: 'paychaos simulator CA' };
    const caCert = new X509Certificate(issueCertificate({ publicKey: ca.publicKey, signingKey: ca.privateKey, serial: '01', subject: caName, notBefore, notAfter, ca: true }).pem);
    const leafCert = new X509Certificate(
      issueCertificate({ publicKey: leaf.publicKey, signingKey: ca.privateKey, issuer: { name: caName, publicKey: ca.publicKey }, serial: 'C0FFEE', subject: { CN: 'leaf' }, notBefore, notAfter }).pem,
    );
    expect(caCert.ca).toBe(true);
    expect(caCert.verify(ca.publicKey)).toBe(true);
    expect(leafCert.verify(ca.publicKey)).toBe(true);
    expect(leafCert.verify(leaf.publicKey)).toBe(false);
    expect(leafCert.issuer).toBe(caCert.subject);
    expect(leafCert.checkIssued(caCert)).toBe(true);
    expect(spki(leafCert.publicKey)).toEqual(spki(leaf.publicKey));
  });

  it('produces a signature that a single flipped bit breaks', () => {
    const { publicKey, privateKey } = keys[1]!;
    const { der } = issueCertificate({ publicKey, signingKey: privateKey, serial: '42', subject: { CN: 'tamper' }, notBefore, notAfter });
    const tampered = Buffer.from(der);
    tampered[tampered.length - 1]! ^= 1;
    expect(new X509Certificate(tampered).verify(publicKey)).toBe(false);
  });

  it.each([
    ['a zero serial', { serial: '00' }],
    ['a serial of more than 20 bytes', { serial: '1'.repeat(41) }],
    ['a serial that is not hex', { serial: 'PUB_KEY_ID_0114' }],
    ['notAfter before notBefore', { notAfter: new Date('2020-01-01T00:00:00Z') }],
    ['a year X.509 cannot write', { notAfter: new Date('+010000-01-01T00:00:00Z') }],
    ['a country that is not two letters', { subject: { C: 'China', CN: 'x' } }],
    ['a signing key that is not an RSA private key', { signingKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey }],
  ])('refuses %s with a RangeError', (_what, override) => {
    const { publicKey, privateKey } = keys[0]!;
    expect(() => issueCertificate({ publicKey, signingKey: privateKey, serial: '01', subject: { CN: 'x' }, notBefore, notAfter, ...override })).toThrow(RangeError);
  });
});
