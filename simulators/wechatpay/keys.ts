import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * The credentials of a WeChat Pay merchant: its API key pair (it signs requests; WeChat knows the
 * public key by the certificate serial), the platform key pair (WeChat signs responses and
 * notifications, named by `Wechatpay-Serial`), and the 32-character APIv3 key that encrypts
 * notification resources. Missing keys are generated at start.
 */
export interface WechatKeys {
  readonly merchantSerial: string;
  readonly merchantPublicKey: KeyObject;
  /** Only when generated here: a client needs it to sign. */
  readonly merchantPrivateKey: KeyObject | undefined;
  readonly platformSerial: string;
  readonly platformPrivateKey: KeyObject;
  readonly platformPublicKey: KeyObject;
  readonly apiV3Key: string;
}

export type KeyInput = string | KeyObject;

export interface WechatKeyOptions {
  merchantPublicKey?: KeyInput;
  merchantSerial?: string;
  platformPrivateKey?: KeyInput;
  platformSerial?: string;
  apiV3Key?: string;
}

const toPublic = (k: KeyInput): KeyObject => (typeof k === 'string' ? createPublicKey(k) : k.type === 'private' ? createPublicKey(k) : k);
const toPrivate = (k: KeyInput): KeyObject => (typeof k === 'string' ? createPrivateKey(k) : k);

export function wechatKeys(options: WechatKeyOptions, token: (n: number) => string): WechatKeys {
  const merchant = options.merchantPublicKey === undefined ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : undefined;
  const platformPrivateKey = options.platformPrivateKey === undefined ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey : toPrivate(options.platformPrivateKey);
  return {
    merchantSerial: options.merchantSerial ?? token(40).toUpperCase(),
    merchantPublicKey: merchant ? merchant.publicKey : toPublic(options.merchantPublicKey!),
    merchantPrivateKey: merchant?.privateKey,
    // WeChat Pay's "platform public key" mode names the key PUB_KEY_ID_…, not a certificate serial.
    platformSerial: options.platformSerial ?? `PUB_KEY_ID_01${digitsOf(token(30))}`,
    platformPrivateKey,
    platformPublicKey: createPublicKey(platformPrivateKey),
    apiV3Key: options.apiV3Key ?? token(32),
  };
}

/** Base-36 characters folded to digits, so the id is made from the seeded token alone. */
const digitsOf = (t: string): string => [...t].map((c) => String(parseInt(c, 36) % 10)).join('');

export const pem = (key: KeyObject): string => key.export({ type: key.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' }).toString();
