import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { NormalisedCode } from '../src/conventions/index.js';
import type { LifecycleResult, ProviderClient } from './clients/index.js';
import { captureUnknown, capturePayment, checkCapture } from './capture-route.js';
import { errorBody } from './error-body.js';
import { outcomeUnknown } from './held.js';
import type { GatewayResponse } from './idempotency.js';
import type { GatewayStore, PaymentRecord } from './store/index.js';

/**
 * After the charge: `POST /payments/{id}/refunds` and `POST /payments/{id}/cancel`, each through
 * the client of the provider that charged (the payment row's provider, after any failover), each
 * idempotent by its Idempotency-Key (a key namespace of its own per payment, stored like a
 * payment's), each booked in the store's ledger.
 *
 * Refunds never exceed what was captured: the gateway checks before calling the provider, one
 * refund per payment at a time (so two concurrent partial refunds cannot both pass the check), and
 * the ledger refuses a booking beyond the captures whatever happens. A refund's provider key
 * (`refundKey`) derives from the payment and the client's key, so a retried or resumed request
 * refunds once at the provider too.
 */
export interface LifecycleDeps {
  readonly store: GatewayStore;
  readonly clients: ReadonlyMap<string, ProviderClient>;
  /** The failure answer's shopper message (messages.ts), by the request's Accept-Language. */
  readonly describe?: (code: NormalisedCode, acceptLanguage: string | string[] | undefined) => string;
  /**
   * A regression (config `regression.refundKeyPerRequest`), for negative controls: each request
   * sends its refund under a fresh provider key instead of one derived from the client's key, so
   * a refund retried after an unknown answer is applied again at the provider.
   */
  readonly refundKeyPerRequest?: boolean;
  /**
   * A regression (config `regression.raceBlind`), for negative controls: a cancel of a payment
   * whose capture is in flight does not wait for it (no per-payment guard) — it answers the void
   * succeeded at once, without asking the provider, though the capture may well land.
   */
  readonly raceBlind?: boolean;
  /**
   * Ask the payment's provider where a payment stands and record it (the recovery loop's
   * Recovery.settle): a capture or a cancel of a payment whose charge's answer was lost asks
   * before judging it — the provider may hold it (charged, then 500) while the row still says
   * unknown. Absent (the noRecovery regression), the row is judged as it is.
   */
  readonly settle?: (payment: PaymentRecord) => Promise<PaymentRecord>;
}

/** A lock older than this is a request that died: its key can be taken over (as for payments). */
const STALE_LOCK_MS = 90_000;

export interface RefundResponse {
  paymentId: string;
  orderId: string;
  provider: string;
  refundKey: string;
  refundId?: string;
  amount: number;
  currency: string;
  status: 'succeeded' | 'pending' | 'failed';
  errorCode?: NormalisedCode;
  providerCode?: string;
  message?: string;
  /** Minor units captured, and refunded so far (booked in the ledger), after this refund. */
  captured: number;
  refunded: number;
}

export function registerLifecycleRoutes(app: FastifyInstance, deps: LifecycleDeps): void {
  const { store, clients } = deps;
  // Payments with a refund, cancel or capture being sent now, and which: one at a time each, so the
  // refundable check holds and a capture and a void of one payment never race inside this gateway.
  const busy = new Map<string, 'refund' | 'cancel' | 'capture'>();

  app.post<{ Params: { id: string }; Body: unknown }>('/payments/:id/refunds', async (req, reply) => {
    const payment = store.payments.get(req.params.id) ?? store.payments.forOrder(req.params.id);
    if (!payment) return reply.code(404).send(errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', `no payment ${req.params.id} (neither a payment id nor an order id this gateway knows)`));
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) return reply.code(400).send(errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', 'header Idempotency-Key is required (1–255 characters): one per refund, the same on every retry of it'));
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    if (body.amount !== undefined && (typeof body.amount !== 'number' || !Number.isSafeInteger(body.amount) || body.amount <= 0)) {
      return reply.code(400).send(errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', 'amount: expected a positive integer in minor units (omit it to refund everything still refundable)'));
    }
    if (body.reason !== undefined && (typeof body.reason !== 'string' || body.reason.length > 200)) return reply.code(400).send(errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', 'reason: expected text of at most 200 characters'));
    const response = await once(`refund:${payment.paymentId}:${key}`, [body.amount ?? 'rest', body.reason ?? ''], reply, (resumed) => refund(payment, key, body.amount as number | undefined, body.reason as string | undefined, req.headers['accept-language'], resumed));
    return reply.code(response.status).send(response.body);
  });

  app.post<{ Params: { id: string } }>('/payments/:id/cancel', async (req, reply) => {
    const payment = store.payments.get(req.params.id) ?? store.payments.forOrder(req.params.id);
    if (!payment) return reply.code(404).send(errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', `no payment ${req.params.id} (neither a payment id nor an order id this gateway knows)`));
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) return reply.code(400).send(errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', 'header Idempotency-Key is required (1–255 characters)'));
    const response = await once(`cancel:${payment.paymentId}:${key}`, [], reply, () => cancel(payment, key, req.headers['accept-language']));
    return reply.code(response.status).send(response.body);
  });

  app.post<{ Params: { id: string }; Body: unknown }>('/payments/:id/capture', async (req, reply) => {
    const payment = store.payments.get(req.params.id) ?? store.payments.forOrder(req.params.id);
    if (!payment) return reply.code(404).send(errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', `no payment ${req.params.id} (neither a payment id nor an order id this gateway knows)`));
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) return reply.code(400).send(errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', 'header Idempotency-Key is required (1–255 characters): one per capture, the same on every retry of it'));
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    if (body.amount !== undefined && (typeof body.amount !== 'number' || !Number.isSafeInteger(body.amount) || body.amount <= 0)) {
      return reply.code(400).send(errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', 'amount: expected a positive integer in minor units, at most the amount held (omit it to capture everything held)'));
    }
    const response = await once(`capture:${payment.paymentId}:${key}`, [body.amount ?? 'all'], reply, async (resumed) => {
      const current = await learnt(store.payments.get(payment.paymentId)!);
      const client = clients.get(current.provider);
      // Asked, and the provider could not say yet: the hold may exist — unknown, never refused NOT_HELD.
      if (deps.settle && client?.capture && outcomeUnknown(current)) return captureUnknown(deps, current, (body.amount as number | undefined) ?? current.amount, req.headers['accept-language']);
      const checked = checkCapture(current, client, body.amount as number | undefined);
      if (typeof checked !== 'number') return checked;
      if (busy.has(current.paymentId)) return { response: { status: 409, body: errorBody('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT', `a ${busy.get(current.paymentId)!} of payment ${current.paymentId} is in flight; retry after it answers`) }, final: false };
      busy.set(current.paymentId, 'capture');
      try {
        return await capturePayment(deps, current, client!, checked, resumed, req.headers['accept-language']);
      } finally {
        busy.delete(current.paymentId);
      }
    });
    return reply.code(response.status).send(response.body);
  });

  /**
   * The payment endpoint's idempotency, for a lifecycle request: a replay answers the stored
   * answer; a final answer is stored; an unknown one (pending after a timeout) unlocks the key so
   * its retry asks again under the same provider key; a refusal before any call releases it.
   */
  async function once(key: string, params: unknown[], reply: { header(k: string, v: string): unknown }, work: (resumed: boolean) => Promise<{ response: GatewayResponse; final: boolean | 'nothing_sent' }>): Promise<GatewayResponse> {
    const fingerprint = createHash('sha256').update(JSON.stringify(params)).digest('hex');
    const claim = store.keys.claim(key, fingerprint, store.boot, store.now(), STALE_LOCK_MS);
    if (claim.kind === 'mismatch') return { status: 422, body: errorBody('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_MISMATCH', `Idempotency-Key ${key.split(':').slice(2).join(':')} was used for this payment with different parameters`) };
    if (claim.kind === 'in_flight') return { status: 409, body: errorBody('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT', `a request with this Idempotency-Key is in flight`) };
    if (claim.kind === 'replay') {
      reply.header('idempotent-replayed', 'true');
      return claim.response;
    }
    let outcome: { response: GatewayResponse; final: boolean | 'nothing_sent' } | undefined;
    try {
      // `resume`: an earlier request with this key got no known answer (or died): the work may ask before sending.
      outcome = await work(claim.kind === 'resume');
      return outcome.response;
    } finally {
      if (outcome?.final === true) store.keys.finish(key, outcome.response);
      else if (outcome?.final === 'nothing_sent') store.keys.release(key);
      else store.keys.unlock(key);
    }
  }

  /** The payment as its provider has it, when its row cannot say (outcomeUnknown); else the row. A query that fails leaves the row. */
  async function learnt(payment: PaymentRecord): Promise<PaymentRecord> {
    if (!deps.settle || !outcomeUnknown(payment)) return payment;
    return deps.settle(payment).catch(() => store.payments.get(payment.paymentId) ?? payment);
  }

  async function refund(payment: PaymentRecord, key: string, asked: number | undefined, reason: string | undefined, lang: string | string[] | undefined, resumed: boolean) {
    const refused = (status: number, message: string) => ({ response: { status, body: errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', message) }, final: 'nothing_sent' as const });
    if (payment.status !== 'succeeded') return refused(409, `payment ${payment.paymentId} is ${payment.status}: only a captured payment is refunded (cancel a pending one: POST /payments/${payment.paymentId}/cancel)`);
    const client = clients.get(payment.provider);
    if (!client?.refund) return refused(409, `provider ${payment.provider} has no refund the gateway speaks; refund at the provider`);
    if (busy.has(payment.paymentId)) return { response: { status: 409, body: errorBody('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT', `a ${busy.get(payment.paymentId)!} of payment ${payment.paymentId} is in flight; retry after it answers`) }, final: false };
    busy.set(payment.paymentId, 'refund');
    try {
      const captured = store.ledger.captured(payment.paymentId);
      // Resumed after an unknown answer: a running total may have booked this very refund unnamed
      // (Stripe's charge.refunded overtaking the retry), so only refunds known by id count against
      // it; its refund key makes the provider replay the refund made, never make a second.
      const refundable = captured - (resumed ? store.ledger.refundedNamed(payment.paymentId) : store.ledger.refunded(payment.paymentId));
      const amount = asked ?? refundable;
      if (refundable <= 0) return refused(409, `payment ${payment.paymentId} is already refunded in full (${captured} captured, ${captured} refunded)`);
      if (amount > refundable) return refused(422, `amount: ${amount} is more than the ${refundable} still refundable of payment ${payment.paymentId} (${captured} captured); ask for at most ${refundable}`);
      // Scoped to the payment: a client may reuse its key for another payment's refund, and the
      // provider must see two refunds, not one key sent with other parameters (an idempotency clash).
      const refundKey = `rf_${createHash('sha256').update(`${payment.paymentId}:${deps.refundKeyPerRequest ? `${key}:${randomUUID()}` : key}`).digest('hex').slice(0, 32)}`;
      let result: LifecycleResult;
      // The key's claim commits before the provider hears of the refund (a failed commit throws: nothing sent).
      await store.durable();
      try {
        // A split payment at a provider that reverses splits: the shares the books will book with the refund.
        const shares = payment.split && store.ledger.reversesSplitsAt(payment.provider) ? store.ledger.refundSplitShares(payment.paymentId, amount) : undefined;
        const split = shares && payment.split ? { split: { ...shares, platformFee: payment.split.platformFee } } : {};
        result = await client.refund({ orderId: payment.orderId, ...(payment.providerPaymentId !== undefined ? { paymentId: payment.providerPaymentId } : {}), amount, capturedAmount: payment.amount, currency: payment.currency, refundKey, ...(reason !== undefined ? { reason } : {}), ...split });
      } catch {
        result = { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'client_error', providerStatus: 0 };
      }
      // The refund is booked under its provider id when it has one (a notification names the same), else its key.
      if (result.outcome === 'succeeded') store.ledger.refund(payment.paymentId, payment.provider, amount, payment.currency, result.refundId ?? refundKey, store.now());
      const body: RefundResponse = {
        paymentId: payment.paymentId,
        orderId: payment.orderId,
        provider: payment.provider,
        refundKey,
        ...(result.refundId !== undefined ? { refundId: result.refundId } : {}),
        amount,
        currency: payment.currency,
        status: result.outcome,
        ...(result.errorCode !== undefined ? { errorCode: result.errorCode, ...(deps.describe ? { message: deps.describe(result.errorCode, lang) } : {}) } : {}),
        ...(result.providerCode !== undefined ? { providerCode: result.providerCode } : {}),
        captured,
        refunded: store.ledger.refunded(payment.paymentId),
      };
      // Accepted and waiting for the provider (Adyen's `received`, WeChat's PROCESSING): final; a timeout or 5xx: not yet known.
      const known = result.outcome !== 'pending' || (result.errorCode === undefined && result.providerStatus >= 200 && result.providerStatus < 300);
      return { response: { status: lifecycleStatus(result), body }, final: known };
    } finally {
      busy.delete(payment.paymentId);
    }
  }

  async function cancel(asked: PaymentRecord, key: string, lang: string | string[] | undefined) {
    const payment = await learnt(store.payments.get(asked.paymentId) ?? asked);
    const refused = (status: number, message: string) => ({ response: { status, body: errorBody('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', message) }, final: 'nothing_sent' as const });
    if (payment.status === 'failed') return refused(409, `payment ${payment.paymentId} already failed (${payment.errorCode ?? 'failed'}): nothing to cancel`);
    if (payment.status === 'succeeded') return refused(409, `payment ${payment.paymentId} is captured: a cancel never moves captured money; refund it (POST /payments/${payment.paymentId}/refunds)`);
    const client = clients.get(payment.provider);
    if (!client?.cancel) return refused(409, `provider ${payment.provider} has no cancel the gateway speaks`);
    // The payment joins the client's key: two payments cancelled under one client key are two cancels at the provider, not a key clash.
    const cancelKey = `cx_${createHash('sha256').update(`${payment.paymentId}:${key}`).digest('hex').slice(0, 32)}`;
    // Asked, and the provider could not say, and without its id there is nothing to void by (Stripe's
    // PaymentIntent): the hold may exist — unknown, key unlocked, never a refusal that says nothing was charged.
    if (deps.settle && client.query && outcomeUnknown(payment) && payment.providerPaymentId === undefined) {
      const body = { paymentId: payment.paymentId, orderId: payment.orderId, provider: payment.provider, cancelKey, status: 'pending', paymentStatus: payment.status, errorCode: 'outcome_unknown' as const, ...(deps.describe ? { message: deps.describe('outcome_unknown', lang) } : {}), providerCode: 'payment_outcome_unknown' };
      return { response: { status: 504, body }, final: false };
    }
    if (deps.raceBlind && busy.get(payment.paymentId) === 'capture') {
      // The regression: the void is taken for done while the capture is still out — nothing sent.
      const settled = store.settlePayment(payment.paymentId, { status: 'failed', errorCode: 'order_closed', providerCode: 'cancelled', httpStatus: 402 });
      return { response: { status: 201, body: { paymentId: payment.paymentId, orderId: payment.orderId, provider: payment.provider, cancelKey, status: 'succeeded', paymentStatus: settled.status } }, final: true };
    }
    if (busy.has(payment.paymentId)) return { response: { status: 409, body: errorBody('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_IN_FLIGHT', `a ${busy.get(payment.paymentId)!} of payment ${payment.paymentId} is in flight; retry after it answers`) }, final: false };
    busy.set(payment.paymentId, 'cancel');
    try {
      let result: LifecycleResult;
      await store.durable();
      try {
        result = await client.cancel({ orderId: payment.orderId, ...(payment.providerPaymentId !== undefined ? { paymentId: payment.providerPaymentId } : {}), cancelKey });
      } catch {
        result = { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'client_error', providerStatus: 0 };
      }
      // Cancelled: the order can never be paid — failed, order_closed (monotone: a capture that raced it still wins).
      const settled =
        result.outcome === 'succeeded'
          ? store.settlePayment(payment.paymentId, { status: 'failed', errorCode: 'order_closed', providerCode: 'cancelled', httpStatus: 402 })
          : store.payments.get(payment.paymentId)!;
      const body = {
        paymentId: payment.paymentId,
        orderId: payment.orderId,
        provider: payment.provider,
        cancelKey,
        status: result.outcome,
        paymentStatus: settled.status,
        ...(result.cancelId !== undefined ? { cancelId: result.cancelId } : {}),
        ...(result.errorCode !== undefined ? { errorCode: result.errorCode, ...(deps.describe ? { message: deps.describe(result.errorCode, lang) } : {}) } : {}),
        ...(result.providerCode !== undefined ? { providerCode: result.providerCode } : {}),
      };
      const known = result.outcome !== 'pending' || (result.errorCode === undefined && result.providerStatus >= 200 && result.providerStatus < 300);
      return { response: { status: lifecycleStatus(result), body }, final: known };
    } finally {
      busy.delete(payment.paymentId);
    }
  }
}

/** 201 done; 202 accepted, its end to come (a notification, a query); 402 refused by the provider; 502/503/504 as for payments. */
function lifecycleStatus(r: LifecycleResult): number {
  if (r.outcome === 'succeeded') return 201;
  if (r.outcome === 'pending') return r.errorCode === undefined ? 202 : r.errorCode === 'outcome_unknown' ? 504 : 502;
  if (r.errorCode === 'network_error' || r.errorCode === 'provider_unavailable') return 503;
  if (r.errorCode === 'rate_limited') return 429;
  return 402;
}
