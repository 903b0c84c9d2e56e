import { rsaSha256Sign, rsaSha256Verify } from '../core/index.js';

/**
 * WeChat Pay APIv3 signatures: SHA256withRSA, base64, over newline-terminated lines.
 *
 *   request:  METHOD \n /path?query \n timestamp \n nonce \n body \n
 *   response and notification:  timestamp \n nonce \n body \n
 *
 * A request carries `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",
 * signature="…",timestamp="…",serial_no="…"` (serial of the merchant certificate); a response
 * carries `Wechatpay-Timestamp`, `-Nonce`, `-Signature` and `-Serial` (the platform key's serial).
 */
export const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

export function requestMessage(method: string, url: string, timestamp: string, nonce: string, body: string): string {
  return `${method}\n${url}\n${timestamp}\n${nonce}\n${body}\n`;
}

export function responseMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

/** WECHATPAY2-SHA256-RSA2048 signs with SHA256withRSA. */
export const wechatSign = rsaSha256Sign;
export const wechatVerify = rsaSha256Verify;

export interface AuthorizationParts {
  readonly mchid: string;
  readonly nonce_str: string;
  readonly signature: string;
  readonly timestamp: string;
  readonly serial_no: string;
}

/** Parse an Authorization header; undefined when it is not WECHATPAY2-SHA256-RSA2048 with all five fields. */
export function parseAuthorization(header: string | undefined): AuthorizationParts | undefined {
  if (!header?.startsWith(`${AUTH_SCHEMA} `)) return undefined;
  const fields: Record<string, string> = {};
  for (const m of header.slice(AUTH_SCHEMA.length + 1).matchAll(/(\w+)="([^"]*)"/g)) fields[m[1]!] = m[2]!;
  const { mchid, nonce_str, signature, timestamp, serial_no } = fields;
  if (!mchid || !nonce_str || !signature || !timestamp || !serial_no) return undefined;
  return { mchid, nonce_str, signature, timestamp, serial_no };
}

export function authorizationHeader(parts: AuthorizationParts): string {
  return `${AUTH_SCHEMA} mchid="${parts.mchid}",nonce_str="${parts.nonce_str}",signature="${parts.signature}",timestamp="${parts.timestamp}",serial_no="${parts.serial_no}"`;
}
