import { alipayOutTradeNo, wechatOutTradeNo } from '../gateway/clients/index.js';

/**
 * The merchant order number the reference gateway sends each provider for an order — the order
 * id itself, or a function of it where the provider's syntax forbids it — which is what that
 * provider's ledger records. Knowing it lets the run read a ledger back in the shop's order ids,
 * so one order is one order across providers and in every violation message.
 */
const NUMBERING: Readonly<Record<string, (orderId: string) => string>> = {
  alipay: alipayOutTradeNo,
  wechatpay: wechatOutTradeNo,
};

export function providerOrderNumber(provider: string, orderId: string): string {
  return (NUMBERING[provider] ?? ((id: string) => id))(orderId);
}
