import type { Dispatcher } from 'undici';
import type { NormalisedCode } from '../../src/conventions/index.js';
import { Credentials, openPool } from './connection.js';
import { statusFailure, transportFailure, unreadableAnswer, type ChargeRequest, type ChargeResult, type ProviderClient, type ProviderConnection, type QueryRequest, type QueryResult } from './provider-client.js';
import { settle, type SettleStep } from './settle.js';

/**
 * The wallet's error codes (`{error: {code}}`) → the normalised codes of DESIGN.md. Its README
 * names these; anything else is read by status in normaliseLocalWalletCode.
 */
export const LOCALWALLET_CODE_TABLE: Readonly<Record<string, NormalisedCode>> = Object.freeze({
  INSUFFICIENT_BALANCE: 'insufficient_funds',
  RISK_REJECTED: 'fraud_suspected',
  // Our API key is missing or wrong: nobody should retry; someone should look.
  UNAUTHORIZED: 'invalid_request',
  RATE_LIMITED: 'rate_limited',
  CHARGE_NOT_REFUNDABLE: 'invalid_request',
});

export function normaliseLocalWalletCode(status: number, code: string | undefined): NormalisedCode {
  if (code !== undefined && Object.hasOwn(LOCALWALLET_CODE_TABLE, code)) return LOCALWALLET_CODE_TABLE[code]!;
  if (status === 401) return 'invalid_request';
  // 402 is the wallet's refusal to pay: a decline whose reason is not one we know. card_declined
  // is the generic decline of the normalised codes (there is no wallet-specific one).
  if (status === 402) return 'card_declined';
  // Any other 4xx: the wallet refused the request itself, whatever the shopper's money.
  if (status >= 400 && status < 500) return 'invalid_request';
  return 'unknown';
}

/**
 * The worked WireMock provider, simulators/wiremock/localwallet/: create a charge, then poll it
 * until the shopper approves in the wallet app.
 *
 *   POST /v1/charges ─201 PENDING─▶ GET /v1/charges/{id} every 100…500 ms (settle.ts) ─▶ SUCCEEDED → succeeded
 *        │ 401/402 → failed            │ FAILED → failed; 429/5xx/reset → poll again
 *        │ 429/5xx/reset → statusFailure / transportFailure
 *        ▼                             ▼ settleWithinMs elapsed → pending (PENDING)
 */
export class LocalWalletClient implements ProviderClient {
  readonly provider: string;
  readonly #pool: Dispatcher;
  readonly #timeoutMs: number;
  readonly #settleWithinMs: number;
  readonly #apiKey: string;
  readonly #callbackUrl: string;

  constructor(provider: string, connection: ProviderConnection) {
    this.provider = provider;
    const c = new Credentials(provider, connection.credentials);
    this.#apiKey = c.headerText('apiKey', 'sk_test_paychaos');
    // The gateway learns the outcome by polling, never from the webhook. The wallet still POSTs one
    // for every charge, so without a receiver it goes to the discard port on loopback: refused at
    // once, and WireMock only notes the failure in the journal (it neither blocks nor retries).
    this.#callbackUrl = c.url('callbackUrl', 'http://127.0.0.1:9/unused');
    this.#timeoutMs = connection.timeoutMs ?? 10_000;
    this.#settleWithinMs = connection.settleWithinMs ?? 3000;
    this.#pool = openPool(provider, connection);
  }

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    // The wallet takes no idempotency key (req.providerKey has nowhere to go): every create it
    // answers 201 is a new charge. What keeps a retry from charging twice is the gateway's order
    // guard, which never re-charges an order whose attempt was pending, so this client answers
    // `failed` only when the wallet cannot have taken the money (refused, or never reached). `reference` must be the order id exactly: the
    // ledger rebuilt from WireMock's journal joins on it (simulators/wiremock/journal.ts).
    const body = JSON.stringify({ reference: req.orderId, amount: req.amount, currency: req.currency, callbackUrl: this.#callbackUrl });
    let created: { status: number; text: string };
    try {
      created = await this.#call('POST', '/v1/charges', body, this.#timeoutMs);
    } catch (err) {
      return transportFailure(err);
    }
    const answer = readAnswer(created.status, created.text);
    if (answer.kind !== 'charge') return answer.result;
    if (answer.state !== 'PENDING') return answer.result;
    return this.#settle(answer.id);
  }

  /**
   * `GET /v1/charges/{id}` (its README): the charge's state. The wallet has no lookup by reference,
   * so a payment whose create never answered (no id) cannot be queried: unknown, never "absent".
   */
  async query(req: QueryRequest): Promise<QueryResult> {
    if (req.providerPaymentId === undefined) return { kind: 'unknown', reason: 'no charge id: the wallet cannot be asked by reference' };
    let polled: { status: number; text: string };
    try {
      polled = await this.#call('GET', `/v1/charges/${encodeURIComponent(req.providerPaymentId)}`, undefined, this.#timeoutMs);
    } catch (err) {
      return { kind: 'unknown', reason: String((err as { code?: string }).code ?? 'transport') };
    }
    if (polled.status === 404) return { kind: 'absent', providerStatus: 404 };
    const answer = readAnswer(polled.status, polled.text, req.providerPaymentId);
    if (answer.kind !== 'charge') return { kind: 'unknown', reason: answer.result.providerCode ?? `HTTP ${polled.status}` };
    if (answer.state === 'PENDING') return { kind: 'waiting', result: answer.result };
    return answer.result.outcome === 'pending' ? { kind: 'unknown', reason: answer.state } : { kind: 'final', result: answer.result };
  }

  close(): Promise<void> {
    return this.#pool.close();
  }

  /** Poll until a final state or the deadline. A GET changes nothing, so a failed poll is simply tried again. */
  #settle(id: string): Promise<ChargeResult> {
    const deadline = performance.now() + this.#settleWithinMs;
    const waiting: ChargeResult = { outcome: 'pending', providerCode: 'PENDING', paymentId: id, providerStatus: 201 };
    return settle(deadline, waiting, this.#timeoutMs, async (timeoutMs): Promise<SettleStep> => {
      let polled: { status: number; text: string };
      try {
        polled = await this.#call('GET', `/v1/charges/${encodeURIComponent(id)}`, undefined, timeoutMs);
      } catch {
        return { kind: 'unknown' };
      }
      if (polled.status === 429 || polled.status >= 500) return { kind: 'unknown' };
      const answer = readAnswer(polled.status, polled.text, id);
      if (answer.kind === 'unreadable') return { kind: 'unknown' };
      if (answer.kind === 'refused') {
        // The charge exists (it was created), but the wallet will not say how it ended.
        return { kind: 'final', result: { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: answer.result.providerCode ?? `HTTP_${polled.status}`, paymentId: id, providerStatus: polled.status } };
      }
      return answer.state === 'PENDING' ? { kind: 'waiting', known: answer.result } : { kind: 'final', result: answer.result };
    });
  }

  async #call(method: 'GET' | 'POST', path: string, body: string | undefined, timeoutMs: number): Promise<{ status: number; text: string }> {
    const res = await this.#pool.request({
      method,
      path,
      headers: { authorization: `Bearer ${this.#apiKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return { status: res.statusCode, text: await res.body.text() };
  }
}

type Answer =
  | { kind: 'charge'; id: string; state: string; result: ChargeResult }
  | { kind: 'refused'; result: ChargeResult }
  | { kind: 'unreadable'; result: ChargeResult };

/**
 * One answer of the wallet. A charge object (`{id?, status}`; a poll's carries no id, so it is
 * passed in) becomes its state's result: SUCCEEDED succeeded, PENDING pending, FAILED (the
 * shopper or the wallet refused after creation) failed; a state its README does not define is
 * not guessed at — the outcome is unknown.
 */
function readAnswer(status: number, text: string, knownId?: string): Answer {
  let json: { id?: unknown; status?: unknown; error?: { code?: unknown } } | undefined;
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    json = undefined;
  }
  const code = typeof json?.error?.code === 'string' ? json.error.code : undefined;
  // 429 and 5xx mean the same whatever the body says (or whether it could be read).
  const byStatus = statusFailure(status, code);
  if (byStatus) return { kind: 'refused', result: byStatus };
  if (typeof json !== 'object' || json === null) return { kind: 'unreadable', result: unreadableAnswer(status) };
  if (status >= 400) return { kind: 'refused', result: { outcome: 'failed', errorCode: normaliseLocalWalletCode(status, code), ...(code ? { providerCode: code } : {}), providerStatus: status } };
  const id = typeof json.id === 'string' ? json.id : knownId;
  if (id === undefined || typeof json.status !== 'string') return { kind: 'unreadable', result: unreadableAnswer(status) };
  const state = json.status;
  const base = { paymentId: id, providerStatus: status };
  if (state === 'SUCCEEDED') return { kind: 'charge', id, state, result: { outcome: 'succeeded', ...base } };
  if (state === 'PENDING') return { kind: 'charge', id, state, result: { outcome: 'pending', providerCode: state, ...base } };
  if (state === 'FAILED') return { kind: 'charge', id, state, result: { outcome: 'failed', errorCode: code ? normaliseLocalWalletCode(402, code) : 'card_declined', providerCode: code ?? state, ...base } };
  return { kind: 'charge', id, state, result: { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: state, ...base } };
}
