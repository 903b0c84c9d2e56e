import { createSign, createVerify, type KeyLike } from 'node:crypto';

/**
 * SHA256withRSA (PKCS#1 v1.5), base64 — what Alipay calls RSA2, what WeChat Pay v3 and PayPal
 * webhooks sign with. One implementation for every provider that uses it.
 */
export function rsaSha256Sign(message: string, privateKey: KeyLike): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64');
}

/** False, never a throw, for a malformed signature or key: a failed verification is an answer. */
export function rsaSha256Verify(message: string, signature: string, publicKey: KeyLike): boolean {
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}
