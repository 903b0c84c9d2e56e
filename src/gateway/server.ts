import { createHash, randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { paychaosError, type ErrorCode } from '../errors.js';
import { listenFastify, type ListenOptions, type Listening } from '../stack/index.js';
import { ATTR, paymentInstruments, type NormalisedCode, type PaymentOutcome, type Variant } from '../telemetry/index.js';
import { seededRng } from '../load/index.js';
import { GatewayIdempotency, type GatewayResponse } from './idempotency.js';
import { StripeClient, type ChargeRequest, type ChargeResult } from './stripe-client.js';

export interface GatewayOptions {
  /** Base URL of the card acquirer (the Stripe-style simulator, usually through a proxy). */
  providerUrl: string;
  provider?: string;
  variant?: Variant;
  version?: string;
  providerTimeoutMs?: number;
  /** A deliberate regression, for canary rehearsals: what a bad release would do. */
  regression?: GatewayRegression;
}

export interface GatewayRegression {
  /** Added to every payment answer, as a slow new code path would. */
  extraLatencyMs?: number;
  /** Share of payments the gateway fails with provider_error before calling the provider (a broken client). */
  providerErrorRate?: number;
  /** Seed for which payments the regression hits, so a rehearsal replays. */
  seed?: number;
}

export interface PaymentResponse {
  paymentId: string;
  orderId: string;
  status: PaymentOutcome;
  provider: string;
  providerPaymentId?: string;
  errorCode?: NormalisedCode;
  providerCode?: string;
  variant: Variant;
}

interface PaymentBody {
  orderId: string;
  amount: number;
  currency: string;
  paymentMethod: string;
}

/**
 * The reference payment gateway: the system under test in demos and self-tests.
 *
 * `POST /payments` honours `Idempotency-Key` (replay, 422 on mismatch, 409 in flight) and,
 * separately, refuses to charge an order twice: a second payment for an order that already
 * succeeded returns the first result — the guard against the client that retries with a new
 * key. Each provider call carries a key derived from the client's, so the gateway's own
 * retries cannot double-charge either.
 */
export function buildGateway(options: GatewayOptions): { app: FastifyInstance; close(): Promise<void> } {
  const provider = options.provider ?? 'stripe';
  const variant = options.variant ?? 'baseline';
  const client = new StripeClient(options.providerUrl, { timeoutMs: options.providerTimeoutMs ?? 10_000 });
  const keys = new GatewayIdempotency();
  const orders = new Map<string, PaymentResponse>();
  const inFlightOrders = new Set<string>();
  const regression = options.regression ?? {};
  const draw = seededRng(regression.seed ?? 1);

  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });

  app.get('/healthz', async () => ({ ok: true, variant, version: options.version ?? '0' }));
  app.get<{ Params: { orderId: string } }>('/payments/:orderId', async (req, reply) => {
    const payment = orders.get(req.params.orderId);
    return payment ?? reply.code(404).send(errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', `no payment for order ${req.params.orderId}`));
  });

  const otel = paymentInstruments('paychaos-gateway');
  const pointAttrs = { [ATTR.provider]: provider, [ATTR.method]: 'card', [ATTR.variant]: variant, [ATTR.serviceVersion]: options.version ?? '0' };

  // Every answer is one span and one metric point, whichever path produced it.
  app.post('/payments', (req, reply) =>
    otel.tracer.startActiveSpan('payment', { kind: SpanKind.SERVER, attributes: pointAttrs }, async (span) => {
      const started = performance.now();
      try {
        const response = await handle(req.body, req.headers['idempotency-key'], reply);
        const attrs = { ...pointAttrs, ...outcomeAttributes(response) };
        span.setAttributes(attrs);
        otel.requests.add(1, attrs);
        otel.duration.record((performance.now() - started) / 1000, attrs);
        return send(reply, response);
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      } finally {
        span.end();
      }
    }),
  );

  async function handle(body: unknown, key: string | string[] | undefined, reply: FastifyReply): Promise<GatewayResponse> {
    const parsed = validate(body);
    if (typeof parsed === 'string') return { status: 400, body: errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', parsed) };
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      return { status: 400, body: errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', 'header Idempotency-Key is required (1–255 characters)') };
    }
    const fingerprint = createHash('sha256').update(JSON.stringify([parsed.orderId, parsed.amount, parsed.currency, parsed.paymentMethod])).digest('hex');
    const claim = keys.claim(key, fingerprint);
    if (claim.kind === 'mismatch') return { status: 422, body: errorBody('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_MISMATCH', `Idempotency-Key ${key} was used with different parameters`) };
    if (claim.kind === 'in_flight') return { status: 409, body: errorBody('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT', `a request with Idempotency-Key ${key} is in flight`) };
    if (claim.kind === 'replay') {
      reply.header('idempotent-replayed', 'true');
      return claim.response;
    }

    // Order-level guard: whatever the key, an order is charged at most once. A prior attempt
    // whose outcome is unknown (pending) is not retried under a new key either: the charge may
    // exist, so the answer stays the prior one until the provider is queried.
    const prior = orders.get(parsed.orderId);
    if (prior && prior.status !== 'failed') {
      const response = { status: 200, body: prior };
      claim.finish(response);
      reply.header('idempotent-replayed', 'order');
      return response;
    }
    if (inFlightOrders.has(parsed.orderId)) {
      claim.release();
      return { status: 409, body: errorBody('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT', `a payment for order ${parsed.orderId} is in flight`) };
    }
    inFlightOrders.add(parsed.orderId);
    try {
      if (regression.extraLatencyMs) await new Promise((r) => setTimeout(r, regression.extraLatencyMs));
      const broken = regression.providerErrorRate !== undefined && draw() < regression.providerErrorRate;
      const result: ChargeResult = broken
        ? { outcome: 'failed', errorCode: 'provider_error', providerCode: 'gateway_regression', providerStatus: 0 }
        : await chargeObserved({ ...parsed, providerKey: `gw-${fingerprint.slice(0, 16)}-${key}` });
      const payment = toPayment(parsed.orderId, result);
      if (payment.status !== 'failed' || !orders.has(parsed.orderId)) orders.set(parsed.orderId, payment);
      const response: GatewayResponse = { status: httpStatus(result), body: payment };
      claim.finish(response);
      return response;
    } finally {
      inFlightOrders.delete(parsed.orderId);
    }
  }

  /** One provider call: a child span and a provider-call metric point. */
  function chargeObserved(req: ChargeRequest): Promise<ChargeResult> {
    return otel.tracer.startActiveSpan('provider.charge', { kind: SpanKind.CLIENT, attributes: { [ATTR.provider]: provider, [ATTR.attempt]: 1 } }, async (span) => {
      const started = performance.now();
      try {
        const result = await client.charge(req);
        const attrs = { ...pointAttrs, [ATTR.outcome]: result.outcome, [ATTR.errorCode]: result.errorCode ?? '', [ATTR.providerCode]: result.providerCode ?? '' };
        span.setAttributes(attrs);
        otel.providerCalls.add(1, attrs);
        otel.providerDuration.record((performance.now() - started) / 1000, attrs);
        return result;
      } finally {
        span.end();
      }
    });
  }

  function toPayment(orderId: string, result: ChargeResult): PaymentResponse {
    return {
      paymentId: `pay_${randomUUID()}`,
      orderId,
      status: result.outcome,
      provider,
      variant,
      ...(result.paymentId ? { providerPaymentId: result.paymentId } : {}),
      ...(result.errorCode ? { errorCode: result.errorCode } : {}),
      ...(result.providerCode ? { providerCode: result.providerCode } : {}),
    };
  }

  return {
    app,
    close: async () => {
      await app.close();
      await client.close();
    },
  };
}

/** 201 for a charge, 402 for a decline, 429/502/503/504 when the provider failed or the outcome is unknown (the body says which). */
function httpStatus(result: ChargeResult): number {
  if (result.outcome === 'succeeded') return 201;
  if (result.outcome === 'pending') return result.errorCode === 'outcome_unknown' ? 504 : result.errorCode === 'provider_unavailable' ? 503 : 502;
  if (result.errorCode === 'provider_unavailable' || result.errorCode === 'network_error') return 503;
  if (result.errorCode === 'rate_limited') return 429;
  if (result.errorCode === 'provider_error') return 502;
  return 402;
}

/** Outcome attributes of an answer: a payment body's own, or what an error answer means. */
function outcomeAttributes(response: GatewayResponse): Record<string, string> {
  const body = response.body as Partial<PaymentResponse>;
  if (typeof body.status === 'string') return { [ATTR.outcome]: body.status, [ATTR.errorCode]: body.errorCode ?? '', [ATTR.providerCode]: body.providerCode ?? '' };
  const errorCode = response.status === 409 ? 'duplicate_transaction' : 'invalid_request';
  return { [ATTR.outcome]: response.status === 409 ? 'pending' : 'failed', [ATTR.errorCode]: errorCode, [ATTR.providerCode]: '' };
}

function send(reply: FastifyReply, response: GatewayResponse): FastifyReply {
  return reply.code(response.status).send(response.body);
}

function errorBody(code: ErrorCode, message: string): { error: { code: string; message: string; hint: string } } {
  const err = paychaosError(code, message);
  return { error: { code: err.code, message: err.message, hint: err.hint } };
}

function validate(body: unknown): PaymentBody | string {
  if (typeof body !== 'object' || body === null) return 'body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b.orderId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(b.orderId)) return 'orderId: expected 1–64 letters, digits, _ or -';
  if (typeof b.amount !== 'number' || !Number.isSafeInteger(b.amount) || b.amount <= 0) return 'amount: expected a positive integer in minor units';
  if (typeof b.currency !== 'string' || !/^[A-Za-z]{3}$/.test(b.currency)) return 'currency: expected an ISO 4217 code such as EUR';
  if (typeof b.paymentMethod !== 'string' || b.paymentMethod.length === 0 || b.paymentMethod.length > 64) return 'paymentMethod: expected a payment method id such as pm_card_visa';
  return { orderId: b.orderId, amount: b.amount, currency: b.currency.toLowerCase(), paymentMethod: b.paymentMethod };
}

/** Start a gateway instance on 127.0.0.1 (port 0 unless given). */
export async function startGateway(options: GatewayOptions & ListenOptions): Promise<Listening> {
  const gw = buildGateway(options);
  const listening = await listenFastify(gw.app, options);
  const close = async (): Promise<void> => {
    await listening.close();
    await gw.close();
  };
  return { ...listening, close, [Symbol.asyncDispose]: close };
}
