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

/** Yuan as Alipay writes it ("88.88", two decimals at most) → fen; undefined when malformed. */
export function yuanToFen(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^\d{1,11}(\.\d{1,2})?$/.test(text)) return undefined;
  const [whole, frac = ''] = text.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

export function fenToYuan(fen: number): string {
  return (fen / 100).toFixed(2);
}
