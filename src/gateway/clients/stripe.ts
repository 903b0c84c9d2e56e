import { Pool } from 'undici';
import { encodeForm, normaliseStripeCode } from '../../../simulators/index.js';
import { statusFailure, transportFailure, unreadableAnswer, type ChargeRequest, type ChargeResult, type ProviderClient, type ProviderConnection } from './provider-client.js';

/** Talks to a Stripe-style PaymentIntents API (the simulator, or anything that speaks it): one confirmed PaymentIntent per charge. */
export class StripeClient implements ProviderClient {
  readonly provider = 'stripe';
  readonly #pool: Pool;
  readonly #timeoutMs: number;
  readonly #secretKey: string;

  constructor(connection: ProviderConnection) {
    this.#pool = new Pool(connection.url, { connections: connection.connections ?? 64 });
    this.#timeoutMs = connection.timeoutMs ?? 10_000;
    const key = connection.credentials?.secretKey;
    this.#secretKey = typeof key === 'string' ? key : 'sk_test_paychaos';
  }

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    const body = encodeForm({ amount: req.amount, currency: req.currency, payment_method: req.paymentMethod, confirm: 'true', metadata: { order_id: req.orderId } });
    try {
      const res = await this.#pool.request({
        method: 'POST',
        path: '/v1/payment_intents',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': req.providerKey, authorization: `Bearer ${this.#secretKey}` },
        body,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      const text = await res.body.text();
      return interpret(res.statusCode, text);
    } catch (err) {
      return transportFailure(err);
    }
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

function interpret(status: number, text: string): ChargeResult {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return unreadableAnswer(status);
  }
  if (status === 200 && typeof json.status === 'string') {
    const id = typeof json.id === 'string' ? json.id : undefined;
    if (json.status === 'succeeded') return { outcome: 'succeeded', paymentId: id, providerStatus: status };
    if (json.status === 'requires_action') return { outcome: 'failed', errorCode: 'authentication_required', providerCode: 'requires_action', paymentId: id, providerStatus: status };
    return { outcome: 'pending', paymentId: id, providerCode: json.status, providerStatus: status };
  }
  const error = (json.error ?? {}) as { code?: string; decline_code?: string; type?: string };
  const providerCode = error.decline_code ?? error.code ?? error.type;
  if (error.code === undefined && error.decline_code === undefined && error.type === 'invalid_request_error') {
    // Stripe's code-less refusals (a non-form body, raw card data, an oversized request): our bug.
    return statusFailure(status, providerCode) ?? { outcome: 'failed', errorCode: 'invalid_request', providerCode, providerStatus: status };
  }
  return statusFailure(status, providerCode) ?? { outcome: 'failed', errorCode: normaliseStripeCode(error.code, error.decline_code), providerCode, providerStatus: status };
}
