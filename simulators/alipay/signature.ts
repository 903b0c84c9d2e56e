import type { KeyLike } from 'node:crypto';
import { rsaSha256Sign, rsaSha256Verify } from '../core/index.js';

/**
 * Alipay's RSA2 signatures (OpenAPI 2.0): SHA256withRSA, base64.
 *
 * What is signed is the "sign content": every parameter with a non-empty value except the
 * excluded ones, sorted by name (byte order), joined as `name=value` with `&`, values raw — not
 * URL-encoded. A request excludes only `sign`; an async notification excludes `sign` and
 * `sign_type`. A response signs the exact JSON text of its `alipay_trade_<x>_response` value.
 */
export const REQUEST_UNSIGNED: readonly string[] = Object.freeze(['sign']);
export const NOTIFY_UNSIGNED: readonly string[] = Object.freeze(['sign', 'sign_type']);

export function alipaySignContent(params: Readonly<Record<string, string>>, unsigned: readonly string[] = REQUEST_UNSIGNED): string {
  return Object.keys(params)
    .filter((k) => !unsigned.includes(k) && params[k] !== '' && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/** Alipay's RSA2 is SHA256withRSA. */
export const rsa2Sign = rsaSha256Sign;
export const rsa2Verify = rsaSha256Verify;

/**
 * The response text Alipay sends: `{"<key>":<json>,"sign":"…"}`, where the signature covers the
 * `<json>` exactly as written. Built as text so the signed bytes are the sent bytes.
 */
export function signedResponse(responseKey: string, fields: Readonly<Record<string, unknown>>, privateKey: KeyLike): string {
  const inner = JSON.stringify(fields);
  return `{"${responseKey}":${inner},"sign":"${rsa2Sign(inner, privateKey)}"}`;
}
