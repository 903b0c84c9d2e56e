import { isPaychaosError, paychaosError } from '../../src/kernel/index.js';
import type { ProviderClient, ProviderConnection } from './provider-client.js';
import { badConnection } from './connection.js';
import { AdyenClient } from './adyen.js';
import { AlipayClient } from './alipay.js';
import { PaypalClient } from './paypal.js';
import { LocalWalletClient } from './localwallet.js';
import { StripeClient } from './stripe.js';
import { UnionPayClient } from './unionpay.js';
import { WechatPayClient } from './wechatpay.js';

export type { ChargeRequest, ChargeResult, ConfirmAgainRequest, ProviderClient, ProviderConnection, QueryRequest, QueryResult, ShareRequest, ShareResult } from './provider-client.js';
export type { RefundRequest, CancelRequest, CaptureRequest, LifecycleResult, RefundQuery, RefundStatus } from './lifecycle.js';
export { transportFailure, statusFailure, unreadableAnswer, jsonObject, boundedKey, shareNumber } from './provider-client.js';
export { StripeClient } from './stripe.js';
export { AdyenClient } from './adyen.js';
export { AlipayClient, alipayOutTradeNo } from './alipay.js';
export { WechatPayClient, wechatOutTradeNo } from './wechatpay.js';
export { PaypalClient, PAYPAL_HELD } from './paypal.js';
export { UnionPayClient, unionpayOrderId, unionpayTxnTime } from './unionpay.js';
export { UnionPayTrust, parseUnionPayAnswer, unionPaySign, unionPaySignContent } from './unionpay-signing.js';
export { LocalWalletClient } from './localwallet.js';
export { wechatOutRefundNo } from './wechatpay.js';
// For gateway/webhooks/: reading the same credentials, verifying the same signatures, the same amounts.
export { Credentials, badConnection } from './connection.js';
export { verifySha256WithRsa } from './signing.js';
export { currencyExponent, minorToMajor, majorToMinor } from './money.js';
// For the server: the trace context its provider calls carry (traceparent on every attempt).
export { activeTraceContext, remoteParent, withTraceContext } from './trace-context.js';

/**
 * The providers the reference gateway can charge through, by the name a stack gives them
 * (simulators/index.ts). A provider described only as WireMock stubs speaks its own API, so the
 * gateway knows only the worked example's; a team's own provider is driven through their own
 * gateway — the system under test — not this one.
 */
const CLIENTS: Readonly<Record<string, (name: string, connection: ProviderConnection) => ProviderClient>> = {
  stripe: (_, c) => new StripeClient(c),
  adyen: (_, c) => new AdyenClient(c),
  alipay: (_, c) => new AlipayClient(c),
  wechatpay: (_, c) => new WechatPayClient(c),
  paypal: (_, c) => new PaypalClient(c),
  unionpay: (_, c) => new UnionPayClient(c),
  'wiremock:localwallet': (name, c) => new LocalWalletClient(name, c),
  // The other worked WireMock providers speak their own paths and fields, read from their wire descriptions.
  'wiremock:ecny': (name, c) => new LocalWalletClient(name, c),
  'wiremock:cryptopay': (name, c) => new LocalWalletClient(name, c),
};

export const GATEWAY_PROVIDERS: readonly string[] = Object.freeze(Object.keys(CLIENTS));

export function gatewaySpeaks(provider: string): boolean {
  return Object.hasOwn(CLIENTS, provider);
}

/**
 * The client for one provider. A connection it cannot use — a credential missing or malformed, a
 * base URL that is not http(s)://host:port — is PAYCHAOS_ERR_GATEWAY_BAD_CREDENTIALS naming the
 * provider and the field (the clients check each through connection.ts); anything else a
 * constructor throws is wrapped in it too, so no raw library error reaches the user.
 */
export function createProviderClient(provider: string, connection: ProviderConnection): ProviderClient {
  const make = CLIENTS[provider];
  if (!make) {
    throw paychaosError('PAYCHAOS_ERR_GATEWAY_UNKNOWN_PROVIDER', `the reference gateway cannot charge through provider "${provider}" (it speaks ${GATEWAY_PROVIDERS.join(', ')})`, { provider });
  }
  if (typeof connection !== 'object' || connection === null) throw badConnection(provider, 'connection', 'must be an object {url, credentials?}');
  try {
    return make(provider, connection);
  } catch (err) {
    if (isPaychaosError(err)) throw err;
    throw badConnection(provider, 'connection', `could not be used: ${(err as Error).message}`, {}, err);
  }
}
