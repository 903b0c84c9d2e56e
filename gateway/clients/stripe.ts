import type { Pool } from 'undici';
import { normaliseStripe } from './codes/index.js';
import { encodeStripeForm } from './form.js';
import { Credentials, openPool } from './connection.js';
import { boundedKey, jsonObject, statusFailure, transportFailure, unreadableAnswer, type ChargeRequest, type ChargeResult, type ProviderClient, type ProviderConnection, type QueryRequest, type QueryResult } from './provider-client.js';

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

  /**
   * The PaymentIntent's status: `GET /v1/payment_intents/{id}` when an answer gave its id, else the
   * Search API by the order id the charge put in its metadata
   * (`GET /v1/payment_intents/search?query=metadata['order_id']:'…'`). Stripe documents search as
   * eventually consistent (new objects can take up to a minute to appear), so "absent" from a
   * search is only believed by the recovery loop once the charge is older than its absentAfterMs.
   */
  async query(req: QueryRequest): Promise<QueryResult> {
    const path = req.providerPaymentId !== undefined
      ? `/v1/payment_intents/${encodeURIComponent(req.providerPaymentId)}`
      : `/v1/payment_intents/search?query=${encodeURIComponent(`metadata['order_id']:'${req.orderId.replace(/'/g, "\\'")}'`)}`;
    let status: number;
    let json: Record<string, unknown> | undefined;
    try {
      const res = await this.#pool.request({ method: 'GET', path, headers: { authorization: `Bearer ${this.#secretKey}` }, headersTimeout: this.#timeoutMs, bodyTimeout: this.#timeoutMs });
      status = res.statusCode;
      json = jsonObject(await res.body.text());
    } catch (err) {
      return { kind: 'unknown', reason: String((err as { code?: string }).code ?? 'transport') };
    }
    if (status === 404) return { kind: 'absent', providerStatus: status };
    if (status !== 200 || json === undefined) return { kind: 'unknown', reason: `HTTP ${status}` };
    if (req.providerPaymentId !== undefined) return fromIntent(json, status);
    const found = Array.isArray(json.data) ? (json.data as Record<string, unknown>[]) : [];
    if (found.length === 0) return { kind: 'absent', providerStatus: status };
    // One order, several intents only if an earlier payment failed: a success among them is the answer.
    const readings = found.map((intent) => fromIntent(intent, status));
    return readings.find((r) => r.kind === 'final' && r.result.outcome === 'succeeded') ?? readings.find((r) => r.kind === 'waiting') ?? readings[0]!;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/** A PaymentIntent's status as a query result (docs.stripe.com/payments/paymentintents/lifecycle). */
function fromIntent(intent: Record<string, unknown>, status: number): QueryResult {
  const id = typeof intent.id === 'string' ? { paymentId: intent.id } : {};
  switch (intent.status) {
    case 'succeeded':
      return { kind: 'final', result: { outcome: 'succeeded', ...id, providerStatus: status } };
    case 'requires_payment_method': {
      // A confirm that was declined leaves the intent here, with the decline on last_payment_error.
      const e = (intent.last_payment_error ?? {}) as { code?: string; decline_code?: string };
      return { kind: 'final', result: { outcome: 'failed', errorCode: normaliseStripe(e.code, e.decline_code), providerCode: e.decline_code ?? e.code ?? 'requires_payment_method', ...id, providerStatus: status } };
    }
    case 'canceled':
      return { kind: 'final', result: { outcome: 'failed', errorCode: 'order_closed', providerCode: 'canceled', ...id, providerStatus: status } };
    case 'requires_action':
      return { kind: 'final', result: { outcome: 'failed', errorCode: 'authentication_required', providerCode: 'requires_action', ...id, providerStatus: status } };
    case 'processing':
    case 'requires_confirmation':
    case 'requires_capture':
      return { kind: 'waiting', result: { outcome: 'pending', providerCode: intent.status, ...id, providerStatus: status } };
    default:
      return { kind: 'unknown', reason: `status ${String(intent.status)}` };
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
