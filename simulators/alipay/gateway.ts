import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { maskCardNumbersIn, send, traceIdOf } from '../core/index.js';
import { maskCardNumbers } from '../../src/kernel/index.js';
import type { AlipayContext } from './context.js';
import { alipayEnvelope, failure, type AlipayFields } from './errors.js';
import { tradeClose, tradeQuery } from './lookups.js';
import type { AlipayMethod, MethodResult } from './method.js';
import { gatewayParams } from './params.js';
import { refundQuery, tradeRefund } from './refunds.js';
import { REQUEST_UNSIGNED, alipaySignContent, rsa2Verify } from './signature.js';
import { isAlipayTimestamp } from './time.js';
import { tradeCreate, tradePay, tradePrecreate } from './trades.js';
import { tradeCancel } from './cancel.js';
import { tradeOrderSettle, tradeOrderSettleQuery } from './settle.js';
import { billDownloadUrlQuery, registerBillDownload } from './bill.js';
import { CASHIER_METHODS, cashierErrorPage, openCashier, registerCashier } from './cashier.js';

/**
 * `POST /gateway.do`: Alipay's single entry point. One request passes
 *
 *   envelope checks (method, app_id, sign_type, timestamp) ─▶ RSA2 verification with the
 *   merchant's public key ─▶ biz_content ─▶ processing delay ─▶ the method ─▶ signed envelope
 *
 * and every answer — failures included — is HTTP 200 with `alipay_trade_<x>_response`.
 */
export const ALIPAY_METHODS: Readonly<Record<string, AlipayMethod>> = Object.freeze({
  'alipay.trade.pay': tradePay,
  'alipay.trade.precreate': tradePrecreate,
  'alipay.trade.create': tradeCreate,
  'alipay.trade.query': tradeQuery,
  'alipay.trade.close': tradeClose,
  'alipay.trade.refund': tradeRefund,
  'alipay.trade.fastpay.refund.query': refundQuery,
  'alipay.trade.cancel': tradeCancel,
  'alipay.trade.order.settle': tradeOrderSettle,
  'alipay.trade.order.settle.query': tradeOrderSettleQuery,
  'alipay.data.dataservice.bill.downloadurl.query': billDownloadUrlQuery,
});

export function registerGateway(app: FastifyInstance, ctx: AlipayContext): void {
  app.post('/gateway.do', (req, reply) => handle(req, reply, ctx));
  // The cashier methods arrive as the buyer's browser: a GET with the signed query, or a form POST.
  app.get('/gateway.do', (req, reply) => handle(req, reply, ctx));
  registerCashier(app, ctx);
  registerBillDownload(app, ctx);
}

async function handle(req: FastifyRequest, reply: FastifyReply, ctx: AlipayContext): Promise<FastifyReply> {
  const sent = gatewayParams(req);
  const method = sent.method;
  const cashier = method ? CASHIER_METHODS[method] : undefined;
  const answer = (fields: AlipayFields, named = true): FastifyReply =>
    cashier ? cashierErrorPage(reply, fields) : send(reply, alipayEnvelope(named ? method : undefined, retryFlagged(method, fields), ctx.platformPrivateKey));
  if (!method) return answer(failure('isv.missing-method'), false);
  const run = ALIPAY_METHODS[method];
  if (!run && !cashier) return answer(failure('isv.invalid-method', `不存在的方法名: ${method}`), false);
  // Server-to-server methods are POSTs; only the cashier is opened by a browser's GET.
  if (req.method === 'GET' && !cashier) return answer(failure('isv.invalid-method', `${method} 仅支持 POST`), false);

  const envelope = checkEnvelope(ctx, sent);
  if (envelope) return answer(envelope);
  let biz: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(sent.biz_content ?? '{}');
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new TypeError('not an object');
    // Card numbers in merchant fields are masked once the signature has been checked on what
    // was sent (core/card-numbers.ts); auth_code is the buyer's payment code, checked by its format.
    biz = maskCardNumbersIn(parsed, ['auth_code']) as Record<string, unknown>;
  } catch {
    return answer(failure('isv.invalid-parameter', '参数无效: biz_content is not a JSON object'));
  }
  const params = maskCardNumbersIn(sent, ['biz_content']) as Record<string, string>;

  const delay = ctx.behaviour.processingDelayMs();
  if (delay > 0) await sleep(delay);
  if (cashier) return openCashier({ ctx, params, biz, traceId: traceIdOf(req.headers) }, reply, cashier);
  let result: MethodResult;
  try {
    result = run!({ ctx, params, biz, traceId: traceIdOf(req.headers), origin: `${req.protocol}://${req.headers.host ?? 'localhost'}` });
  } catch {
    return answer(failure('ACQ.SYSTEM_ERROR'));
  }
  // "Charged, then 500": the trade changed, the caller sees ACQ.SYSTEM_ERROR and must query.
  if (result.committed) {
    const status = ctx.behaviour.commitThenError();
    if (status === 500) return answer(failure('ACQ.SYSTEM_ERROR'));
    if (status !== undefined) return send(reply, { status, body: `<html><body><h1>${status}</h1></body></html>`, headers: { 'content-type': 'text/html' } });
  }
  return answer(result.fields);
}

/** trade.cancel's answers carry `retry_flag`; a system error is the one the docs say to retry. */
function retryFlagged(method: string | undefined, fields: AlipayFields): AlipayFields {
  if (method !== 'alipay.trade.cancel' || fields.retry_flag !== undefined) return fields;
  return { ...fields, retry_flag: fields.sub_code === 'ACQ.SYSTEM_ERROR' ? 'Y' : 'N' };
}

/** The common parameters and the RSA2 signature, in the order Alipay's gateway checks them. */
function checkEnvelope(ctx: AlipayContext, params: Record<string, string>): AlipayFields | undefined {
  if (!params.app_id) return failure('isv.missing-app-id');
  if (params.app_id !== ctx.appId) return failure('isv.invalid-app-id', `无效的AppID参数: ${params.app_id}`);
  if (!params.sign) return failure('isv.missing-signature');
  if (!params.sign_type) return failure('isv.missing-signature-type');
  if (params.sign_type !== 'RSA2') return failure('isv.invalid-signature-type', `无效的签名类型: ${params.sign_type}; 仅支持 RSA2`);
  if (!params.timestamp || !isAlipayTimestamp(params.timestamp)) return failure('isv.invalid-timestamp');
  const content = alipaySignContent(params, REQUEST_UNSIGNED);
  if (!rsa2Verify(content, params.sign, ctx.merchantPublicKey)) {
    // Alipay quotes the string it verified, so a merchant can diff it against what it signed.
    // The quoted string is masked: a card number in a field must not come back even here.
    return failure('isv.invalid-signature', `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${maskCardNumbers(content)}`);
  }
  return undefined;
}
