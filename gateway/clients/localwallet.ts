import type { Dispatcher } from 'undici';
import { isKnownProvider, providerDescriptor, type NormalisedCode, type WalletWire } from '../../src/conventions/index.js';
import { Credentials, openPool } from './connection.js';
import { statusFailure, transportFailure, unreadableAnswer, type ChargeRequest, type ChargeResult, type ProviderClient, type ProviderConnection, type QueryRequest, type QueryResult } from './provider-client.js';
import { settle, type SettleStep } from './settle.js';

const LOCALWALLET_WIRE: WalletWire = providerDescriptor('wiremock:localwallet').wire!;

/** localwallet's error codes (`{error: {code}}`) → normalised codes: its wire description's table (its README). */
export const LOCALWALLET_CODE_TABLE: Readonly<Record<string, NormalisedCode>> = LOCALWALLET_WIRE.codes;

export function normaliseLocalWalletCode(status: number, code: string | undefined, table: Readonly<Record<string, NormalisedCode>> = LOCALWALLET_CODE_TABLE): NormalisedCode {
  if (code !== undefined && Object.hasOwn(table, code)) return table[code]!;
  if (status === 401) return 'invalid_request';
  // 402 is the wallet's refusal to pay: a decline whose reason is not one we know. card_declined
  // is the generic decline of the normalised codes (there is no wallet-specific one).
  if (status === 402) return 'card_declined';
  // Any other 4xx: the wallet refused the request itself, whatever the shopper's money.
  if (status >= 400 && status < 500) return 'invalid_request';
  return 'unknown';
}

/**
 * The worked WireMock providers — simulators/wiremock/localwallet/, and the digital yuan (ecny)
 * and crypto gateway (cryptopay) beside it — each spoken from its wire description (paths,
 * fields, states, codes: src/conventions/providers/wallet-wire.ts): create a payment, then poll it
 * until the shopper approves in the wallet app. Shown with localwallet's names:
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
  readonly #wire: WalletWire;

  constructor(provider: string, connection: ProviderConnection) {
    this.provider = provider;
    this.#wire = (isKnownProvider(provider) ? providerDescriptor(provider).wire : undefined) ?? LOCALWALLET_WIRE;
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
    const w = this.#wire;
    const fields: Record<string, unknown> = {};
    setPath(fields, w.request.reference, req.orderId);
    setPath(fields, w.request.amount, req.amount);
    setPath(fields, w.request.currency, req.currency);
    if (w.request.callbackUrl !== undefined) setPath(fields, w.request.callbackUrl, this.#callbackUrl);
    let created: { status: number; text: string };
    try {
      created = await this.#call('POST', w.createPath, JSON.stringify(fields), this.#timeoutMs);
    } catch (err) {
      return transportFailure(err);
    }
    const answer = readAnswer(w, created.status, created.text);
    if (answer.kind !== 'charge') return answer.result;
    if (!w.states.pending.includes(answer.state)) return answer.result;
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
      polled = await this.#call('GET', this.#statusPath(req.providerPaymentId), undefined, this.#timeoutMs);
    } catch (err) {
      return { kind: 'unknown', reason: String((err as { code?: string }).code ?? 'transport') };
    }
    if (polled.status === 404) return { kind: 'absent', providerStatus: 404 };
    const answer = readAnswer(this.#wire, polled.status, polled.text, req.providerPaymentId);
    if (answer.kind !== 'charge') return { kind: 'unknown', reason: answer.result.providerCode ?? `HTTP ${polled.status}` };
    if (this.#wire.states.pending.includes(answer.state)) return { kind: 'waiting', result: answer.result };
    return answer.result.outcome === 'pending' ? { kind: 'unknown', reason: answer.state } : { kind: 'final', result: answer.result };
  }

  close(): Promise<void> {
    return this.#pool.close();
  }

  /** Poll until a final state or the deadline. A GET changes nothing, so a failed poll is simply tried again. */
  #settle(id: string): Promise<ChargeResult> {
    const deadline = performance.now() + this.#settleWithinMs;
    const waiting: ChargeResult = { outcome: 'pending', providerCode: this.#wire.states.pending[0] ?? 'PENDING', paymentId: id, providerStatus: this.#wire.createdStatus };
    return settle(deadline, waiting, this.#timeoutMs, async (timeoutMs): Promise<SettleStep> => {
      let polled: { status: number; text: string };
      try {
        polled = await this.#call('GET', this.#statusPath(id), undefined, timeoutMs);
      } catch {
        return { kind: 'unknown' };
      }
      if (polled.status === 429 || polled.status >= 500) return { kind: 'unknown' };
      const answer = readAnswer(this.#wire, polled.status, polled.text, id);
      if (answer.kind === 'unreadable') return { kind: 'unknown' };
      if (answer.kind === 'refused') {
        // The charge exists (it was created), but the wallet will not say how it ended.
        return { kind: 'final', result: { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: answer.result.providerCode ?? `HTTP_${polled.status}`, paymentId: id, providerStatus: polled.status } };
      }
      return this.#wire.states.pending.includes(answer.state) ? { kind: 'waiting', known: answer.result } : { kind: 'final', result: answer.result };
    });
  }

  #statusPath(id: string): string {
    return this.#wire.statusPath.replace('{id}', encodeURIComponent(id));
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
function readAnswer(w: WalletWire, status: number, text: string, knownId?: string): Answer {
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    json = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  const rawCode = pathOf(json, 'error.code');
  const code = typeof rawCode === 'string' ? rawCode : undefined;
  // 429 and 5xx mean the same whatever the body says (or whether it could be read).
  const byStatus = statusFailure(status, code);
  if (byStatus) return { kind: 'refused', result: byStatus };
  if (json === undefined) return { kind: 'unreadable', result: unreadableAnswer(status) };
  if (status >= 400) return { kind: 'refused', result: { outcome: 'failed', errorCode: normaliseLocalWalletCode(status, code, w.codes), ...(code ? { providerCode: code } : {}), providerStatus: status } };
  const rawId = pathOf(json, w.response.id);
  const id = typeof rawId === 'string' ? rawId : knownId;
  const state = pathOf(json, w.response.status);
  if (id === undefined || typeof state !== 'string') return { kind: 'unreadable', result: unreadableAnswer(status) };
  const base = { paymentId: id, providerStatus: status };
  if (w.states.succeeded.includes(state)) return { kind: 'charge', id, state, result: { outcome: 'succeeded', ...base } };
  if (w.states.pending.includes(state)) return { kind: 'charge', id, state, result: { outcome: 'pending', providerCode: state, ...base } };
  if (w.states.failed.includes(state)) return { kind: 'charge', id, state, result: { outcome: 'failed', errorCode: code ? normaliseLocalWalletCode(402, code, w.codes) : 'card_declined', providerCode: code ?? state, ...base } };
  return { kind: 'charge', id, state, result: { outcome: 'pending', errorCode: 'outcome_unknown', providerCode: state, ...base } };
}

/** A dotted path into a JSON object (`price.amountMinor`). */
function pathOf(json: Record<string, unknown> | undefined, path: string): unknown {
  let at: unknown = json;
  for (const key of path.split('.')) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = target;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[keys.at(-1)!] = value;
}
