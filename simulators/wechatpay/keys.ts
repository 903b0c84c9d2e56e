import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { issueCertificate } from '../core/index.js';

/**
 * The credentials of a WeChat Pay merchant: its API key pair (it signs requests; WeChat knows the
 * public key by the certificate serial), the platform key pair (WeChat signs responses and
 * notifications, named by `Wechatpay-Serial`), and the 32-character APIv3 key that encrypts
 * notification resources and the downloaded platform certificate. Missing keys are generated at start.
 *
 * WeChat names its platform key in one of two ways, and a merchant integration is written for one:
 * - `certificate` (the classic mode, and what the SDKs' automatic setup expects): the key comes in
 *   an X.509 certificate downloaded from `GET /v3/certificates`; `Wechatpay-Serial` is that
 *   certificate's serial number, upper-case hex (`3775B6A4…`).
 * - `publicKey` (WeChat's only mode for merchants registered since late 2024): the merchant
 *   downloads a bare public key from the merchant platform, named `PUB_KEY_ID_…`; there is no
 *   certificate, and `GET /v3/certificates` answers 404 RESOURCE_NOT_EXISTS "证书不存在".
 */
export type PlatformKeyMode = 'certificate' | 'publicKey';

/** The platform certificate (certificate mode): PEM, and the validity `GET /v3/certificates` reports. */
export interface PlatformCertificate {
  readonly pem: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** Platform certificates are issued for five years; ours took effect a day before the simulator started. */
const CERT_LIFETIME_MS = 5 * 365 * 24 * 3_600_000;
const CERT_BACKDATE_MS = 24 * 3_600_000;

export interface WechatKeys {
  readonly merchantSerial: string;
  readonly merchantPublicKey: KeyObject;
  /** Only when generated here: a client needs it to sign. */
  readonly merchantPrivateKey: KeyObject | undefined;
  readonly platformSerial: string;
  readonly platformPrivateKey: KeyObject;
  readonly platformPublicKey: KeyObject;
  readonly platformKeyMode: PlatformKeyMode;
  /** Present in certificate mode; its serial number is `platformSerial`. */
  readonly platformCertificate: PlatformCertificate | undefined;
  readonly apiV3Key: string;
}

export type KeyInput = string | KeyObject;

export interface WechatKeyOptions {
  merchantPublicKey?: KeyInput;
  merchantSerial?: string;
  platformPrivateKey?: KeyInput;
  platformSerial?: string;
  /** Default: `publicKey` when `platformSerial` is a `PUB_KEY_ID_…` id, otherwise `certificate`. */
  platformKeyMode?: PlatformKeyMode;
  apiV3Key?: string;
}

const toPublic = (k: KeyInput): KeyObject => (typeof k === 'string' ? createPublicKey(k) : k.type === 'private' ? createPublicKey(k) : k);
const toPrivate = (k: KeyInput): KeyObject => (typeof k === 'string' ? createPrivateKey(k) : k);

/** `now`: when the simulator starts (the platform certificate's validity is counted from it). */
export function wechatKeys(options: WechatKeyOptions, token: (n: number) => string, now: Date = new Date()): WechatKeys {
  const mode = options.platformKeyMode ?? (options.platformSerial?.startsWith('PUB_KEY_ID_') ? 'publicKey' : 'certificate');
  const merchant = options.merchantPublicKey === undefined ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : undefined;
  const platformPrivateKey = options.platformPrivateKey === undefined ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey : toPrivate(options.platformPrivateKey);
  // A certificate serial, so the merchant certificate (merchant-certificate.ts) can carry it.
  const merchantSerial = options.merchantSerial ?? certificateSerialOf(token(40));
  const platformSerial = options.platformSerial ?? (mode === 'certificate' ? certificateSerialOf(token(40)) : `PUB_KEY_ID_01${digitsOf(token(30))}`);
  const platformPublicKey = createPublicKey(platformPrivateKey);
  return {
    merchantSerial,
    merchantPublicKey: merchant ? merchant.publicKey : toPublic(options.merchantPublicKey!),
    merchantPrivateKey: merchant?.privateKey,
    platformSerial,
    platformPrivateKey,
    platformPublicKey,
    platformKeyMode: mode,
    platformCertificate: mode === 'certificate' ? platformCertificate(platformPrivateKey, platformPublicKey, platformSerial, now) : undefined,
    apiV3Key: options.apiV3Key ?? token(32),
  };
}

/**
 * A self-signed certificate over the platform key. Its serial is `Wechatpay-Serial`, so it must be
 * what WeChat shows and what X509Certificate.serialNumber reads back: upper-case hex, whole bytes,
 * no leading zero byte (DER drops it), at most 20 bytes.
 */
function platformCertificate(privateKey: KeyObject, publicKey: KeyObject, serial: string, now: Date): PlatformCertificate {
  if (!/^(?:[0-9A-F]{2}){1,20}$/.test(serial) || serial.startsWith('00')) {
    throw new RangeError(`platformSerial "${serial}" is not a certificate serial (upper-case hex, whole bytes, no leading 00, at most 40 digits); give platformKeyMode "publicKey" for a PUB_KEY_ID_… id`);
  }
  const notBefore = new Date(Math.floor((now.getTime() - CERT_BACKDATE_MS) / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + CERT_LIFETIME_MS);
  const subject = { C: 'CN', O: 'paychaos simulator', OU: 'Tenpay.com CA Center (simulated)', CN: 'Tenpay.com sign' } as const;
  const { pem } = issueCertificate({ publicKey, signingKey: privateKey, serial, subject, notBefore, notAfter });
  return { pem, notBefore, notAfter };
}

/** Base-36 characters folded to digits, so the id is made from the seeded token alone. */
const digitsOf = (t: string): string => [...t].map((c) => String(parseInt(c, 36) % 10)).join('');

/** 40 hex digits from a seeded token, the first 1–7 so the serial is 20 bytes, positive, with no sign byte. */
const certificateSerialOf = (t: string): string =>
  [...t].map((c, i) => (i === 0 ? String(1 + (parseInt(c, 36) % 7)) : (parseInt(c, 36) % 16).toString(16).toUpperCase())).join('');

export const pem = (key: KeyObject): string => key.export({ type: key.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' }).toString();
