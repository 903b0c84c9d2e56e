import type { ProviderErrorShape } from '../core/index.js';
import type { UnionPayContext } from './state.js';
import { answer } from './trans.js';

/**
 * Errors before a route answers. A 500 is UnionPay's own signed answer with respCode 06 (busy),
 * HTTP 200; 502–504, a maintenance 503 and 429 are what the load balancer in front sends.
 */
export function unionPayErrorShape(ctx: UnionPayContext): ProviderErrorShape {
  const html = (status: number) => ({ status, body: `<html><body><h1>${status}</h1></body></html>`, headers: { 'content-type': 'text/html' } });
  const signed = (code: string, msg: string) => ({ status: 200, body: answer(ctx, { version: '5.1.0', encoding: 'UTF-8', respCode: code, respMsg: msg }), headers: { 'content-type': 'text/plain;charset=UTF-8' } });
  return {
    notFound: () => html(404),
    malformed: (_req, message) => signed('10', `报文格式错误[${message}]`),
    internal: () => signed('06', '系统繁忙，请稍后再试'),
    serverError: (_req, status) => (status === 500 ? signed('06', '系统繁忙，请稍后再试') : html(status)),
    unavailable: () => html(503),
    rateLimited: () => html(429),
  };
}

