import type { FastifyInstance, FastifyRequest } from 'fastify';
import { send } from '../core/index.js';
import type { WechatContext } from './context.js';
import { parseAuthorization, requestMessage, wechatVerify } from './signature.js';

/**
 * Request authentication, WECHATPAY2-SHA256-RSA2048: the signature covers the body exactly as
 * sent, so JSON bodies are kept as text before parsing. A request is refused with 401 SIGN_ERROR
 * when the header is missing or malformed, names another merchant or an unknown certificate
 * serial, is more than five minutes off, or does not verify.
 */
const rawBodies = new WeakMap<FastifyRequest, string>();
const MAX_SKEW_S = 300;

export function rawBodyOf(req: FastifyRequest): string {
  return rawBodies.get(req) ?? '';
}

export function registerAuth(app: FastifyInstance, ctx: WechatContext): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    rawBodies.set(req, text);
    if (text === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('请求体不是合法的JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.addHook('preHandler', (req, reply, done) => {
    if (!req.url.startsWith('/v3/')) return done();
    const problem = check(req, ctx);
    if (problem) send(reply, ctx.signer.error('SIGN_ERROR', problem));
    else done();
  });
}

function check(req: FastifyRequest, ctx: WechatContext): string | undefined {
  const header = req.headers.authorization;
  const auth = parseAuthorization(typeof header === 'string' ? header : undefined);
  if (!auth) return 'Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》';
  if (auth.mchid !== ctx.mchid) return `商户号 ${auth.mchid} 与签名不匹配`;
  if (auth.serial_no !== ctx.keys.merchantSerial) return `商户证书序列号 ${auth.serial_no} 有误`;
  if (!/^\d+$/.test(auth.timestamp) || Math.abs(Number(auth.timestamp) - ctx.now().getTime() / 1000) > MAX_SKEW_S) return '签名时间戳已过期';
  const message = requestMessage(req.method, req.url, auth.timestamp, auth.nonce_str, rawBodyOf(req));
  if (!wechatVerify(message, auth.signature, ctx.keys.merchantPublicKey)) return '错误的签名，验签失败';
  return undefined;
}
