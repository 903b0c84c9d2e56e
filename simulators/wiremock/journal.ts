import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { isKnownProvider, providerDescriptor } from '../../src/conventions/index.js';
import { paychaosError } from '../../src/kernel/index.js';
import { traceIdOf, type LedgerEntry } from '../core/index.js';

/**
 * A WireMock provider's ledger, rebuilt from WireMock's request journal: WireMock keeps none of
 * ours, but it records every request it served and the response it gave.
 *
 *   GET /__admin/requests ─▶ every serve event, newest first ─▶ those the charge rule names
 *   (localwallet: POST /v1/charges answered 201) ─▶ oldest first, an authorization and a capture
 *   per created charge: {paymentId: response body's id, orderId: request body's reference, …}
 *
 * Writing your own provider: a charge rule says which answered request means "a charge was
 * created" and where its fields are (dotted paths into the request and response JSON bodies);
 * pass it as `wiremockLedger(adminUrl, provider, { rule })`. Every request the rule matches
 * counts as money taken once, so two for one order are a double charge — which is right when,
 * as in localwallet, every created charge is approved. A provider whose charges can still fail
 * after creation needs the failure read too; this reader would over-report it. Refunds are not
 * read (the reference gateway makes none), so a refunded duplicate still counts. A faulted
 * answer (connection reset, garbage) counts as nothing: WireMock rendered no charge for it.
 *
 * Incomplete journals throw instead of returning a partial ledger: a journal that is disabled
 * (`--no-request-journal`), read with a limit, or holds a charge it cannot read (a body cut by
 * `--logged-response-body-size-limit`). A journal capped by `--max-request-journal-entries`, or
 * reset mid-run, silently drops the oldest requests; only a mark left at the start of the run
 * (markWireMockJournal) can prove that did not happen. paychaos' own WireMock never caps it.
 */
export interface ChargeRule {
  readonly method: string;
  /** The request path, without its query. */
  readonly path: string;
  /** The status that means the charge was created. */
  readonly status: number;
  /** A field of the response body. */
  readonly paymentId: string;
  /** Fields of the request body. */
  readonly orderId: string;
  readonly amount: string;
  readonly currency: string;
}

export const LOCALWALLET_CHARGE_RULE: ChargeRule = Object.freeze({ method: 'POST', path: '/v1/charges', status: 201, paymentId: 'id', orderId: 'reference', amount: 'amount', currency: 'currency' });

/**
 * The charge rule of a bundled WireMock provider, from its wire description (src/conventions/
 * providers: createPath answered createdStatus, the id and request fields it names); a provider
 * paychaos does not describe falls back to localwallet's rule.
 */
export function chargeRuleFor(provider: string): ChargeRule {
  const wire = isKnownProvider(provider) ? providerDescriptor(provider).wire : undefined;
  if (!wire) return LOCALWALLET_CHARGE_RULE;
  return { method: 'POST', path: wire.createPath, status: wire.createdStatus, paymentId: wire.response.id, orderId: wire.request.reference, amount: wire.request.amount, currency: wire.request.currency };
}

/** A request paychaos sent into the journal, to find again. */
export interface JournalMark {
  readonly markId: string;
}

export interface WireMockLedgerOptions {
  /** Default: LOCALWALLET_CHARGE_RULE. */
  readonly rule?: ChargeRule;
  /** Read only what came after this mark, and throw if it is gone from the journal. */
  readonly since?: JournalMark;
  /** For the admin API call, default 30 s (a long run's journal is large). */
  readonly timeoutMs?: number;
}

/** The part of a WireMock serve event (`GET /__admin/requests`) that the ledger reads. */
export interface JournalEvent {
  readonly id: string;
  readonly request: { readonly method: string; readonly url: string; readonly headers?: Readonly<Record<string, string | string[]>>; readonly body?: string; readonly bodyAsBase64?: string; readonly loggedDateString?: string };
  readonly response?: { readonly status: number; readonly body?: string; readonly bodyAsBase64?: string; readonly fault?: string };
}

const MARK_HEADER = 'x-paychaos-journal-mark';
const JOURNAL_ERROR = 'PAYCHAOS_ERR_WIREMOCK_JOURNAL_INCOMPLETE' as const;

/** Send one request the journal will keep (to `/__sim/health`, which paychaos' WireMock answers; any answer will do). */
export async function markWireMockJournal(adminUrl: string): Promise<JournalMark> {
  const markId = randomUUID();
  const res = await request(`${adminUrl.replace(/\/__admin\/?$/, '')}/__sim/health`, { method: 'GET', headers: { [MARK_HEADER]: markId } });
  await res.body.dump();
  return { markId };
}

export async function wiremockLedger(adminUrl: string, provider: string, options: WireMockLedgerOptions = {}): Promise<LedgerEntry[]> {
  const journalUrl = `${adminUrl}/requests`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let status: number;
  let body: { requests?: unknown; meta?: { total?: unknown }; requestJournalDisabled?: unknown };
  try {
    const res = await request(journalUrl, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    status = res.statusCode;
    body = (await res.body.json()) as typeof body;
  } catch (err) {
    throw journalError(`cannot read the WireMock journal at ${journalUrl}: ${(err as Error).message}`, { journalUrl, reason: 'unreachable' }, err);
  }
  if (status !== 200 || !Array.isArray(body.requests)) throw journalError(`GET ${journalUrl} answered ${status} without a journal`, { journalUrl, reason: 'unreachable' });
  if (body.requestJournalDisabled === true) throw journalError(`the WireMock at ${adminUrl} runs without a request journal (--no-request-journal): no ledger can be rebuilt`, { journalUrl, reason: 'disabled' });
  const events = body.requests as JournalEvent[];
  if (body.meta?.total !== events.length) throw journalError(`the WireMock journal gave ${events.length} of ${String(body.meta?.total)} requests`, { journalUrl, reason: 'limited' });
  let run = events;
  if (options.since) {
    const at = events.findIndex((e) => headerOf(e, MARK_HEADER) === options.since!.markId);
    if (at < 0) throw journalError(`the WireMock journal no longer holds the mark left at the start of the run: it dropped requests (--max-request-journal-entries) or was reset`, { journalUrl, reason: 'mark-missing' });
    run = events.slice(0, at);
  }
  return ledgerFromJournal(run, provider, options.rule ?? chargeRuleFor(provider));
}

/** The pure part: serve events, newest first as WireMock lists them, → ledger entries in commit order. */
export function ledgerFromJournal(events: readonly JournalEvent[], provider: string, rule: ChargeRule = LOCALWALLET_CHARGE_RULE): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  for (const event of [...events].reverse()) {
    const { request: req, response: res } = event;
    if (req.method !== rule.method || req.url.split('?')[0] !== rule.path) continue;
    if (!res || res.status !== rule.status || res.fault) continue;
    const reqBody = jsonOf(req);
    const resBody = jsonOf(res);
    const paymentId = fieldOf(resBody, rule.paymentId);
    const orderId = fieldOf(reqBody, rule.orderId);
    const amount = fieldOf(reqBody, rule.amount);
    const currency = fieldOf(reqBody, rule.currency);
    if (typeof paymentId !== 'string' || typeof orderId !== 'string' || typeof amount !== 'number' || typeof currency !== 'string') {
      throw journalError(
        `journal event ${event.id} (${req.method} ${req.url} → ${res.status}) is a created charge without a readable ${rule.paymentId} in its response or ${rule.orderId}, ${rule.amount}, ${rule.currency} in its request: its bodies are cut short or the stub does not fit the rule`,
        { eventId: event.id, reason: 'unreadable-event' },
      );
    }
    const common = { provider, paymentId, orderId, idempotencyKey: undefined, amount, currency, at: req.loggedDateString ?? new Date(0).toISOString(), traceId: traceIdOf({ traceparent: headerOf(event, 'traceparent') }) };
    const n = entries.length / 2 + 1;
    entries.push({ id: `${provider}_authorization_${n}`, kind: 'authorization', ...common }, { id: `${provider}_capture_${n}`, kind: 'capture', ...common });
  }
  return entries;
}

function headerOf(event: JournalEvent, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.request.headers ?? {})) if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  return undefined;
}

function jsonOf(part: { body?: string; bodyAsBase64?: string }): unknown {
  const text = part.body || (part.bodyAsBase64 ? Buffer.from(part.bodyAsBase64, 'base64').toString('utf8') : '');
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fieldOf(json: unknown, path: string): unknown {
  let value = json;
  for (const key of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

function journalError(message: string, details: Record<string, unknown>, cause?: unknown) {
  return paychaosError(JOURNAL_ERROR, message, details, cause === undefined ? undefined : { cause });
}
