import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { normalisePaypal, normalisePaypalLifecycle } from './codes/index.js';
import { badCaptureAmount, badRefundAmount, lifecycleOf, lifecycleStatusFailure, lifecycleUnreadable, notSendable, type CancelRequest, type CaptureRequest, type LifecycleResult, type RefundQuery, type RefundRequest, type RefundStatus } from './lifecycle.js';
import { majorToMinor, minorToMajor } from './money.js';
import { Credentials, openPool } from './connection.js';
import { statusFailure, transportFailure, unreadableAnswer, type ChargeRequest, type ChargeResult, type ProviderClient, type ProviderConnection, type QueryRequest, type QueryResult } from './provider-client.js';

/**
 * Talks to PayPal's Orders v2 (the simulator, or anything that speaks it):
 *
 *   token (cached) ─▶ create order ─▶ APPROVED? ──────────────────────────▶ capture ─▶ COMPLETED: succeeded
 *                                  └▶ CREATED: poll until approved or settleWithinMs ─┘ (else pending, PAYER_ACTION_REQUIRED)
 *
 * Money moves only at the capture. Every failure before it is therefore a plain failure — an
 * order, even an approved one, is a promise to pay, not a payment — and only the capture's own
 * 5xx or timeout leaves the outcome pending. Both calls carry a PayPal-Request-Id derived from the
 * providerKey, so a retry replays instead of creating or capturing again; the order's invoice_id
 * is the gateway's orderId, so PayPal also refuses a second capture for the order under a new key.
 *
 * Authorise only (ChargeRequest.capture `manual`): the order is created with intent AUTHORIZE and
 * authorized instead of captured —
 *
 *   create (AUTHORIZE) ─▶ approved ─▶ POST /v2/checkout/orders/{id}/authorize ─▶ authorization CREATED: held (202)
 *     ├─ capture(): POST /v2/payments/authorizations/{auth}/capture {amount, final_capture: true}
 *     └─ cancel():  POST /v2/payments/authorizations/{auth}/void
 *
 * The payment stays known by its order id (refunds and queries read the order); the authorization
 * id is read off the order when a capture or a void needs it. Money is held at the authorize, so
 * only its own timeout or 5xx leaves the charge unknown, resumed by reading the order.
 */
export class PaypalClient implements ProviderClient {
  readonly provider = 'paypal';
  readonly manualCapture = true;
  readonly #pool: Dispatcher;
  readonly #timeoutMs: number;
  readonly #settleWithinMs: number;
  readonly #basic: string;
  #token: { value: string; refreshAt: number } | undefined;
  /** One token request at a time: a burst of charges on a cold client shares it. */
  #fetching: Promise<string | ChargeResult> | undefined;

  constructor(connection: ProviderConnection) {
    // As GET /__sim/keys lists them (or the PayPal developer dashboard gives them); Basic-encoded, so any text.
    const c = new Credentials(this.provider, connection.credentials);
    const id = c.text('clientId', 'paychaos-client-id');
    const secret = c.text('clientSecret', 'paychaos-client-secret');
    this.#basic = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    this.#timeoutMs = connection.timeoutMs ?? 10_000;
    this.#settleWithinMs = connection.settleWithinMs ?? 3_000;
    this.#pool = openPool(this.provider, connection);
  }

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    const unit = { reference_id: req.orderId, custom_id: req.orderId, invoice_id: req.orderId, amount: { currency_code: req.currency.toUpperCase(), value: minorToMajor(req.amount, req.currency) } };
    const intent = req.capture === 'manual' ? 'AUTHORIZE' : 'CAPTURE';
    const created = await this.#send('POST', '/v2/checkout/orders', { intent, purchase_units: [unit] }, requestId('create', req.providerKey));
    if (isResult(created)) return nothingCharged(created);
    if (created.json === undefined) return nothingCharged(unreadableAnswer(created.status));
    if (created.status !== 200 && created.status !== 201) return nothingCharged(errorResult(created.status, created.json));
    const id = str(created.json.id);
    if (id === undefined) return nothingCharged(unreadableAnswer(created.status));

    let order = created;
    if (WAITING_FOR_PAYER.has(str(order.json?.status) ?? '')) {
      order = await this.#awaitApproval(id, order);
      // Not approved in time: nothing is charged yet, but the shopper may still approve.
      if (WAITING_FOR_PAYER.has(str(order.json?.status) ?? '')) return { outcome: 'pending', providerCode: 'PAYER_ACTION_REQUIRED', paymentId: id, providerStatus: order.status };
    }
    return intent === 'AUTHORIZE' ? this.#authorize(id, req.providerKey) : this.#capture(id, req.providerKey);
  }

  /**
   * `GET /v2/checkout/orders/{id}`: COMPLETED (its capture's status decides), CREATED or
   * PAYER_ACTION_REQUIRED (the payer has not approved: waiting), VOIDED (failed), 404 (absent).
   * APPROVED means the payer approved after the gateway stopped waiting: money moves only at the
   * capture, so the payment is completed by the capture the charge would have sent — the same
   * PayPal-Request-Id, so it runs at most once whoever sends it. Without an order id (a crash
   * between create and its answer), the create is replayed under its own PayPal-Request-Id, which
   * PayPal answers with the stored order instead of making another. An order of intent AUTHORIZE
   * is judged by its authorization (authorizedOrder): CREATED is held (waiting), captured in full
   * or part is succeeded, voided before any capture is failed; APPROVED is authorized under the
   * charge's own PayPal-Request-Id, as the charge would have.
   */
  async query(req: QueryRequest): Promise<QueryResult> {
    let id = req.providerPaymentId;
    if (id === undefined) {
      const unit = { reference_id: req.orderId, custom_id: req.orderId, invoice_id: req.orderId, amount: { currency_code: req.currency.toUpperCase(), value: minorToMajor(req.amount, req.currency) } };
      const replayed = await this.#send('POST', '/v2/checkout/orders', { intent: 'CAPTURE', purchase_units: [unit] }, requestId('create', req.providerKey));
      if (isResult(replayed) || (replayed.status !== 200 && replayed.status !== 201) || str(replayed.json?.id) === undefined) return { kind: 'unknown', reason: 'order id not recoverable' };
      id = str(replayed.json!.id)!;
    }
    const got = await this.#send('GET', `/v2/checkout/orders/${encodeURIComponent(id)}`);
    if (isResult(got)) return { kind: 'unknown', reason: got.providerCode ?? 'transport' };
    if (got.status === 404) return { kind: 'absent', providerStatus: 404 };
    if (got.status !== 200 || got.json === undefined) return { kind: 'unknown', reason: `HTTP ${got.status}` };
    const status = str(got.json.status) ?? '';
    if (WAITING_FOR_PAYER.has(status)) return { kind: 'waiting', result: { outcome: 'pending', providerCode: 'PAYER_ACTION_REQUIRED', paymentId: id, providerStatus: 200 } };
    if (status === 'VOIDED') return { kind: 'final', result: { outcome: 'failed', errorCode: 'order_closed', providerCode: 'VOIDED', paymentId: id, providerStatus: 200 } };
    const authorizing = got.json.intent === 'AUTHORIZE';
    const result = status === 'APPROVED' ? await (authorizing ? this.#authorize(id, req.providerKey) : this.#capture(id, req.providerKey)) : authorizing ? authorizedOrder(got.json, 200) : fromOrder(got.json, 200);
    if (result.outcome === 'pending') return result.errorCode === 'outcome_unknown' ? { kind: 'unknown', reason: result.providerCode ?? 'capture unknown' } : { kind: 'waiting', result: { ...result, paymentId: id } };
    return { kind: 'final', result: { ...result, paymentId: id } };
  }

  close(): Promise<void> {
    return this.#pool.close();
  }

  /**
   * POST /v2/payments/captures/{capture_id}/refund with PayPal-Request-Id derived from the
   * refundKey (a repeat replays the stored answer). charge() knows the order id; the capture's id
   * is read off the order first (GET /v2/checkout/orders/{id}). A paymentId that is already a
   * capture id (no order found under it) is refunded as it is.
   */
  async refund(req: RefundRequest): Promise<LifecycleResult> {
    const bad = badRefundAmount(req);
    if (bad) return bad;
    if (req.paymentId === undefined) return notSendable('order_id_required');
    const order = await this.#send('GET', `/v2/checkout/orders/${encodeURIComponent(req.paymentId)}`);
    if (isResult(order)) return lifecycleOf(nothingCharged(order));
    const captureId = order.status === 200 && order.json !== undefined ? captureOf(order.json) : order.status === 404 ? req.paymentId : undefined;
    if (captureId === undefined) return order.status === 200 ? notSendable('ORDER_NOT_CAPTURED') : lifecycleOf(nothingCharged(order.json ? errorResult(order.status, order.json) : unreadableAnswer(order.status)));
    const body = { amount: { value: minorToMajor(req.amount, req.currency), currency_code: req.currency.toUpperCase() }, ...(req.reason !== undefined ? { note_to_payer: req.reason.slice(0, 255) } : {}) };
    const refunded = await this.#send('POST', `/v2/payments/captures/${encodeURIComponent(captureId)}/refund`, body, requestIdOf('refund', req.refundKey));
    if (isResult(refunded)) return lifecycleOf(refunded);
    if (refunded.json === undefined) return lifecycleUnreadable(refunded.status);
    if (refunded.status === 200 || refunded.status === 201) {
      const state = str(refunded.json.status);
      const refundId = str(refunded.json.id);
      const id = refundId !== undefined ? { refundId } : {};
      if (state === 'COMPLETED') return { outcome: 'succeeded', status: state, ...id, providerStatus: refunded.status };
      if (state === 'CANCELLED' || state === 'FAILED') return { outcome: 'failed', errorCode: 'provider_error', providerCode: state, status: state, ...id, providerStatus: refunded.status };
      return { outcome: 'pending', ...(state !== undefined ? { status: state, providerCode: state } : {}), ...id, providerStatus: refunded.status };
    }
    return this.#lifecycleRefusal(refunded);
  }

  /**
   * Orders v2 with intent CAPTURE has no void: money moves only at the capture, so an order not
   * captured is cancelled by never capturing it (PayPal lets it expire). cancel() reads the order:
   * not COMPLETED → succeeded (status the order's), and the caller must not charge it again;
   * COMPLETED → refused, ORDER_ALREADY_CAPTURED: that money needs refund(). An order of intent
   * AUTHORIZE that holds an authorization has it voided (voidAuthorization).
   */
  async cancel(req: CancelRequest): Promise<LifecycleResult> {
    if (req.paymentId === undefined) return notSendable('order_id_required');
    const order = await this.#send('GET', `/v2/checkout/orders/${encodeURIComponent(req.paymentId)}`);
    if (isResult(order)) return lifecycleOf(nothingCharged(order));
    if (order.json === undefined) return lifecycleUnreadable(order.status);
    if (order.status !== 200) return lifecycleOf(nothingCharged(errorResult(order.status, order.json)));
    const state = str(order.json.status);
    const authorization = authorizationOf(order.json);
    if (authorization !== undefined) return this.#voidAuthorization(authorization, req.cancelKey);
    if (state === 'COMPLETED') return { outcome: 'failed', errorCode: 'invalid_request', providerCode: 'ORDER_ALREADY_CAPTURED', status: state, providerStatus: order.status };
    return { outcome: 'succeeded', ...(state !== undefined ? { status: state } : {}), providerStatus: order.status };
  }

  /**
   * POST /v2/payments/authorizations/{id}/capture for a payment held with capture `manual`:
   * `amount` in the charge's currency and `final_capture: true` — the gateway captures a hold once,
   * so PayPal releases what a partial capture leaves. PayPal-Request-Id derives from the captureKey
   * (one per payment): a retry replays the stored capture. A void that got there first is refused
   * 422 AUTHORIZATION_VOIDED (failed, order_closed). The authorization's id is read off the order.
   */
  async capture(req: CaptureRequest): Promise<LifecycleResult> {
    const bad = badCaptureAmount(req);
    if (bad) return bad;
    if (req.paymentId === undefined) return notSendable('order_id_required');
    const found = await this.#authorizationFor(req.paymentId);
    if ('outcome' in found) return found;
    const body = { amount: { value: minorToMajor(req.amount, req.currency), currency_code: req.currency.toUpperCase() }, final_capture: true, invoice_id: req.orderId };
    const captured = await this.#send('POST', `/v2/payments/authorizations/${encodeURIComponent(found.id)}/capture`, body, requestIdOf('capture', req.captureKey));
    if (isResult(captured)) return lifecycleOf(captured);
    if (captured.json === undefined) return lifecycleUnreadable(captured.status);
    if (captured.status === 200 || captured.status === 201) {
      const state = str(captured.json.status);
      const captureId = str(captured.json.id);
      const id = captureId !== undefined ? { captureId } : {};
      const amount = (captured.json.amount ?? {}) as Json;
      const minor = typeof amount.value === 'string' && typeof amount.currency_code === 'string' ? (majorToMinor(amount.value, amount.currency_code) ?? req.amount) : req.amount;
      if (state === 'COMPLETED') return { outcome: 'succeeded', status: state, ...id, capturedAmount: minor, providerStatus: captured.status };
      if (state === 'DECLINED' || state === 'FAILED') return { outcome: 'failed', errorCode: 'card_declined', providerCode: state, status: state, ...id, providerStatus: captured.status };
      // PENDING (a review): taken, its end comes by PAYMENT.CAPTURE.COMPLETED or a query.
      return { outcome: 'pending', ...(state !== undefined ? { status: state, providerCode: state } : {}), ...id, providerStatus: captured.status };
    }
    return this.#lifecycleRefusal(captured);
  }

  /** The authorization held under an order (the payment's id), or why there is none to act on (nothing sent). */
  async #authorizationFor(orderId: string): Promise<{ id: string; status: string | undefined } | LifecycleResult> {
    const order = await this.#send('GET', `/v2/checkout/orders/${encodeURIComponent(orderId)}`);
    if (isResult(order)) return lifecycleOf(nothingCharged(order));
    if (order.json === undefined) return lifecycleUnreadable(order.status);
    if (order.status !== 200) return lifecycleOf(nothingCharged(errorResult(order.status, order.json)));
    return authorizationOf(order.json) ?? notSendable('ORDER_NOT_AUTHORIZED');
  }

  /**
   * POST /v2/payments/authorizations/{id}/void (PayPal answers 204, or the authorization with
   * `Prefer: return=representation`). Already VOIDED is done; already captured is refused
   * (PREVIOUSLY_CAPTURED: that money needs a refund). PayPal-Request-Id from the cancelKey.
   */
  async #voidAuthorization(authorization: { id: string; status: string | undefined }, cancelKey: string): Promise<LifecycleResult> {
    if (authorization.status === 'VOIDED') return { outcome: 'succeeded', status: 'VOIDED', providerStatus: 200 };
    if (authorization.status === 'CAPTURED' || authorization.status === 'PARTIALLY_CAPTURED') return { outcome: 'failed', errorCode: 'invalid_request', providerCode: 'PREVIOUSLY_CAPTURED', status: authorization.status, providerStatus: 200 };
    const voided = await this.#send('POST', `/v2/payments/authorizations/${encodeURIComponent(authorization.id)}/void`, undefined, requestIdOf('void', cancelKey));
    if (isResult(voided)) return lifecycleOf(voided);
    if (voided.status === 204) return { outcome: 'succeeded', status: 'VOIDED', providerStatus: 204 };
    if (voided.json === undefined) return lifecycleUnreadable(voided.status);
    if (voided.status === 200 || voided.status === 201) {
      const state = str(voided.json.status) ?? 'VOIDED';
      return state === 'VOIDED' ? { outcome: 'succeeded', status: state, providerStatus: voided.status } : { outcome: 'failed', errorCode: 'invalid_request', providerCode: state, status: state, providerStatus: voided.status };
    }
    // Voided twice under two keys (two cancels): the hold is released all the same.
    if (issueOf(voided.json) === 'PREVIOUSLY_VOIDED') return { outcome: 'succeeded', status: 'VOIDED', providerCode: 'PREVIOUSLY_VOIDED', providerStatus: voided.status };
    return this.#lifecycleRefusal(voided);
  }

  /** A Payments v2 refusal `{name, details:[{issue}]}`: 429 and 5xx by status, the rest by the first issue. */
  #lifecycleRefusal(answer: Answer): LifecycleResult {
    const json = answer.json ?? {};
    const providerCode = issueOf(json) ?? str(json.name);
    const details = Array.isArray(json.details) ? (json.details as Array<{ issue?: string }>) : undefined;
    return lifecycleStatusFailure(answer.status, providerCode) ?? { outcome: 'failed', errorCode: normalisePaypalLifecycle({ name: str(json.name), details, status: answer.status }), ...(providerCode !== undefined ? { providerCode } : {}), providerStatus: answer.status };
  }

  /**
   * GET /v2/payments/refunds/{id}. Without the refund id (its answer was lost) there is nothing to
   * look up by: PayPal's way is refund() again with the same PayPal-Request-Id, which replays the
   * stored answer — `unknown` says so.
   */
  async queryRefund(q: RefundQuery): Promise<RefundStatus> {
    if (q.refundId === undefined) return { state: 'unknown', providerCode: 'refund_id_required', providerStatus: 0 };
    const got = await this.#send('GET', `/v2/payments/refunds/${encodeURIComponent(q.refundId)}`);
    if (isResult(got)) return { state: 'unknown', ...(got.providerCode !== undefined ? { providerCode: got.providerCode } : {}), providerStatus: got.providerStatus };
    if (got.status === 404) return { state: 'absent', providerCode: 'RESOURCE_NOT_FOUND', providerStatus: got.status };
    if (got.status !== 200 || got.json === undefined) return { state: 'unknown', providerStatus: got.status };
    const refundStatus = str(got.json.status);
    const amount = (got.json.amount ?? {}) as Json;
    const minor = typeof amount.value === 'string' && typeof amount.currency_code === 'string' ? majorToMinor(amount.value, amount.currency_code) : undefined;
    const state = refundStatus === 'COMPLETED' ? 'succeeded' : refundStatus === 'CANCELLED' || refundStatus === 'FAILED' ? 'failed' : 'pending';
    return { state, refundId: q.refundId, ...(minor !== undefined ? { amount: minor } : {}), ...(refundStatus !== undefined ? { providerCode: refundStatus } : {}), providerStatus: got.status };
  }

  async #capture(id: string, providerKey: string): Promise<ChargeResult> {
    const captured = await this.#send('POST', `/v2/checkout/orders/${encodeURIComponent(id)}/capture`, {}, requestId('capture', providerKey));
    // A token failure or a refused connection is already failed; a timeout is pending: the capture may have run.
    if (isResult(captured)) return captured;
    if (captured.json === undefined) return unreadableAnswer(captured.status);
    if (captured.status === 200 || captured.status === 201) return fromOrder(captured.json, captured.status);
    return errorResult(captured.status, captured.json);
  }

  /** POST /v2/checkout/orders/{id}/authorize: the hold (intent AUTHORIZE), under the charge's own PayPal-Request-Id. */
  async #authorize(id: string, providerKey: string): Promise<ChargeResult> {
    const authorized = await this.#send('POST', `/v2/checkout/orders/${encodeURIComponent(id)}/authorize`, {}, requestId('authorize', providerKey));
    // A timeout or 5xx is pending (the hold may exist): the recovery loop reads the order, so the order's id goes with it.
    if (isResult(authorized)) return { ...authorized, paymentId: id };
    if (authorized.json === undefined) return { ...unreadableAnswer(authorized.status), paymentId: id };
    if (authorized.status === 200 || authorized.status === 201) return authorizedOrder(authorized.json, authorized.status);
    return { ...errorResult(authorized.status, authorized.json), paymentId: id };
  }

  /** The shopper approves in the PayPal app: look at the order until it is approved or settleWithinMs is up. */
  async #awaitApproval(id: string, last: Answer): Promise<Answer> {
    const deadline = Date.now() + this.#settleWithinMs;
    // Looked at once even with no time to wait: a retry's create answer is the first attempt's,
    // replayed, and may be older than the shopper's approval.
    for (;;) {
      const now = await this.#send('GET', `/v2/checkout/orders/${encodeURIComponent(id)}`);
      if (isResult(now) || now.status !== 200 || now.json === undefined) return last;
      last = now;
      const left = deadline - Date.now();
      if (!WAITING_FOR_PAYER.has(str(now.json.status) ?? '') || left <= 0) return last;
      await sleep(Math.min(POLL_MS, left));
    }
  }

  /** One API call with a bearer token; a 401 is answered once more with a fresh token. */
  async #send(method: 'GET' | 'POST', path: string, body?: Json, paypalRequestId?: string): Promise<Answer | ChargeResult> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.#bearer();
      if (isResult(token)) return token;
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, prefer: 'return=representation' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (paypalRequestId !== undefined) headers['paypal-request-id'] = paypalRequestId;
      let answer: Answer;
      try {
        const res = await this.#pool.request({ method, path, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), headersTimeout: this.#timeoutMs, bodyTimeout: this.#timeoutMs });
        answer = { status: res.statusCode, json: parse(await res.body.text()) };
      } catch (err) {
        return transportFailure(err);
      }
      // PayPal checks the token before anything else, so a 401 call did nothing and is safe to resend.
      if (answer.status !== 401) return answer;
      if (this.#token?.value === token) this.#token = undefined;
      if (attempt > 0) return { outcome: 'failed', errorCode: 'invalid_request', providerCode: str(answer.json?.error) ?? 'invalid_token', providerStatus: 401 };
    }
  }

  #bearer(): Promise<string | ChargeResult> {
    if (this.#token && Date.now() < this.#token.refreshAt) return Promise.resolve(this.#token.value);
    this.#fetching ??= this.#fetchToken().finally(() => (this.#fetching = undefined));
    return this.#fetching;
  }

  /** OAuth 2.0 client credentials. A failure here charges nothing: no order call was made. */
  async #fetchToken(): Promise<string | ChargeResult> {
    try {
      const res = await this.#pool.request({
        method: 'POST',
        path: '/v1/oauth2/token',
        headers: { authorization: this.#basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      const json = parse(await res.body.text());
      const value = str(json?.access_token);
      if (res.statusCode === 200 && value !== undefined) {
        const ttlMs = (typeof json?.expires_in === 'number' ? json.expires_in : 0) * 1000;
        // Renewed a minute early (half-way for short tokens), so a token cannot expire on its way.
        this.#token = { value, refreshAt: Date.now() + ttlMs - Math.min(60_000, ttlMs / 2) };
        return value;
      }
      const providerCode = str(json?.error) ?? 'oauth_token';
      return nothingCharged(statusFailure(res.statusCode, providerCode) ?? { outcome: 'failed', errorCode: 'invalid_request', providerCode, providerStatus: res.statusCode });
    } catch (err) {
      return nothingCharged(transportFailure(err));
    }
  }
}

type Json = Record<string, unknown>;
/** An HTTP answer; json undefined when the body was not JSON. */
interface Answer {
  status: number;
  json: Json | undefined;
}

const POLL_MS = 100;
const WAITING_FOR_PAYER: ReadonlySet<string> = new Set(['CREATED', 'PAYER_ACTION_REQUIRED']);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const isResult = (v: unknown): v is ChargeResult => typeof v === 'object' && v !== null && 'outcome' in v;

function parse(text: string): Json | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * PayPal-Request-Id for one step of the charge: distinct per step (the same id on another call is
 * PAYPAL_REQUEST_ID_PREVIOUSLY_USED), stable per providerKey, hashed past PayPal's 108 characters.
 */
function requestId(step: 'create' | 'capture' | 'authorize', providerKey: string): string {
  const id = `${step}-${providerKey}`;
  return id.length <= 108 ? id : `${step}-${createHash('sha256').update(providerKey).digest('base64url')}`;
}

/** A failure before the capture was sent: no money can have moved, so not pending whatever the status. */
function nothingCharged(r: ChargeResult): ChargeResult {
  if (r.outcome !== 'pending') return r;
  return { ...r, outcome: 'failed', errorCode: r.errorCode === 'outcome_unknown' ? (r.providerStatus === 0 ? 'network_error' : 'provider_error') : (r.errorCode ?? 'provider_error') };
}

const issueOf = (json: Json): string | undefined => {
  const details = json.details;
  return Array.isArray(details) ? str((details[0] as Json | undefined)?.issue) : undefined;
};

/** `{name, details:[{issue}]}`: 429 and 5xx by status, the rest by the first issue. */
function errorResult(status: number, json: Json): ChargeResult {
  const providerCode = issueOf(json) ?? str(json.name) ?? str(json.error);
  const details = Array.isArray(json.details) ? (json.details as Array<{ issue?: string }>) : undefined;
  return statusFailure(status, providerCode) ?? { outcome: 'failed', errorCode: normalisePaypal({ name: str(json.name), details, status }), ...(providerCode !== undefined ? { providerCode } : {}), providerStatus: status };
}

/** A captured (or capture-refused) order: the capture's own status decides. */
function fromOrder(order: Json, status: number): ChargeResult {
  const id = str(order.id);
  const paymentId = id !== undefined ? { paymentId: id } : {};
  const units = Array.isArray(order.purchase_units) ? (order.purchase_units as Json[]) : [];
  const payments = units[0]?.payments as { captures?: Json[] } | undefined;
  const capture = payments?.captures?.[0];
  const captureStatus = str(capture?.status) ?? (order.status === 'COMPLETED' ? 'COMPLETED' : undefined);
  if (captureStatus === 'COMPLETED') return { outcome: 'succeeded', ...paymentId, providerStatus: status };
  if (captureStatus === 'DECLINED' || captureStatus === 'FAILED') return { outcome: 'failed', errorCode: 'card_declined', providerCode: captureStatus, ...paymentId, providerStatus: status };
  // PENDING (e.g. an eCheck, a review): money may yet move.
  if (captureStatus !== undefined) return { outcome: 'pending', providerCode: captureStatus, ...paymentId, providerStatus: status };
  return { outcome: 'pending', errorCode: 'outcome_unknown', ...(typeof order.status === 'string' ? { providerCode: order.status } : {}), ...paymentId, providerStatus: status };
}

/** PayPal-Request-Id (≤ 108) for a refund, a capture or a void of an authorization: stable per its key. */
function requestIdOf(step: 'refund' | 'capture' | 'void', key: string): string {
  const id = `${step}-${key}`;
  return id.length <= 108 ? id : `${step}-${createHash('sha256').update(key).digest('base64url')}`;
}

/** The first capture's id of a captured order. */
function captureOf(order: Json): string | undefined {
  const units = Array.isArray(order.purchase_units) ? (order.purchase_units as Json[]) : [];
  const payments = units[0]?.payments as { captures?: Json[] } | undefined;
  return str(payments?.captures?.[0]?.id);
}

/**
 * The held word of a PayPal authorization (status CREATED) as the payment row keeps it
 * (providerCode; held.ts): PayPal's own CREATED also names an order awaiting its payer, so the
 * word carries the object, as the PAYMENT.AUTHORIZATION.CREATED event does.
 */
export const PAYPAL_HELD = 'AUTHORIZATION_CREATED';

/** The first authorization of an order of intent AUTHORIZE, if it has one. */
function authorizationOf(order: Json): { id: string; status: string | undefined } | undefined {
  const units = Array.isArray(order.purchase_units) ? (order.purchase_units as Json[]) : [];
  const payments = units[0]?.payments as { authorizations?: Json[] } | undefined;
  const a = payments?.authorizations?.[0];
  const id = str(a?.id);
  return id !== undefined ? { id, status: str(a?.status) } : undefined;
}

/**
 * An authorized order (intent AUTHORIZE) as a charge result: its authorization decides.
 * CREATED: held (pending, no error: the gateway answers 202); PENDING: taken, under review;
 * PARTIALLY_CAPTURED / CAPTURED (or VOIDED after a partial capture): succeeded for what its
 * COMPLETED captures took; VOIDED before any capture or EXPIRED: failed, order_closed; DENIED: declined.
 */
function authorizedOrder(order: Json, status: number): ChargeResult {
  const id = str(order.id);
  const paymentId = id !== undefined ? { paymentId: id } : {};
  const a = authorizationOf(order);
  if (a === undefined) return { outcome: 'pending', errorCode: 'outcome_unknown', ...(typeof order.status === 'string' ? { providerCode: order.status } : {}), ...paymentId, providerStatus: status };
  const units = Array.isArray(order.purchase_units) ? (order.purchase_units as Json[]) : [];
  const captures = ((units[0]?.payments as { captures?: Json[] } | undefined)?.captures ?? []).filter((c) => c.status === 'COMPLETED');
  const captured = captures.reduce((sum, c) => {
    const amount = (c.amount ?? {}) as Json;
    return sum + (typeof amount.value === 'string' && typeof amount.currency_code === 'string' ? (majorToMinor(amount.value, amount.currency_code) ?? 0) : 0);
  }, 0);
  if (captured > 0) return { outcome: 'succeeded', capturedAmount: captured, ...paymentId, providerStatus: status };
  switch (a.status) {
    case 'CREATED':
      return { outcome: 'pending', providerCode: PAYPAL_HELD, ...paymentId, providerStatus: status };
    case 'VOIDED':
    case 'EXPIRED':
      return { outcome: 'failed', errorCode: 'order_closed', providerCode: a.status, ...paymentId, providerStatus: status };
    case 'DENIED':
      return { outcome: 'failed', errorCode: 'card_declined', providerCode: a.status, ...paymentId, providerStatus: status };
    default:
      // PENDING (a review), or captured with no COMPLETED capture yet: money may yet move.
      return { outcome: 'pending', providerCode: a.status ?? 'PENDING', ...paymentId, providerStatus: status };
  }
}
