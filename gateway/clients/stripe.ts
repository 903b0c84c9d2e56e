import type { Dispatcher } from 'undici';
import { normaliseStripe, normaliseStripeLifecycle } from './codes/index.js';
import { badCaptureAmount, badRefundAmount, lifecycleFailure, lifecycleStatusFailure, lifecycleUnreadable, notSendable, type CancelRequest, type CaptureRequest, type LifecycleResult, type RefundQuery, type RefundRequest, type RefundStatus } from './lifecycle.js';
import { encodeStripeForm, type FormValue } from './form.js';
import { Credentials, openPool } from './connection.js';
import { boundedKey, jsonObject, statusFailure, transportFailure, unreadableAnswer, type ChargeRequest, type ChargeResult, type ConfirmAgainRequest, type ProviderClient, type ProviderConnection, type QueryRequest, type QueryResult } from './provider-client.js';

/** Stripe refuses an Idempotency-Key longer than this (400 invalid_request_error). */
const MAX_IDEMPOTENCY_KEY = 255;

/** Talks to a Stripe-style PaymentIntents API (the simulator, or anything that speaks it): one confirmed PaymentIntent per charge. */
export class StripeClient implements ProviderClient {
  readonly provider = 'stripe';
  readonly manualCapture = true;
  readonly threeDSecureChallenge = true;
  readonly splits = true;
  readonly #pool: Dispatcher;
  readonly #timeoutMs: number;
  readonly #secretKey: string;
  readonly #returnUrl: string;

  constructor(connection: ProviderConnection) {
    const c = new Credentials(this.provider, connection.credentials);
    this.#secretKey = c.headerText('secretKey', 'sk_test_paychaos');
    // iDEAL and GrabPay confirm only with somewhere to bring the shopper back to; the gateway learns
    // the outcome by webhook (payment_intent.succeeded / payment_failed), so nobody needs to follow it.
    this.#returnUrl = c.text('returnUrl', 'https://paychaos.invalid/stripe/return');
    this.#timeoutMs = connection.timeoutMs ?? 10_000;
    this.#pool = openPool(this.provider, connection);
  }

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    const redirect = redirectMethodOf(req.paymentMethod);
    // A bank or wallet redirect (iDEAL, GrabPay) is described inline and confirmed with a return_url;
    // a card (Apple Pay and Google Pay included: network-token cards) is a PaymentMethod id.
    // A card with threeDSecure `challenge` is confirmed with a return_url too: Stripe then answers a
    // card that needs 3-D Secure with next_action redirect_to_url (a page the shopper can be sent
    // to) instead of use_stripe_sdk (docs.stripe.com/payments/3d-secure), which a server cannot follow.
    const challenge = !redirect && req.threeDSecure === 'challenge';
    const method = redirect
      ? { payment_method_types: [redirect.type], payment_method_data: redirect, return_url: this.#returnUrl }
      : { payment_method: req.paymentMethod, ...(challenge ? { return_url: this.#returnUrl } : {}) };
    // capture_method=manual: the confirm authorises only (requires_capture, a hold the cancel releases).
    const body = encodeStripeForm({ amount: req.amount, currency: req.currency, ...method, confirm: 'true', ...(req.capture === 'manual' ? { capture_method: 'manual' } : {}), ...connectFields(req.split), metadata: { order_id: req.orderId } });
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
      return interpret(res.statusCode, text, redirect !== undefined, challenge);
    } catch (err) {
      return transportFailure(err);
    }
  }

  /**
   * POST /v1/payment_intents/{id}/confirm with another PaymentMethod: Stripe lets an intent left in
   * requires_payment_method (a decline, a failed challenge) be attempted again in place, under its
   * order's metadata. Answered like a first confirm (no return_url: a card that wants a challenge
   * again fails authentication_required).
   */
  async confirmAgain(req: ConfirmAgainRequest): Promise<ChargeResult> {
    try {
      const res = await this.#pool.request({
        method: 'POST',
        path: `/v1/payment_intents/${encodeURIComponent(req.providerPaymentId)}/confirm`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': boundedKey(req.providerKey, MAX_IDEMPOTENCY_KEY), authorization: `Bearer ${this.#secretKey}` },
        body: encodeStripeForm({ payment_method: req.paymentMethod }),
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      return interpret(res.statusCode, await res.body.text(), false, false);
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
      ({ status, json } = await this.#get(path));
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

  /**
   * POST /v1/refunds by payment_intent, with the refundKey as Idempotency-Key: a retry replays the
   * first answer (Stripe stores it once execution starts), so a refund is made once. Card refunds
   * answer `succeeded` or `pending`; `failed` / `canceled` came back refused.
   */
  async refund(req: RefundRequest): Promise<LifecycleResult> {
    const bad = badRefundAmount(req);
    if (bad) return bad;
    if (req.paymentId === undefined) return notSendable('payment_intent_required');
    // A destination charge's refund takes the connected account's share back and gives back the
    // application fee's share (each proportional, as Stripe computes it); the fee flag only where
    // the charge had a fee (Stripe refuses it otherwise).
    const reversal = req.split ? { reverse_transfer: 'true', ...(req.split.platformFee > 0 ? { refund_application_fee: 'true' } : {}) } : {};
    const body = encodeStripeForm({ payment_intent: req.paymentId, amount: req.amount, ...reversal, metadata: { order_id: req.orderId, refund_key: boundedKey(req.refundKey, MAX_IDEMPOTENCY_KEY), reason: req.reason } });
    return this.#lifecycle('/v1/refunds', body, req.refundKey, (json) => {
      const status = typeof json.status === 'string' ? json.status : undefined;
      const refundId = typeof json.id === 'string' ? { refundId: json.id } : {};
      if (status === 'succeeded') return { outcome: 'succeeded', status, ...refundId, providerStatus: 200 };
      if (status === 'failed' || status === 'canceled') return { outcome: 'failed', errorCode: 'provider_error', providerCode: typeof json.failure_reason === 'string' ? json.failure_reason : status, status, ...refundId, providerStatus: 200 };
      return { outcome: 'pending', ...(status !== undefined ? { status, providerCode: status } : {}), ...refundId, providerStatus: 200 };
    });
  }

  /**
   * POST /v1/payment_intents/{id}/cancel: releases an uncaptured authorisation (requires_capture)
   * or abandons an unpaid intent. A succeeded intent cannot be canceled (400
   * payment_intent_unexpected_state): that money needs a refund.
   */
  async cancel(req: CancelRequest): Promise<LifecycleResult> {
    if (req.paymentId === undefined) return notSendable('payment_intent_required');
    return this.#lifecycle(`/v1/payment_intents/${encodeURIComponent(req.paymentId)}/cancel`, encodeStripeForm({ cancellation_reason: 'requested_by_customer' }), req.cancelKey, (json) =>
      json.status === 'canceled'
        ? { outcome: 'succeeded', status: 'canceled', providerStatus: 200 }
        : { outcome: 'pending', ...(typeof json.status === 'string' ? { status: json.status, providerCode: json.status } : {}), providerStatus: 200 },
    );
  }

  /**
   * POST /v1/payment_intents/{id}/capture with `amount_to_capture` (docs.stripe.com/api/payment_intents/capture):
   * synchronous for cards — the intent answers `succeeded` with `amount_received` the captured
   * amount, and Stripe releases the rest of the hold. A canceled intent (a void got there first)
   * answers 400 payment_intent_unexpected_state: refused, nothing captured.
   */
  async capture(req: CaptureRequest): Promise<LifecycleResult> {
    const bad = badCaptureAmount(req);
    if (bad) return bad;
    if (req.paymentId === undefined) return notSendable('payment_intent_required');
    return this.#lifecycle(`/v1/payment_intents/${encodeURIComponent(req.paymentId)}/capture`, encodeStripeForm({ amount_to_capture: req.amount }), req.captureKey, (json) => {
      const received = typeof json.amount_received === 'number' ? { capturedAmount: json.amount_received } : {};
      return json.status === 'succeeded'
        ? { outcome: 'succeeded', status: 'succeeded', ...received, providerStatus: 200 }
        : { outcome: 'pending', ...(typeof json.status === 'string' ? { status: json.status, providerCode: json.status } : {}), providerStatus: 200 };
    });
  }

  /**
   * GET /v1/refunds/{id}, or — when the refund's answer was lost and with it the id — the
   * PaymentIntent's refunds (GET /v1/refunds?payment_intent=…) searched for the refund_key this
   * client writes into every refund's metadata.
   */
  async queryRefund(q: RefundQuery): Promise<RefundStatus> {
    if (q.refundId === undefined && q.paymentId === undefined) return { state: 'unknown', providerCode: 'payment_intent_required', providerStatus: 0 };
    const path = q.refundId !== undefined ? `/v1/refunds/${encodeURIComponent(q.refundId)}` : `/v1/refunds?payment_intent=${encodeURIComponent(q.paymentId!)}&limit=100`;
    let status: number;
    let json: Record<string, unknown> | undefined;
    try {
      ({ status, json } = await this.#get(path));
    } catch {
      return { state: 'unknown', providerStatus: 0 };
    }
    if (status === 404 && q.refundId !== undefined) return { state: 'absent', providerCode: 'resource_missing', providerStatus: status };
    if (status !== 200 || json === undefined) return { state: 'unknown', providerStatus: status };
    const key = boundedKey(q.refundKey, MAX_IDEMPOTENCY_KEY);
    const refund = q.refundId !== undefined ? json : (Array.isArray(json.data) ? (json.data as Array<Record<string, unknown>>) : []).find((r) => (r.metadata as Record<string, unknown> | undefined)?.refund_key === key);
    if (refund === undefined) return { state: 'absent', providerStatus: status };
    const state = refund.status === 'succeeded' ? 'succeeded' : refund.status === 'failed' || refund.status === 'canceled' ? 'failed' : 'pending';
    return { state, ...(typeof refund.id === 'string' ? { refundId: refund.id } : {}), ...(typeof refund.amount === 'number' ? { amount: refund.amount } : {}), ...(typeof refund.status === 'string' ? { providerCode: refund.status } : {}), providerStatus: status };
  }

  /** One authenticated GET: its status and JSON object body (undefined when not one); throws on transport failure. */
  async #get(path: string): Promise<{ status: number; json: Record<string, unknown> | undefined }> {
    const res = await this.#pool.request({ method: 'GET', path, headers: { authorization: `Bearer ${this.#secretKey}` }, headersTimeout: this.#timeoutMs, bodyTimeout: this.#timeoutMs });
    return { status: res.statusCode, json: jsonObject(await res.body.text()) };
  }

  async #lifecycle(path: string, body: string, key: string, ok: (json: Record<string, unknown>) => LifecycleResult): Promise<LifecycleResult> {
    try {
      const res = await this.#pool.request({
        method: 'POST',
        path,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': boundedKey(key, MAX_IDEMPOTENCY_KEY), authorization: `Bearer ${this.#secretKey}` },
        body,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      const json = jsonObject(await res.body.text());
      if (json === undefined) return lifecycleUnreadable(res.statusCode);
      if (res.statusCode === 200) return ok(json);
      const error = (json.error ?? {}) as { code?: string; decline_code?: string; type?: string };
      const providerCode = error.code ?? error.decline_code ?? error.type;
      const failure = lifecycleStatusFailure(res.statusCode, providerCode);
      if (failure) return failure;
      // Stripe's code-less refusals of a refund (an amount over what is left, in older API versions) are still our books being wrong.
      const errorCode = error.code === undefined && error.type === 'invalid_request_error' ? 'invalid_request' : normaliseStripeLifecycle(error.code, error.decline_code);
      return { outcome: 'failed', errorCode, ...(providerCode !== undefined ? { providerCode } : {}), providerStatus: res.statusCode };
    } catch (err) {
      return lifecycleFailure(err);
    }
  }
}

/** A PaymentIntent's status as a query result (docs.stripe.com/payments/paymentintents/lifecycle). */
function fromIntent(intent: Record<string, unknown>, status: number): QueryResult {
  const id = typeof intent.id === 'string' ? { paymentId: intent.id } : {};
  switch (intent.status) {
    case 'succeeded': {
      // A held intent captured in part received less than its amount: the books take what it received.
      const received = typeof intent.amount_received === 'number' && intent.amount_received !== intent.amount ? { capturedAmount: intent.amount_received } : {};
      return { kind: 'final', result: { outcome: 'succeeded', ...id, ...received, providerStatus: status } };
    }
    case 'requires_payment_method': {
      // A confirm that was declined leaves the intent here, with the decline on last_payment_error.
      const e = (intent.last_payment_error ?? {}) as { code?: string; decline_code?: string };
      return { kind: 'final', result: { outcome: 'failed', errorCode: normaliseStripe(e.code, e.decline_code), providerCode: e.decline_code ?? e.code ?? 'requires_payment_method', ...id, providerStatus: status } };
    }
    case 'canceled':
      return { kind: 'final', result: { outcome: 'failed', errorCode: 'order_closed', providerCode: 'canceled', ...id, providerStatus: status } };
    case 'requires_action': {
      // A bank or wallet redirect waits for its shopper, and so does a card's 3-D Secure challenge
      // with a page to visit (asked for with threeDSecure `challenge`); a card's requires_action
      // without one (use_stripe_sdk) is 3-D Secure nobody will do.
      if (isRedirectIntent(intent)) return { kind: 'waiting', result: { outcome: 'pending', providerCode: 'requires_action', ...id, providerStatus: status } };
      const page = challengeUrl(intent);
      if (page !== undefined) return { kind: 'waiting', result: { outcome: 'pending', providerCode: 'requires_action', ...id, providerStatus: status, nextActionUrl: page } };
      return { kind: 'final', result: { outcome: 'failed', errorCode: 'authentication_required', providerCode: 'requires_action', ...id, providerStatus: status } };
    }
    case 'processing':
    case 'requires_confirmation':
    case 'requires_capture':
      return { kind: 'waiting', result: { outcome: 'pending', providerCode: intent.status, ...id, providerStatus: status } };
    default:
      return { kind: 'unknown', reason: `status ${String(intent.status)}` };
  }
}

function interpret(status: number, text: string, redirect: boolean, challenge: boolean): ChargeResult {
  const json = jsonObject(text);
  if (json === undefined) return unreadableAnswer(status);
  if (status === 200 && typeof json.status === 'string') {
    const id = typeof json.id === 'string' ? json.id : undefined;
    if (json.status === 'succeeded') return { outcome: 'succeeded', paymentId: id, providerStatus: status };
    // The shopper is off to the bank or wallet: pending (the gateway answers 202) until the webhook.
    if (json.status === 'requires_action' && redirect) return { outcome: 'pending', paymentId: id, providerCode: 'requires_action', providerStatus: status };
    // A 3-D Secure challenge the merchant asked for: pending (202 with the page) until the webhook.
    const page = challenge && json.status === 'requires_action' ? challengeUrl(json) : undefined;
    if (page !== undefined) return { outcome: 'pending', paymentId: id, providerCode: 'requires_action', providerStatus: status, nextActionUrl: page };
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

/**
 * The traffic model's redirect methods as Stripe's `payment_method_data` (docs.stripe.com/payments/ideal,
 * …/grabpay): iDEAL with a bank (ING), GrabPay with nothing more. Anything else is a card id.
 */
function redirectMethodOf(paymentMethod: string): { type: 'ideal'; ideal: { bank: string } } | { type: 'grabpay' } | undefined {
  if (paymentMethod === 'pm_ideal') return { type: 'ideal', ideal: { bank: 'ing' } };
  if (paymentMethod === 'pm_grabpay') return { type: 'grabpay' };
  return undefined;
}

/** Whether an intent pays by a bank or wallet redirect: its payment_method_types name no card. */
function isRedirectIntent(intent: Record<string, unknown>): boolean {
  const types = intent.payment_method_types;
  return Array.isArray(types) && types.length > 0 && !types.includes('card');
}

/** The page a card's 3-D Secure challenge sends the shopper to: `next_action.redirect_to_url.url`, when the intent has one. */
function challengeUrl(intent: Record<string, unknown>): string | undefined {
  const next = intent.next_action as { type?: unknown; redirect_to_url?: { url?: unknown } } | null | undefined;
  if (next?.type !== 'redirect_to_url') return undefined;
  const url = next.redirect_to_url?.url;
  return typeof url === 'string' && url.length > 0 ? url : undefined;
}

/**
 * A marketplace order as a Connect destination charge (docs.stripe.com/connect/destination-charges):
 * the charge is the platform's, Stripe transfers the captured amount to `transfer_data[destination]`
 * and takes `application_fee_amount` back for the platform. A zero commission is left out (no
 * application fee at all), so the connected account gets the whole amount.
 */
function connectFields(split: ChargeRequest['split']): Record<string, FormValue> {
  if (!split) return {};
  return { transfer_data: { destination: split.destination }, ...(split.platformFee > 0 ? { application_fee_amount: split.platformFee } : {}) };
}
