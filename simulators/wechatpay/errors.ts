import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { ErrorResponse, ProviderErrorShape } from '../core/index.js';
import type { Random } from '../../src/kernel/index.js';
import { WECHAT_CODES } from './codes.js';
import { responseMessage, wechatSign } from './signature.js';

/**
 * Signs what WeChat Pay sends (responses, errors included, and notifications): each gets a fresh
 * timestamp and nonce, and the four Wechatpay-* headers. `badKey` signs with a key the merchant
 * does not trust, under the same serial, for the bad-signature webhook fault.
 */
export class WechatSigner {
  readonly #key: KeyObject;
  readonly #serial: string;
  readonly #random: Random;
  readonly #wallNow: () => number;
  #badKey: KeyObject | undefined;

  constructor(key: KeyObject, serial: string, random: Random, wallNow: () => number) {
    this.#key = key;
    this.#serial = serial;
    this.#random = random;
    this.#wallNow = wallNow;
  }

  headers(body: string, options: { atMs?: number; bad?: boolean } = {}): Record<string, string> {
    const timestamp = String(Math.floor((options.atMs ?? this.#wallNow()) / 1000));
    const nonce = this.#random.token(32).toUpperCase();
    // Made on first use: RSA key generation is slow, and most runs never need it.
    const key = options.bad ? (this.#badKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey) : this.#key;
    return {
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': nonce,
      'wechatpay-signature': wechatSign(responseMessage(timestamp, nonce, body), key),
      'wechatpay-serial': this.#serial,
      'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
    };
  }

  /** A signed answer; `body` undefined means 204 No Content (signed over the empty body). */
  answer(status: number, body?: unknown): ErrorResponse {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = { ...this.headers(text), 'request-id': `08${this.#random.token(30).toUpperCase()}` };
    if (body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    return { status, body: text, headers };
  }

  /** `{code, message}` with the code's HTTP status (or `status`), signed. */
  error(code: string, message?: string, status?: number): ErrorResponse {
    const known = WECHAT_CODES[code];
    return this.answer(status ?? known?.status ?? 400, { code, message: message ?? known?.message ?? code });
  }
}

export function wechatErrorShape(signer: WechatSigner): ProviderErrorShape {
  return {
    notFound: (req) => signer.error('INVALID_REQUEST', `请求的资源不存在: ${req.method} ${req.url.split('?')[0]}`, 404),
    malformed: (_req, message) => signer.error('PARAM_ERROR', `参数错误: ${message}`),
    internal: () => signer.error('SYSTEM_ERROR'),
    serverError: (_req, status) => signer.error('SYSTEM_ERROR', undefined, status),
    unavailable: () => signer.error('SYSTEM_ERROR', '系统繁忙，请稍后重试', 503),
    rateLimited: () => signer.error('FREQUENCY_LIMITED'),
  };
}
