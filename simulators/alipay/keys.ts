import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * The two RSA key pairs of an Alipay integration: the merchant's (the merchant signs requests
 * with its private key; Alipay holds the public one) and the platform's (Alipay signs responses
 * and notifications; the merchant holds "the Alipay public key"). Given ones are used as they
 * are; missing ones are generated at start (RSA 2048), so every run has fresh test keys.
 */
export interface AlipayKeys {
  readonly merchantPublicKey: KeyObject;
  /** Only when the simulator generated the merchant pair: a client needs it to sign. */
  readonly merchantPrivateKey: KeyObject | undefined;
  readonly platformPrivateKey: KeyObject;
  readonly platformPublicKey: KeyObject;
}

export type KeyInput = string | KeyObject;

export function alipayKeys(options: { merchantPublicKey?: KeyInput; platformPrivateKey?: KeyInput }): AlipayKeys {
  const merchant = options.merchantPublicKey === undefined ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : undefined;
  const platformPrivateKey = options.platformPrivateKey === undefined ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey : asPrivate(options.platformPrivateKey);
  return {
    merchantPublicKey: merchant ? merchant.publicKey : asPublic(options.merchantPublicKey!),
    merchantPrivateKey: merchant?.privateKey,
    platformPrivateKey,
    platformPublicKey: createPublicKey(platformPrivateKey),
  };
}

export const pem = (key: KeyObject): string => key.export({ type: key.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' }).toString();

/** The one-line base64 form Alipay's console shows and its SDKs accept. */
export const bare = (key: KeyObject): string => pem(key).replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

function asPublic(key: KeyInput): KeyObject {
  if (typeof key !== 'string') return key.type === 'private' ? createPublicKey(key) : key;
  return createPublicKey(key.includes('-----BEGIN') ? key : `-----BEGIN PUBLIC KEY-----\n${key}\n-----END PUBLIC KEY-----`);
}

function asPrivate(key: KeyInput): KeyObject {
  if (typeof key !== 'string') return key;
  return createPrivateKey(key.includes('-----BEGIN') ? key : `-----BEGIN PRIVATE KEY-----\n${key}\n-----END PRIVATE KEY-----`);
}
