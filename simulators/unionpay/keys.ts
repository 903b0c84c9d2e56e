import { X509Certificate, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { issueCertificate } from '../core/index.js';

/**
 * The test PKI a merchant meets on UnionPay's test environment, issued afresh per simulator:
 *
 *   root CA ─▶ middle CA ─▶ UnionPay signing certificate (answers, notifications: signPubKeyCert)
 *   merchant certificate (self-signed here; real ones come from UnionPay's CFCA): requests' certId
 *
 * UnionPay's docs tell the merchant to check that the signing certificate chains to the middle
 * and root certificates, is within its validity, and that its CN's third `@` part is
 * 中国银联股份有限公司 (production) or `00040000:SIGN` (test environment) — this is the test one.
 */
export interface UnionPayKeys {
  readonly rootPem: string;
  readonly middlePem: string;
  readonly signKey: KeyObject;
  readonly signCertPem: string;
  readonly merchantKey: KeyObject;
  readonly merchantCertPem: string;
  /** The merchant certificate's serial in decimal: what requests send as certId. */
  readonly merchantCertId: string;
}

const rsa = (): KeyObject => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const YEAR_MS = 365 * 24 * 3600 * 1000;

/** The serial of a PEM certificate in decimal, as UnionPay's certId is written. */
export function certIdOf(pem: string): string {
  return BigInt(`0x${new X509Certificate(pem).serialNumber}`).toString(10);
}

export function unionPayKeys(now: Date, serialSeed: string): UnionPayKeys {
  const notBefore = new Date(now.getTime() - YEAR_MS);
  const notAfter = new Date(now.getTime() + 5 * YEAR_MS);
  const rootKey = rsa();
  const rootName = { C: 'CN', O: 'China Financial Certification Authority', CN: 'CFCA TEST CS CA' } as const;
  const root = issueCertificate({ publicKey: rootKey, subject: rootName, serial: '01', notBefore, notAfter, signingKey: rootKey, ca: true });
  const middleKey = rsa();
  const middleName = { C: 'CN', O: 'China Financial Certification Authority', CN: 'CFCA TEST OCA1' } as const;
  const middle = issueCertificate({ publicKey: middleKey, subject: middleName, serial: '02', notBefore, notAfter, issuer: { name: rootName, publicKey: rootKey }, signingKey: rootKey, ca: true });
  const byMiddle = { name: middleName, publicKey: middleKey };
  const signKey = rsa();
  const sign = issueCertificate({
    publicKey: signKey,
    subject: { C: 'CN', O: 'CFCA TEST OCA1', OU: 'Organizational-2', CN: '041@Z12@00040000:SIGN@00000062' },
    serial: `6${serialSeed}1`,
    notBefore,
    notAfter,
    issuer: byMiddle,
    signingKey: middleKey,
  });
  const merchantKey = rsa();
  const merchant = issueCertificate({ publicKey: merchantKey, subject: { C: 'CN', O: 'paychaos test merchant', CN: '777290058110048' }, serial: `4${serialSeed}3`, notBefore, notAfter, signingKey: merchantKey });
  return {
    rootPem: root.pem,
    middlePem: middle.pem,
    signKey,
    signCertPem: sign.pem,
    merchantKey,
    merchantCertPem: merchant.pem,
    merchantCertId: certIdOf(merchant.pem),
  };
}
