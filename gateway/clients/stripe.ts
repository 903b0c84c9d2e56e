import type { Pool } from 'undici';
import { normaliseStripe } from './codes/index.js';
import { encodeStripeForm } from './form.js';
import { Credentials, openPool } from './connection.js';
import { boundedKey, jsonObject, statusFailure, transportFailure, unreadableAnswer, type ChargeRequest, type ChargeResult, type ProviderClient, type ProviderConnection } from './provider-client.js';

/** Stripe refuses an Idempotency-Key longer than this (400 invalid_request_error). */
const MAX_IDEMPOTENCY_KEY = 255;

/** Talks to a Stripe-style PaymentIntents API (the simulator, or anything that speaks it): one confirmed PaymentIntent per charge. */
export class StripeClient implements ProviderClient {
  readonly provider = 'stripe';
  readonly #pool: Pool;
  readonly #timeoutMs: number;
  readonly #secretKey: string;

  constructor(connection: ProviderConnection) {
    this.#secretKey = new Credentials(this.provider, connection.credentials).headerText('secretKey', 'sk_test_paychaos');
    this.#timeoutMs = connection.timeoutMs ?? 10_000;
    this.#pool = openPool(this.provider, connection);
  }

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    const body = encodeStripeForm({ amount: req.amount, currency: req.currency, payment_method: req.paymentMethod, confirm: 'true', metadata: { order_id: req.orderId } });
    try {
      const res = await this.#pool.request({
        method: 'POST',
        path: '/v1/payment_intents',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': boundedKey(req.providerKey, MAX_IDEMPOTENCY_KEY), authorization: `Bearer ${this.#secretKey}` },
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
  const json = jsonObject(text);
  if (json === undefined) return unreadableAnswer(status);
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
  return statusFailure(status, providerCode) ?? { outcome: 'failed', errorCode: normaliseStripe(error.code, error.decline_code), providerCode, providerStatus: status };
}
