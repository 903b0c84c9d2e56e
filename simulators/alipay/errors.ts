import type { FastifyRequest } from 'fastify';
import type { KeyLike } from 'node:crypto';
import type { ErrorResponse, ProviderErrorShape } from '../core/index.js';
import { ALIPAY_GATEWAY_CODES, ALIPAY_SUB_CODES } from './codes.js';
import { gatewayParams, responseKeyOf } from './params.js';
import { signedResponse } from './signature.js';

/**
 * Every Alipay answer is HTTP 200 with a signed envelope: `{"alipay_trade_pay_response":
 * {code, msg, sub_code, sub_msg, …}, "sign": …}`. A request whose method cannot be read gets
 * `error_response`, unsigned, as the real gateway does.
 */
export const ALIPAY_CONTENT_TYPE = 'text/html;charset=utf-8';

export type AlipayFields = Readonly<Record<string, unknown>>;

export function alipayEnvelope(method: string | undefined, fields: AlipayFields, privateKey: KeyLike): ErrorResponse {
  const body = method ? signedResponse(responseKeyOf(method), fields, privateKey) : JSON.stringify({ error_response: fields });
  return { status: 200, body, headers: { 'content-type': ALIPAY_CONTENT_TYPE } };
}

/** `{code, msg, sub_code, sub_msg}` for a sub_code of the table; `subMsg` overrides the table's text. */
export function failure(subCode: string, subMsg?: string): AlipayFields {
  const entry = ALIPAY_SUB_CODES[subCode];
  const code = entry?.code ?? '40004';
  return { code, msg: ALIPAY_GATEWAY_CODES[code], sub_code: subCode, sub_msg: subMsg ?? entry?.subMsg ?? subCode };
}

export function success(fields: AlipayFields = {}, code: '10000' | '10003' = '10000'): AlipayFields {
  return { code, msg: ALIPAY_GATEWAY_CODES[code], ...fields };
}

/**
 * Errors before a route answers (behaviour gate, unknown path, unparsable body). A 500 is
 * Alipay's own ACQ.SYSTEM_ERROR in an HTTP 200 envelope; 502–504 are what the load balancer in
 * front of the gateway sends — a real HTTP error with an HTML body — so clients meet both.
 */
export function alipayErrorShape(privateKey: KeyLike): ProviderErrorShape {
  const methodOf = (req: FastifyRequest): string | undefined => gatewayParams(req).method;
  const envelope = (req: FastifyRequest, fields: AlipayFields): ErrorResponse => alipayEnvelope(methodOf(req), fields, privateKey);
  const serverError = (req: FastifyRequest, status: number): ErrorResponse =>
    status === 500 ? envelope(req, failure('ACQ.SYSTEM_ERROR')) : { status, body: `<html><body><h1>${status}</h1></body></html>`, headers: { 'content-type': 'text/html' } };
  return {
    notFound: () => ({ status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>', headers: { 'content-type': 'text/html' } }),
    malformed: (req, message) => envelope(req, failure('isv.invalid-parameter', `参数无效: ${message}`)),
    internal: (req) => envelope(req, failure('ACQ.SYSTEM_ERROR')),
    serverError,
    unavailable: (req) => envelope(req, failure('isp.unknow-error')),
    rateLimited: (req) => envelope(req, failure('ACQ.SYSTEM_ERROR', '请求过于频繁，请稍后重试')),
  };
}
