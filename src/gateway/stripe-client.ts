import { Pool, errors as undiciErrors } from 'undici';
import { encodeForm, normaliseStripeCode } from '../../simulators/index.js';
import type { NormalisedCode, PaymentOutcome } from '../telemetry/index.js';

export interface ChargeRequest {
  orderId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
  /** Sent to the provider as its Idempotency-Key, so the gateway's own retries never double-charge. */
  providerKey: string;
}

export interface ChargeResult {
  outcome: PaymentOutcome;
  errorCode?: NormalisedCode;
  providerCode?: string;
  paymentId?: string;
  providerStatus: number;
}

/** Talks to a Stripe-style PaymentIntents API (the simulator, or anything that speaks it). */
export class StripeClient {
  readonly #pool: Pool;
  readonly #timeoutMs: number;

  constructor(baseUrl: string, options: { timeoutMs?: number; connections?: number } = {}) {
    this.#pool = new Pool(baseUrl, { connections: options.connections ?? 64 });
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    const body = encodeForm({ amount: req.amount, currency: req.currency, payment_method: req.paymentMethod, confirm: 'true', metadata: { order_id: req.orderId } });
    try {
      const res = await this.#pool.request({
        method: 'POST',
        path: '/v1/payment_intents',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': req.providerKey, authorization: 'Bearer sk_test_paychaos' },
        body,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      const text = await res.body.text();
      return interpret(res.statusCode, text);
    } catch (err) {
      return failure(err);
    }
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

function interpret(status: number, text: string): ChargeResult {
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // A body cut mid-way (a proxy's limit_data) is not an answer: the charge may exist.
    return { outcome: 'pending', errorCode: 'outcome_unknown', providerStatus: status };
  }
  if (status === 200 && typeof json.status === 'string') {
    const id = typeof json.id === 'string' ? json.id : undefined;
    if (json.status === 'succeeded') return { outcome: 'succeeded', paymentId: id, providerStatus: status };
    if (json.status === 'requires_action') return { outcome: 'failed', errorCode: 'authentication_required', providerCode: 'requires_action', paymentId: id, providerStatus: status };
    return { outcome: 'pending', paymentId: id, providerCode: json.status, providerStatus: status };
  }
  const error = (json.error ?? {}) as { code?: string; decline_code?: string; type?: string };
  const providerCode = error.decline_code ?? error.code ?? error.type;
  if (status === 429) return { outcome: 'failed', errorCode: 'rate_limited', providerCode, providerStatus: status };
  // Any 5xx after the request reached the provider, 503 included: the charge may have happened
  // ("charged, then 5xx"; a provider may answer 503 after committing, and its body looks like a
  // maintenance 503's). Pending, so the gateway's order guard refuses a new key for the order.
  if (status === 503) return { outcome: 'pending', errorCode: 'provider_unavailable', providerCode, providerStatus: status };
  if (status >= 500) return { outcome: 'pending', errorCode: 'provider_error', providerCode, providerStatus: status };
  return { outcome: 'failed', errorCode: normaliseStripeCode(error.code, error.decline_code), providerCode, providerStatus: status };
}

function failure(err: unknown): ChargeResult {
  const code = (err as { code?: string }).code ?? 'error';
  // Refused at connect: nothing reached the provider, so this is a plain network error, safe to
  // retry. Anything else (a timeout, a reset, a body cut short) happened after the request may
  // have been processed: the charge may exist, so the outcome is unknown until queried.
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') return { outcome: 'failed', errorCode: 'network_error', providerCode: code, providerStatus: 0 };
  const timedOut = err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError;
  return { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: timedOut ? 'timeout' : code, providerStatus: 0 };
}
