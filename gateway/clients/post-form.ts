import type { Dispatcher } from 'undici';
import { transportFailure, type ChargeResult } from './provider-client.js';

/**
 * One form-encoded POST of signed fields (Alipay's `gateway.do`, UnionPay's `*TransReq.do`): the
 * status and body as received, or — when no answer came (refused, reset, timed out) — the
 * ChargeResult of not getting one. What the answer means is the caller's: each provider reads it
 * by its own rules.
 */
export async function postForm(pool: Dispatcher, path: string, fields: Record<string, string>, charset: string, timeoutMs: number): Promise<{ status: number; text: string } | ChargeResult> {
  try {
    const res = await pool.request({
      method: 'POST',
      path,
      headers: { 'content-type': `application/x-www-form-urlencoded;charset=${charset}` },
      body: new URLSearchParams(fields).toString(),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return { status: res.statusCode, text: await res.body.text() };
  } catch (err) {
    return transportFailure(err);
  }
}
