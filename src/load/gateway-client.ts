import { Pool } from 'undici';
import type { NormalisedCode, PaymentOutcome } from '../telemetry/index.js';
import { isNormalisedCode } from '../telemetry/index.js';

export interface PaymentAttempt {
  orderId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
  idempotencyKey: string;
}

export interface AttemptResult {
  outcome: PaymentOutcome;
  errorCode?: NormalisedCode;
  providerCode?: string;
  status: number;
  provider?: string;
  /** Ended by the harness (Ctrl-C) rather than by the system under test. */
  aborted: boolean;
}

/** The load driver's client for the reference gateway's `POST /payments`. */
export class GatewayClient {
  readonly #pool: Pool;
  readonly #timeoutMs: number;

  constructor(baseUrl: string, options: { connections?: number; timeoutMs?: number } = {}) {
    this.#pool = new Pool(baseUrl, { connections: options.connections ?? 128 });
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  async pay(attempt: PaymentAttempt, signal?: AbortSignal): Promise<AttemptResult> {
    try {
      const res = await this.#pool.request({
        method: 'POST',
        path: '/payments',
        headers: { 'content-type': 'application/json', 'idempotency-key': attempt.idempotencyKey },
        body: JSON.stringify({ orderId: attempt.orderId, amount: attempt.amount, currency: attempt.currency, paymentMethod: attempt.paymentMethod }),
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
        ...(signal ? { signal } : {}),
      });
      const text = await res.body.text();
      return classify(res.statusCode, text);
    } catch (err) {
      if (signal?.aborted) return { outcome: 'pending', errorCode: 'outcome_unknown', status: 0, aborted: true };
      const code = (err as { code?: string }).code;
      if (code === 'ECONNREFUSED') return { outcome: 'failed', errorCode: 'network_error', providerCode: code, status: 0, aborted: false };
      return { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: code ?? 'error', status: 0, aborted: false };
    }
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/** Read the gateway's answer into an outcome and a normalised code. */
export function classify(status: number, text: string): AttemptResult {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { outcome: 'pending', errorCode: 'outcome_unknown', status, aborted: false };
  }
  if (typeof body.status === 'string' && ['succeeded', 'failed', 'pending'].includes(body.status)) {
    const code = typeof body.errorCode === 'string' && isNormalisedCode(body.errorCode) ? body.errorCode : undefined;
    return {
      outcome: body.status as PaymentOutcome,
      ...(body.status !== 'succeeded' ? { errorCode: code ?? 'unknown' } : {}),
      ...(typeof body.providerCode === 'string' ? { providerCode: body.providerCode } : {}),
      ...(typeof body.provider === 'string' ? { provider: body.provider } : {}),
      status,
      aborted: false,
    };
  }
  const errorCode: NormalisedCode = status === 409 ? 'duplicate_transaction' : status === 429 ? 'rate_limited' : status >= 500 ? 'provider_error' : 'invalid_request';
  const gatewayCode = (body.error as { code?: string } | undefined)?.code;
  return { outcome: 'failed', errorCode, ...(gatewayCode ? { providerCode: gatewayCode } : {}), status, aborted: false };
}
