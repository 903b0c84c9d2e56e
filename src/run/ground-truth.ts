import { request } from 'undici';
import { checkForgedWebhooksRejected, checkNoDoubleCharge, checkRefundsWithinCaptures, checkVoidNeverCaptured, type InvariantResult, type LedgerRow, type WebhookAttemptRow } from '../analysis/index.js';
import type { Variant } from '../conventions/index.js';
import type { ProviderEndpoint } from '../stack/index.js';
import { wiremockLedger } from '../../simulators/index.js';
import { LedgerRowsStore, checkByGroup } from './ledger-rows-store.js';
import { queryOrder } from './order-query.js';
import type { OrdersPlaced, UnansweredOrder } from './orders-placed.js';

/**
 * Ground truth: what really happened at every provider, judged against what the shop placed.
 *
 *   orders no answer named ──GET /payments/{orderId}──► system under test ──► their provider ids
 *   every provider's ledger (direct, past the proxies) ──► rows in the shop's order ids ──► invariants
 *
 * The ledgers are read directly: ground truth must not depend on a fault. The join uses only the
 * ids the system under test reported (OrdersPlaced), never knowledge of how it numbers orders.
 */
export async function checkGroundTruth(providers: Readonly<Record<string, ProviderEndpoint>>, orders: OrdersPlaced, options: { crashed?: ReadonlyMap<string, string>; storePath?: string } = {}): Promise<InvariantResult[]> {
  // A provider that crashed has no ledger to read; every other provider is still checked.
  const crashed = options.crashed ?? new Map<string, string>();
  const readable = Object.fromEntries(Object.entries(providers).filter(([name]) => !crashed.has(name)));
  // Rows go to disk as they arrive and are judged a group at a time (ledger-rows-store.ts).
  const store = new LedgerRowsStore(options.storePath);
  try {
    await streamLedgers(readable, (row) => store.add(row, orders.inShopTerms(row).orderId));
    // Per provider payment, in each ledger's commit order: the provider's own numbering suffices.
    const checked = [
      checkByGroup(store.groups('order'), checkNoDoubleCharge),
      // Matches payments across orders (by amount): it needs every charge at once, though only charges.
      orders.check([...store.rows(true, ['capture', 'refund'])]),
      checkByGroup(store.groups('payment', ['capture', 'refund']), checkRefundsWithinCaptures),
      checkByGroup(store.groups('payment'), checkVoidNeverCaptured),
      // Walks the journeys placed (an order with no row is judged too), each with its own rows.
      // Authorisations too: a hold left open (authorised, never captured nor voided) is judged there.
      orders.checkJourneys((orderId) => store.ofOrder(orderId, ['authorization', 'capture', 'refund', 'void'])),
    ];
    const unread = Object.keys(providers).filter((name) => crashed.has(name));
    return unread.length === 0 ? checked : [...checked, ledgersRead(Object.keys(providers).length, unread, crashed)];
  } finally {
    store.close();
  }
}

/**
 * Says which ledgers the checks above could not include: a crashed provider's charges are not
 * known, so nothing was proven about them — a failed check, never a silent pass.
 */
function ledgersRead(total: number, unread: readonly string[], crashed: ReadonlyMap<string, string>): InvariantResult {
  return {
    name: 'ledgers-read',
    unit: 'providers',
    passed: false,
    checked: total,
    violations: unread.map((provider) => ({ orderId: '', provider, paymentIds: [], message: `${provider}: ledger not read (${crashed.get(provider)}); its charges are in none of the checks above` })),
  };
}

/**
 * The union of every provider's ledger. A native simulator keeps its own ledger; a WireMock
 * provider's is rebuilt from WireMock's request journal.
 */
export async function readLedgers(endpoints: Readonly<Record<string, ProviderEndpoint>>): Promise<LedgerRow[]> {
  const rows: LedgerRow[] = [];
  await streamLedgers(endpoints, (row) => rows.push(row));
  return rows;
}

/**
 * Every provider's ledger, a row at a time, provider after provider (each ledger whole, in its
 * commit order, as `readLedgers` concatenates them). Native ledgers are streamed, never held.
 */
async function streamLedgers(endpoints: Readonly<Record<string, ProviderEndpoint>>, each: (row: LedgerRow) => void): Promise<void> {
  for (const e of Object.values(endpoints)) {
    if (e.simulator.adminUrl !== undefined) for (const row of await wiremockLedger(e.simulator.adminUrl, e.provider, e.journalMark ? { since: e.journalMark } : {})) each(row);
    else await nativeLedger(e.directUrl, each);
  }
}

/**
 * A native simulator's ledger, streamed (`?format=ndjson`): parsed a line at a time as it
 * arrives, so neither side holds the whole ledger as one JSON document.
 */
async function nativeLedger(directUrl: string, each: (row: LedgerRow) => void): Promise<void> {
  const res = await request(`${directUrl}/__sim/ledger?format=ndjson`, { method: 'GET' });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`GET ${directUrl}/__sim/ledger?format=ndjson answered ${res.statusCode}`);
  }
  for await (const line of ndjsonLines(res.body)) each(JSON.parse(line) as LedgerRow);
}

/** The non-empty lines of a stream of UTF-8 NDJSON, as they complete. */
export async function* ndjsonLines(body: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of body) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let nl = rest.indexOf('\n');
    let from = 0;
    while (nl >= 0) {
      if (nl > from) yield rest.slice(from, nl);
      from = nl + 1;
      nl = rest.indexOf('\n', from);
    }
    rest = rest.slice(from);
  }
  rest += decoder.decode();
  if (rest.trim().length > 0) yield rest;
}

/**
 * `webhooks-forged-rejected` from what every native simulator sent (`GET /__sim/webhooks`, read
 * directly): which forged notifications were acknowledged. A crashed simulator's log is gone; the
 * result says so rather than passing on what it could not read.
 */
export async function checkForgedWebhooks(providers: Readonly<Record<string, ProviderEndpoint>>, options: { crashed?: ReadonlyMap<string, string> } = {}): Promise<InvariantResult> {
  const crashed = options.crashed ?? new Map<string, string>();
  const native = Object.values(providers).filter((e) => e.simulator.kind === 'native' && !crashed.has(e.provider));
  const logs = await Promise.all(native.map(async (e) => (await webhookLog(e.directUrl)).map((a) => ({ ...a, provider: e.provider }))));
  const result = checkForgedWebhooksRejected(logs.flat());
  const unread = Object.keys(providers).filter((name) => crashed.has(name));
  return unread.length === 0 ? result : { ...result, passed: false, violations: [...result.violations, ...unread.map((provider) => ({ orderId: '', provider, paymentIds: [], message: `${provider}: webhook log not read (${crashed.get(provider)})` }))] };
}

async function webhookLog(directUrl: string): Promise<Array<Omit<WebhookAttemptRow, 'provider'>>> {
  const res = await request(`${directUrl}/__sim/webhooks`, { method: 'GET' });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`GET ${directUrl}/__sim/webhooks answered ${res.statusCode}`);
  }
  return ((await res.body.json()) as { attempts: Array<Omit<WebhookAttemptRow, 'provider'>> }).attempts;
}

export interface QueryOptions {
  /** Queries at once per system under test. */
  concurrency?: number;
  /** At most this many orders are asked about (bounded work, whatever the run length). */
  limit?: number;
  timeoutMs?: number;
}

export interface QueryOutcome {
  asked: number;
  learnt: number;
  /** Variants whose system under test does not answer `GET /payments/{orderId}`. */
  unsupported: Variant[];
}

/**
 * For the orders the driver never saw answered with their provider ids (cut by an interrupt,
 * timed out, or an engine that does not report them), ask the system under test what became of
 * each: `GET /payments/{orderId}`, the reference gateway's order query. A system that does not
 * offer it (an answer other than 200 or 404, or no answer) is not asked again; its unanswered
 * orders stay in the provider's numbering, where captures-within-orders still matches them by
 * amount. Must run while the systems under test are still up.
 */
export async function queryUnanswered(orders: OrdersPlaced, systems: Partial<Record<Variant, { readonly url: string }>>, options: QueryOptions = {}): Promise<QueryOutcome> {
  const pending = orders.unanswered(options.limit ?? 20_000);
  const unsupported = new Set<Variant>();
  let asked = 0;
  let learnt = 0;
  const next = (): UnansweredOrder | undefined => pending.shift();
  const worker = async (): Promise<void> => {
    for (let order = next(); order; order = next()) {
      const url = systems[order.variant]?.url;
      if (url === undefined || unsupported.has(order.variant)) continue;
      asked++;
      const answer = await askOrder(url, order.orderId, options.timeoutMs ?? 2000);
      if (answer === 'unsupported') unsupported.add(order.variant);
      else if (answer) {
        orders.learn(answer.provider ?? order.provider, order.orderId, answer);
        if (answer.providerPaymentId !== undefined || answer.providerReference !== undefined) learnt++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return { asked, learnt, unsupported: [...unsupported] };
}

interface OrderAnswer {
  provider?: string;
  providerPaymentId?: string;
  providerReference?: string;
}

/** The provider ids an order query named; undefined when the order is unknown; 'unsupported' for any other outcome. */
async function askOrder(url: string, orderId: string, timeoutMs: number): Promise<OrderAnswer | undefined | 'unsupported'> {
  const asked = await queryOrder(url, orderId, timeoutMs);
  if (asked.kind === 'not-found') return undefined;
  if (asked.kind !== 'found') return 'unsupported';
  const body = asked.body;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
  const answer: OrderAnswer = {};
  const provider = str(body?.provider);
  const paymentId = str(body?.providerPaymentId);
  const reference = str(body?.providerReference);
  if (provider) answer.provider = provider;
  if (paymentId) answer.providerPaymentId = paymentId;
  if (reference) answer.providerReference = reference;
  return answer;
}
