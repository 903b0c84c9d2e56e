import { currencyExponent, minorToMajor } from '../core/index.js';
import type { FastifyRequest } from 'fastify';

/**
 * The parameters of a gateway.do call. Alipay's SDKs put the common parameters (app_id, method,
 * sign, timestamp …) in the query string and the rest (biz_content) in the form body; some
 * clients send everything in the body. Both are read; only string values count.
 */
export function gatewayParams(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of [req.query, req.body]) {
    if (!source || typeof source !== 'object') continue;
    for (const [k, v] of Object.entries(source as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** `alipay.trade.pay` → `alipay_trade_pay_response`. */
export function responseKeyOf(method: string): string {
  return `${method.replace(/\./g, '_')}_response`;
}

/**
 * An amount as Alipay writes it → minor units of its currency; undefined when malformed. Yuan
 * ("88.88", two decimals at most) by default; with trans_currency the amount is in that
 * currency, with as many decimals as it has (JPY "500" is 500 yen, not 50,000).
 */
export function yuanToFen(text: unknown, currency = 'CNY'): number | undefined {
  const exp = currencyExponent(currency);
  const pattern = exp === 0 ? /^\d{1,13}$/ : new RegExp(`^\\d{1,11}(\\.\\d{1,${exp}})?$`);
  if (typeof text !== 'string' || !pattern.test(text)) return undefined;
  const [whole, frac = ''] = text.split('.');
  return Number(whole) * 10 ** exp + Number(frac.padEnd(exp, '0') || '0');
}

/** Minor units → Alipay's text: yuan with two decimals, or the currency's own decimals. */
export function fenToYuan(fen: number, currency = 'CNY'): string {
  return minorToMajor(fen, currency);
}
