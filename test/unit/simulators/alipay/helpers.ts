import { createSign, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * A merchant's Alipay client written from Alipay's documentation, independently of the
 * simulator's code: sort the non-empty parameters but `sign`, join `k=v` with `&`, SHA256withRSA.
 */
export function signRequest(params: Record<string, string>, privateKey: KeyObject): Record<string, string> {
  const content = Object.keys(params).filter((k) => k !== 'sign' && params[k] !== '').sort().map((k) => `${k}=${params[k]}`).join('&');
  return { ...params, sign: createSign('sha256').update(content).sign(privateKey, 'base64') };
}

export function requestParams(appId: string, method: string, biz: Record<string, unknown>, extra: Record<string, string> = {}): Record<string, string> {
  return { app_id: appId, method, format: 'JSON', charset: 'utf-8', sign_type: 'RSA2', timestamp: '2026-11-11 00:00:01', version: '1.0', biz_content: JSON.stringify(biz), ...extra };
}

/** The value of `<key>_response` and whether its signature verifies, cut from the raw text as a merchant must. */
export function readResponse(text: string, method: string, platformPublicKey: KeyObject) {
  const key = `${method.replace(/\./g, '_')}_response`;
  const parsed = JSON.parse(text) as Record<string, any>;
  const start = text.indexOf(`"${key}":`) + key.length + 3;
  const end = text.lastIndexOf(',"sign":"');
  const signed = text.slice(start, end);
  const verified = typeof parsed.sign === 'string' && createVerify('sha256').update(signed).verify(platformPublicKey, parsed.sign, 'base64');
  return { body: parsed[key] as Record<string, any>, verified, raw: parsed };
}

/** Key pairs made once per test file: RSA generation costs about a second on a busy machine. */
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const KEYS = { merchantPublicKey: merchant.publicKey, merchantPrivateKey: merchant.privateKey, platformPrivateKey: platform.privateKey, platformPublicKey: platform.publicKey };

export async function call(app: FastifyInstance, sim: { appId: string; keys: { platformPublicKey: KeyObject } }, method: string, biz: Record<string, unknown>, extra: Record<string, string> = {}) {
  const params = signRequest(requestParams(sim.appId, method, biz, extra), KEYS.merchantPrivateKey);
  const res = await app.inject({ method: 'POST', url: '/gateway.do', payload: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  return { status: res.statusCode, ...readResponse(res.body, method, sim.keys.platformPublicKey) };
}

export const PAY = { out_trade_no: 'ord_1', total_amount: '88.88', subject: 'Singles Day tea', scene: 'bar_code', auth_code: '286183455891234567' };
