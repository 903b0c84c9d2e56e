import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { issueCertificate } from '../core/index.js';

/**
 * The merchant's API certificate, `apiclient_cert.pem`: what WeChat's certificate tool issues
 * with `apiclient_key.pem`, and what SDK set-ups read to learn the merchant serial (the
 * certificate's serial number, the `serial_no` of every request's Authorization header) or to
 * present as a TLS client certificate. Real ones are issued by Tenpay's CA; ours by a test CA
 * made at start (a fresh RSA key, its own self-signed certificate, served as `ca.pem`), so a
 * merchant can check the chain against that CA — and a check against Tenpay's real root fails,
 * as it should for test credentials.
 *
 * Subject as WeChat writes it: CN the mchid, O 微信商户系统, OU the merchant's name, C CN,
 * L ShenZhen. Valid five years from a day before start, like WeChat's.
 */
export interface MerchantCertificate {
  /** `apiclient_cert.pem`: serial = the merchant serial, public key = the merchant's. */
  readonly pem: string;
  /** The test CA that signed it. */
  readonly caPem: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

const LIFETIME_MS = 5 * 365 * 24 * 3_600_000;
const BACKDATE_MS = 24 * 3_600_000;
const CA_NAME = { C: 'CN', O: 'Tenpay.com (paychaos test CA)', OU: 'Tenpay.com CA Center', CN: 'Tenpay.com Root CA (simulated)' } as const;

/** A serial X.509 can carry and that reads back unchanged: upper-case hex, whole bytes, no leading 00, ≤ 20 bytes. */
export const isCertificateSerial = (serial: string): boolean => /^(?:[0-9A-F]{2}){1,20}$/.test(serial) && !serial.startsWith('00');

export function merchantCertificate(merchantPublicKey: KeyObject, serial: string, mchid: string, now: Date): MerchantCertificate | undefined {
  // A serial given by the merchant that no certificate could carry: there is no certificate to hand out.
  if (!isCertificateSerial(serial)) return undefined;
  const ca = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const notBefore = new Date(Math.floor((now.getTime() - BACKDATE_MS) / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + LIFETIME_MS);
  const caCert = issueCertificate({ publicKey: ca.publicKey, signingKey: ca.privateKey, serial: '01', subject: CA_NAME, notBefore, notAfter: new Date(notAfter.getTime() + LIFETIME_MS), ca: true });
  const leaf = issueCertificate({
    publicKey: merchantPublicKey,
    signingKey: ca.privateKey,
    issuer: { name: CA_NAME, publicKey: ca.publicKey },
    serial,
    subject: { C: 'CN', L: 'ShenZhen', O: '微信商户系统', OU: `paychaos test merchant ${mchid}`, CN: mchid },
    notBefore,
    notAfter,
  });
  return { pem: leaf.pem, caPem: caCert.pem, notBefore, notAfter };
}

/**
 * The merchant's files under the names WeChat's tool gives them, for SDK set-ups that read
 * `apiclient_cert.pem` / `apiclient_key.pem`: `GET /__sim/keys/apiclient_cert.pem`,
 * `/__sim/keys/apiclient_key.pem` (only when the simulator generated the merchant key: a test
 * key) and `/__sim/keys/ca.pem`; 404 when there is no such file. Issued once, when registered.
 */
export function registerMerchantKeyFiles(
  app: FastifyInstance,
  ctx: { readonly mchid: string; readonly keys: { readonly merchantSerial: string; readonly merchantPublicKey: KeyObject; readonly merchantPrivateKey: KeyObject | undefined }; now(): Date },
): MerchantCertificate | undefined {
  const cert = merchantCertificate(ctx.keys.merchantPublicKey, ctx.keys.merchantSerial, ctx.mchid, ctx.now());
  const files: Record<string, string | undefined> = {
    'apiclient_cert.pem': cert?.pem,
    'ca.pem': cert?.caPem,
    'apiclient_key.pem': ctx.keys.merchantPrivateKey?.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  app.get('/__sim/keys/:file', async (req, reply) => {
    const text = files[(req.params as { file: string }).file];
    if (text === undefined) return reply.code(404).send({ error: `no such key file; served: ${Object.keys(files).filter((f) => files[f] !== undefined).join(', ')}` });
    return reply.type('application/x-pem-file').send(text);
  });
  return cert;
}
