import type { FastifyInstance, FastifyRequest } from 'fastify';
import { send } from '../core/index.js';
import { aeadEncrypt } from './aead.js';
import type { WechatContext } from './context.js';
import { wechatTime } from './time.js';

/**
 * `GET /v3/certificates[?algorithm_type=RSA|SM2|ALL]`: the platform certificate download that
 * WeChat's SDKs call to set themselves up (and every twelve hours after). Authenticated and signed
 * like every APIv3 call. The answer lists the platform certificate:
 *
 *   {data: [{serial_no, effective_time, expire_time,
 *            encrypt_certificate: {algorithm: AEAD_AES_256_GCM, nonce, associated_data: "certificate", ciphertext}}]}
 *
 * `ciphertext` is the certificate's PEM, encrypted with the APIv3 key; `serial_no` is its serial
 * number and the `Wechatpay-Serial` of every response, so a merchant keys the downloaded
 * certificate by it. The entry is encrypted once (`nonce` given at start): every download carries
 * the same bytes, as a certificate's entry does at WeChat until it is rotated. Without a
 * certificate (public-key mode), or for SM2 certificates (not simulated), the answer is WeChat's
 * 404 RESOURCE_NOT_EXISTS "证书不存在".
 */
const ALGORITHM_TYPES = new Set(['RSA', 'SM2', 'ALL']);

export function registerCertificates(app: FastifyInstance, ctx: WechatContext, nonce: string): void {
  const cert = ctx.keys.platformCertificate;
  const entry = cert && {
    serial_no: ctx.keys.platformSerial,
    effective_time: wechatTime(cert.notBefore),
    expire_time: wechatTime(cert.notAfter),
    encrypt_certificate: { algorithm: 'AEAD_AES_256_GCM', nonce, associated_data: 'certificate', ciphertext: aeadEncrypt(cert.pem, ctx.keys.apiV3Key, nonce, 'certificate') },
  };
  app.get('/v3/certificates', async (req: FastifyRequest<{ Querystring: { algorithm_type?: string } }>, reply) => {
    const type = req.query.algorithm_type ?? 'RSA';
    if (!ALGORITHM_TYPES.has(type)) return send(reply, ctx.signer.error('PARAM_ERROR', '参数错误: algorithm_type 须为 RSA、SM2 或 ALL'));
    if (!entry || type === 'SM2') return send(reply, ctx.signer.error('RESOURCE_NOT_EXISTS', '证书不存在'));
    return send(reply, ctx.signer.answer(200, { data: [entry] }));
  });
}
