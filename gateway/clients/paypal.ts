import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'undici';
import { normalisePaypal } from './codes/index.js';
import { minorToMajor } from './money.js';
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
 */
export class PaypalClient implements ProviderClient {
  readonly provider = 'paypal';
  readonly #pool: Pool;
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
    const created = await this.#send('POST', '/v2/checkout/orders', { intent: 'CAPTURE', purchase_units: [unit] }, requestId('create', req.providerKey));
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
    return this.#capture(id, req.providerKey);
  }

  /**
   * `GET /v2/checkout/orders/{id}`: COMPLETED (its capture's status decides), CREATED or
   * PAYER_ACTION_REQUIRED (the payer has not approved: waiting), VOIDED (failed), 404 (absent).
   * APPROVED means the payer approved after the gateway stopped waiting: money moves only at the
   * capture, so the payment is completed by the capture the charge would have sent — the same
   * PayPal-Request-Id, so it runs at most once whoever sends it. Without an order id (a crash
   * between create and its answer), the create is replayed under its own PayPal-Request-Id, which
   * PayPal answers with the stored order instead of making another.
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
    const result = status === 'APPROVED' ? await this.#capture(id, req.providerKey) : fromOrder(got.json, 200);
    if (result.outcome === 'pending') return result.errorCode === 'outcome_unknown' ? { kind: 'unknown', reason: result.providerCode ?? 'capture unknown' } : { kind: 'waiting', result: { ...result, paymentId: id } };
    return { kind: 'final', result: { ...result, paymentId: id } };
  }

  close(): Promise<void> {
    return this.#pool.close();
  }

  async #capture(id: string, providerKey: string): Promise<ChargeResult> {
    const captured = await this.#send('POST', `/v2/checkout/orders/${encodeURIComponent(id)}/capture`, {}, requestId('capture', providerKey));
    // A token failure or a refused connection is already failed; a timeout is pending: the capture may have run.
    if (isResult(captured)) return captured;
    if (captured.json === undefined) return unreadableAnswer(captured.status);
    if (captured.status === 200 || captured.status === 201) return fromOrder(captured.json, captured.status);
    return errorResult(captured.status, captured.json);
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
function requestId(step: 'create' | 'capture', providerKey: string): string {
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
