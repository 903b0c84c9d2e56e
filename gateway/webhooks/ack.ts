/**
 * The answer each provider takes as "received, stop retrying" — anything else and it retries on
 * its ladder (PROVIDERS.md): Stripe any 2xx; Adyen a 2xx whose body is exactly `[accepted]`;
 * Alipay a 200 whose body is exactly `success` (any other text is a failure to Alipay); WeChat Pay
 * 200 or 204 (we send 200 with `{"code":"SUCCESS","message":"成功"}`, the shape WeChat documents
 * for answers); PayPal any 2xx; UnionPay
 * HTTP 200 (the body is not read; `ok` is customary).
 */
export interface Ack {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const ACKS: Readonly<Record<string, Ack>> = Object.freeze({
  stripe: { status: 200, contentType: 'application/json', body: '{"received":true}' },
  adyen: { status: 200, contentType: 'text/plain', body: '[accepted]' },
  alipay: { status: 200, contentType: 'text/plain', body: 'success' },
  wechatpay: { status: 200, contentType: 'application/json', body: '{"code":"SUCCESS","message":"成功"}' },
  paypal: { status: 200, contentType: 'application/json', body: '{"received":true}' },
  unionpay: { status: 200, contentType: 'text/plain', body: 'ok' },
});

export function ackFor(provider: string): Ack {
  const ack = ACKS[provider];
  if (!ack) throw new RangeError(`no acknowledgement known for provider ${provider}`);
  return ack;
}
