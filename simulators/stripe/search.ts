import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { send } from '../core/index.js';
import type { StripeContext } from './context.js';
import { invalidRequest } from './errors.js';
import { limitOf, newestFirst, queryOf } from './lists.js';
import { optionalString } from './params.js';
import { intentIdsForOrder } from './order-index.js';

/**
 * The Search API (docs.stripe.com/search): `GET /v1/{charges,payment_intents,customers}/search`
 * with Stripe's query language — clauses `field:value` (exact), `field~value` (substring, 3+
 * characters), `field>n`, `<`, `>=`, `<=` on numbers, `-` to negate, `metadata['key']:'value'`,
 * `field:null`; joined by `AND` or by `OR` (not both), at most 10. Answers
 * `{object: 'search_result', url, has_more, next_page, data}`, newest first, paged by `page`.
 *
 * Stripe's index is eventually consistent (a new object shows up within about a minute); the
 * simulator's is immediate, which no correct integration can tell apart from a fast index.
 */
type Item = Record<string, unknown> & { id: string };
type Op = ':' | '~' | '>' | '<' | '>=' | '<=';
interface Clause {
  negate: boolean;
  field: string;
  metadataKey: string | undefined;
  op: Op;
  value: string | null;
}

/** The fields each resource may be searched by (Stripe's "Supported query fields for each resource"). */
const FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  charges: new Set(['amount', 'created', 'currency', 'customer', 'disputed', 'metadata', 'payment_method_details.card.last4', 'payment_method_details.card.brand', 'refunded', 'status']),
  payment_intents: new Set(['amount', 'created', 'currency', 'customer', 'metadata', 'status']),
  customers: new Set(['created', 'email', 'metadata', 'name', 'phone']),
};
const MAX_CLAUSES = 10;
const CLAUSE = /^(-?)(metadata\[(?:'([^']*)'|"([^"]*)")\]|[a-z_.0-9]+)(>=|<=|:|~|>|<)(?:'([^']*)'|"([^"]*)"|(-?\d+(?:\.\d+)?)|(null))$/;

export class SearchQueryError extends Error {}

/** Parse a query for `resource`; throws SearchQueryError with Stripe-like wording on a bad one. */
export function parseSearchQuery(query: string, resource: string): { join: 'AND' | 'OR'; clauses: Clause[] } {
  const parts = splitOutsideQuotes(query.trim());
  const joins = new Set(parts.filter((_, i) => i % 2 === 1));
  if ([...joins].some((j) => j !== 'AND' && j !== 'OR')) throw new SearchQueryError(`Invalid query: ${query}`);
  if (joins.size > 1) throw new SearchQueryError('Cannot combine AND and OR in the same query. Use one or the other.');
  const raw = parts.filter((_, i) => i % 2 === 0);
  if (raw.length === 0 || raw.some((c) => c === '')) throw new SearchQueryError(`Invalid query: ${query}`);
  if (raw.length > MAX_CLAUSES) throw new SearchQueryError(`A query can have at most ${MAX_CLAUSES} clauses.`);
  const clauses = raw.map((text) => {
    const m = CLAUSE.exec(text);
    if (!m) throw new SearchQueryError(`Invalid query: could not parse clause \`${text}\`.`);
    const isMetadata = m[2]!.startsWith('metadata[');
    const field = isMetadata ? 'metadata' : m[2]!;
    if (!FIELDS[resource]!.has(field)) {
      throw new SearchQueryError(`Field \`${field}\` is an unsupported search field for resource \`${resource}\`. See http://stripe.com/docs/search#query-fields-for-${resource.replace('_', '-')} for a list of supported fields.`);
    }
    const op = m[5] as Op;
    const value = m[9] !== undefined ? null : (m[6] ?? m[7] ?? m[8] ?? null);
    if (op === '~' && (value === null || value.length < 3)) throw new SearchQueryError('A substring match (~) needs a value of at least 3 characters.');
    return { negate: m[1] === '-', field, metadataKey: isMetadata ? (m[3] ?? m[4]) : undefined, op, value };
  });
  return { join: joins.has('OR') ? 'OR' : 'AND', clauses };
}

/** Split into clause, join, clause, …, on whitespace-delimited AND/OR that are not inside quotes. */
function splitOutsideQuotes(query: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  const words: string[] = [];
  for (const ch of query) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
    } else if (/\s/.test(ch)) {
      if (current !== '') words.push(current);
      current = '';
    } else current += ch;
  }
  if (current !== '') words.push(current);
  let clause = '';
  for (const w of words) {
    if (w === 'AND' || w === 'OR') {
      out.push(clause, w);
      clause = '';
    } else clause = clause === '' ? w : `${clause} ${w}`;
  }
  out.push(clause);
  return out;
}

export function matches(item: Item, q: { join: 'AND' | 'OR'; clauses: Clause[] }): boolean {
  const test = (c: Clause): boolean => {
    const actual = c.metadataKey !== undefined ? (item.metadata as Record<string, string> | undefined)?.[c.metadataKey] : valueAt(item, c.field);
    let hit: boolean;
    if (c.value === null) hit = actual === null || actual === undefined;
    else if (c.op === ':') hit = actual !== null && actual !== undefined && String(actual).toLowerCase() === c.value.toLowerCase();
    else if (c.op === '~') hit = typeof actual === 'string' && actual.toLowerCase().includes(c.value.toLowerCase());
    else {
      const a = Number(actual);
      const b = Number(c.value);
      hit = Number.isFinite(a) && (c.op === '>' ? a > b : c.op === '<' ? a < b : c.op === '>=' ? a >= b : a <= b);
    }
    return c.negate ? !hit : hit;
  };
  return q.join === 'AND' ? q.clauses.every(test) : q.clauses.some(test);
}

function valueAt(item: Item, path: string): unknown {
  let v: unknown = item;
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  if (path === 'disputed' && v === undefined) return false;
  return v;
}

type Parsed = ReturnType<typeof parseSearchQuery>;

export function registerSearch(app: FastifyInstance, ctx: StripeContext): void {
  const route = (resource: string, items: (q: Parsed) => Item[]) =>
    app.get(`/v1/${resource}/search`, async (req: FastifyRequest, reply: FastifyReply) => search(req, reply, resource, items));
  route('charges', () => newestFirst(ctx.state.charges) as unknown as Item[]);
  route('payment_intents', (q) => intentsFor(ctx, q));
  route('customers', () => newestFirst(ctx.state.customers) as unknown as Item[]);
}

/**
 * The intents a query can match: the newest `retain` in memory, and — when every match must carry
 * one order id (`metadata['order_id']:'…'`, AND-joined) — the older ones filed under it, read back
 * from the spill store (order-index.ts), after them as they are older.
 */
function intentsFor(ctx: StripeContext, q: Parsed): Item[] {
  const cached = newestFirst(ctx.state.intents).map((r) => r.intent) as unknown as Item[];
  const byOrder = q.join === 'AND' || q.clauses.length === 1 ? q.clauses.find((c) => !c.negate && c.op === ':' && c.metadataKey === 'order_id' && c.value !== null) : undefined;
  if (byOrder === undefined) return cached;
  const seen = new Set(cached.map((i) => i.id));
  const older = intentIdsForOrder(ctx.state, byOrder.value!)
    .filter((id) => !seen.has(id))
    .map((id) => ctx.state.intents.get(id)?.intent as unknown as Item | undefined)
    .filter((i): i is Item => i !== undefined)
    .sort((a, b) => Number(b.created) - Number(a.created));
  return [...cached, ...older];
}

function search(req: FastifyRequest, reply: FastifyReply, resource: string, itemsOf: (q: Parsed) => Item[]): unknown {
  const params = queryOf(req);
  const query = optionalString(params, 'query');
  if (query === undefined) return send(reply, invalidRequest('Missing required param: query.', 'parameter_missing', 'query'));
  const limit = limitOf(params);
  if (typeof limit !== 'number') return send(reply, limit);
  let parsed;
  try {
    parsed = parseSearchQuery(query, resource);
  } catch (err) {
    if (err instanceof SearchQueryError) return send(reply, invalidRequest(err.message, 'parameter_invalid_string', 'query'));
    throw err;
  }
  const hits = itemsOf(parsed).filter((x) => matches(x, parsed));
  // `page` is the opaque cursor of the previous answer's `next_page`: here, the id to continue after.
  const page = optionalString(params, 'page');
  let start = 0;
  if (page !== undefined) {
    const after = Buffer.from(page, 'base64url').toString('utf8');
    const i = hits.findIndex((x) => x.id === after);
    if (i === -1) return send(reply, invalidRequest(`Invalid page: ${page}`, 'parameter_invalid_string', 'page'));
    start = i + 1;
  }
  const data = hits.slice(start, start + limit);
  const hasMore = hits.length > start + limit;
  return {
    object: 'search_result',
    url: `/v1/${resource}/search`,
    has_more: hasMore,
    next_page: hasMore ? Buffer.from(data[data.length - 1]!.id, 'utf8').toString('base64url') : null,
    data,
  };
}
