import { createSign, createVerify, type KeyObject } from 'node:crypto';

/**
 * SHA256withRSA (PKCS#1 v1.5), base64: the signature both Alipay's RSA2 (`sign_type=RSA2`) and
 * WeChat Pay's APIv3 (`WECHATPAY2-SHA256-RSA2048`) use, each over its own message — which
 * message is the client's business (alipay.ts, wechatpay.ts), not this file's.
 */
export function signSha256WithRsa(message: string, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64');
}

/** Whether `signature` (base64) is `publicKey`'s SHA256withRSA over `message`; never throws. */
export function verifySha256WithRsa(message: string, signature: string, publicKey: KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    // A signature that is not base64 or not the key's length is a failed verification, not a crash.
    return false;
  }
}
