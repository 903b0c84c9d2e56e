import { createHash, createPublicKey, sign, type KeyObject } from 'node:crypto';

/**
 * A minimal X.509 v3 certificate issuer, because node:crypto can parse certificates
 * (`X509Certificate`) but not make them, and providers hand out certificates, not bare keys:
 * WeChat Pay's platform certificate (`GET /v3/certificates`), PayPal's webhook certificate
 * (`PAYPAL-CERT-URL`). It writes exactly one shape — RSA key, SHA256withRSA, names of a few
 * string attributes, a validity, four extensions — and nothing else:
 *
 *   Certificate  ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
 *   TBSCertificate ::= SEQUENCE {
 *     [0] EXPLICIT version INTEGER 2 (v3),  serialNumber INTEGER,  signature AlgorithmIdentifier,
 *     issuer Name,  validity SEQUENCE { notBefore Time, notAfter Time },  subject Name,
 *     subjectPublicKeyInfo (node exports it as DER, "spki"),  [3] EXPLICIT extensions }
 *
 * DER rules this file relies on (X.690):
 * - Length: under 128 one byte; otherwise 0x80 | n, then the length in n big-endian bytes.
 * - INTEGER is two's complement, minimal: leading zero bytes are dropped, and a 0x00 is put back
 *   in front when the first byte has its high bit set, or the number would read as negative.
 *   So serial `80` is encoded `02 02 00 80`, and `X509Certificate.serialNumber` reads back `80`.
 * - Time (RFC 5280 §4.1.2.5): UTCTime `YYMMDDHHMMSSZ` for years 1950–2049, GeneralizedTime
 *   `YYYYMMDDHHMMSSZ` otherwise; whole seconds, UTC.
 * - BIT STRING starts with the count of unused bits in its last byte.
 */

/** Name attributes, written in this order (RFC 4514 reads them back reversed). */
const NAME_ATTRIBUTES = [
  ['C', '2.5.4.6'],
  ['ST', '2.5.4.8'],
  ['L', '2.5.4.7'],
  ['O', '2.5.4.10'],
  ['OU', '2.5.4.11'],
  ['CN', '2.5.4.3'],
] as const;

export type DistinguishedName = { readonly CN: string } & Readonly<Partial<Record<(typeof NAME_ATTRIBUTES)[number][0], string>>>;

export interface CertificateOptions {
  /** The key the certificate is about (the subject's); a private key is reduced to its public half. */
  readonly publicKey: KeyObject;
  readonly subject: DistinguishedName;
  /** Hex, as providers print serials (`3775B6A4…`); upper or lower case, at most 20 bytes. */
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Who signs: absent, the certificate is self-signed and `signingKey` is the subject's own private key. */
  readonly issuer?: { readonly name: DistinguishedName; readonly publicKey: KeyObject };
  /** The private key that signs: the subject's when self-signed, else the issuer's. RSA. */
  readonly signingKey: KeyObject;
  /** basicConstraints cA and keyUsage keyCertSign/cRLSign: a certificate that may sign others. */
  readonly ca?: boolean;
}

export interface IssuedCertificate {
  readonly der: Buffer;
  readonly pem: string;
}

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

/** Issue a certificate. Throws RangeError on a serial or validity X.509 cannot carry. */
export function issueCertificate(o: CertificateOptions): IssuedCertificate {
  if (o.signingKey.type !== 'private' || o.signingKey.asymmetricKeyType !== 'rsa') throw new RangeError('signingKey must be an RSA private key');
  if (!(o.notAfter.getTime() >= o.notBefore.getTime())) throw new RangeError('notAfter must not be before notBefore');
  const subjectKey = o.publicKey.type === 'private' ? createPublicKey(o.publicKey) : o.publicKey;
  const spki = subjectKey.export({ type: 'spki', format: 'der' });
  const issuerKey = o.issuer ? (o.issuer.publicKey.type === 'private' ? createPublicKey(o.issuer.publicKey) : o.issuer.publicKey) : subjectKey;
  const ca = o.ca ?? false;
  // digitalSignature (bit 0), plus keyCertSign (bit 5) and cRLSign (bit 6) for a CA.
  const keyUsage = ca ? 0x80 | 0x04 | 0x02 : 0x80;
  const algorithm = seq(oid(SHA256_WITH_RSA), NULL);
  const tbs = seq(
    tlv(0xa0, derInteger(Buffer.from([2]))),
    derInteger(serialBytes(o.serial)),
    algorithm,
    name(o.issuer?.name ?? o.subject),
    seq(derTime(o.notBefore), derTime(o.notAfter)),
    name(o.subject),
    spki,
    tlv(
      0xa3,
      seq(
        extension('2.5.29.19', true, seq(...(ca ? [tlv(0x01, Buffer.from([0xff]))] : []))),
        extension('2.5.29.15', true, bitString(Buffer.from([keyUsage]), trailingZeroBits(keyUsage))),
        extension('2.5.29.14', false, tlv(0x04, keyId(spki))),
        extension('2.5.29.35', false, seq(tlv(0x80, keyId(issuerKey.export({ type: 'spki', format: 'der' }))))),
      ),
    ),
  );
  const der = seq(tbs, algorithm, bitString(sign('sha256', tbs, o.signingKey), 0));
  const base64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return { der, pem: `-----BEGIN CERTIFICATE-----\n${base64}-----END CERTIFICATE-----\n` };
}

/** DER length octets. */
export function derLength(n: number): Buffer {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`bad DER length ${n}`);
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
};
const seq = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
const NULL = Buffer.from([0x05, 0x00]);
const bitString = (bytes: Buffer, unusedBits: number): Buffer => tlv(0x03, Buffer.from([unusedBits]), bytes);
const extension = (id: string, critical: boolean, value: Buffer): Buffer => seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
/** RFC 5280 §4.2.1.2 allows any unique method: the first 160 bits of SHA-256 over the SPKI. */
const keyId = (spki: Buffer): Buffer => createHash('sha256').update(spki).digest().subarray(0, 20);

function trailingZeroBits(byte: number): number {
  let n = 0;
  while (n < 8 && (byte & (1 << n)) === 0) n++;
  return n;
}

/** DER INTEGER of a non-negative number given as big-endian bytes: minimal, with a sign byte when needed. */
export function derInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const minimal = bytes.length === 0 ? Buffer.from([0]) : bytes.subarray(start);
  return tlv(0x02, (minimal[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), minimal]) : minimal);
}

/** Object identifier: 40·first + second, then each arc in base 128, high bit set on all but the last byte. */
function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const groups = [arc % 128];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift(0x80 | (v % 128));
    out.push(...groups);
  }
  return tlv(0x06, Buffer.from(out));
}

function serialBytes(hex: string): Buffer {
  if (!/^[0-9A-Fa-f]{1,40}$/.test(hex)) throw new RangeError(`serial must be 1–40 hex digits (at most 20 bytes), got "${hex}"`);
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  // RFC 5280 §4.1.2.2: a positive number; zero is not a serial.
  if (bytes.every((b) => b === 0)) throw new RangeError('serial must not be zero');
  return bytes;
}

/** DER Time: UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
export function derTime(at: Date): Buffer {
  const year = at.getUTCFullYear();
  if (!Number.isFinite(at.getTime()) || year < 0 || year > 9999) throw new RangeError(`certificate time out of range: ${String(at)}`);
  const digits = at.toISOString().slice(0, 19).replace(/[-T:]/g, '');
  return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii')) : tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'));
}

function name(dn: DistinguishedName): Buffer {
  const rdns: Buffer[] = [];
  for (const [key, id] of NAME_ATTRIBUTES) {
    const value = dn[key];
    if (value === undefined) continue;
    // countryName must be a two-letter PrintableString (RFC 5280 Appendix A); the rest UTF8String.
    if (key === 'C' && !/^[A-Z]{2}$/.test(value)) throw new RangeError(`C must be a two-letter country code, got "${value}"`);
    rdns.push(tlv(0x31, seq(oid(id), tlv(key === 'C' ? 0x13 : 0x0c, Buffer.from(value, 'utf8')))));
  }
  return seq(...rdns);
}
