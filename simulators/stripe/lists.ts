import type { FastifyRequest } from 'fastify';
import { parseForm, type ErrorResponse, type FormObject } from '../core/index.js';
import { invalidRequest } from './errors.js';
import { optionalString } from './params.js';

/**
 * Stripe's list endpoints (docs.stripe.com/api/pagination): newest first, `limit` 1–100
 * (default 10), cursors `starting_after` (older than that object) and `ending_before` (newer),
 * answered as `{object: 'list', url, has_more, data}`. The SDKs' auto-pagination follows
 * `starting_after` with the last id of each page, which is what makes every object reachable.
 *
 * Lists walk the retained objects (BoundedMap, newest `retain` per kind): O(n) per page, which is
 * fine for a merchant's reconciliation or a test, and keeps no second index to go stale.
 */
export interface StripeList<T> {
  object: 'list';
  url: string;
  has_more: boolean;
  data: T[];
}

/** GET parameters as Stripe reads them: the same bracket nesting as form bodies (`created[gte]=…`, `expand[0]=…`). */
export function queryOf(req: FastifyRequest): FormObject {
  const q = req.url.indexOf('?');
  return q === -1 ? {} : parseForm(req.url.slice(q + 1));
}

/** `limit`, validated as Stripe does (an integer from 1 to 100); the default is 10. */
export function limitOf(params: FormObject): number | ErrorResponse {
  const v = params.limit;
  if (v === undefined || v === '') return 10;
  if (typeof v !== 'string' || !/^\d+$/.test(v)) return invalidRequest(`Invalid integer: ${typeof v === 'string' ? v : 'object'}`, 'parameter_invalid_integer', 'limit');
  const n = Number(v);
  if (n < 1 || n > 100) return invalidRequest('This value must be greater than or equal to 1 and less than or equal to 100.', 'parameter_invalid_integer', 'limit');
  return n;
}

/**
 * One page of `items` (newest first, already filtered). A cursor naming an object that is not in
 * the list is Stripe's 400 resource_missing on that param.
 */
export function paginate<T extends { id: string }>(items: readonly T[], params: FormObject, url: string, objectName: string): StripeList<T> | ErrorResponse {
  const limit = limitOf(params);
  if (typeof limit !== 'number') return limit;
  const after = optionalString(params, 'starting_after');
  const before = optionalString(params, 'ending_before');
  if (after !== undefined) {
    const i = items.findIndex((x) => x.id === after);
    if (i === -1) return invalidRequest(`No such ${objectName}: '${after}'`, 'resource_missing', 'starting_after');
    const rest = items.slice(i + 1);
    return { object: 'list', url, has_more: rest.length > limit, data: rest.slice(0, limit) };
  }
  if (before !== undefined) {
    const i = items.findIndex((x) => x.id === before);
    if (i === -1) return invalidRequest(`No such ${objectName}: '${before}'`, 'resource_missing', 'ending_before');
    // The page just newer than the cursor, still newest first.
    const start = Math.max(0, i - limit);
    return { object: 'list', url, has_more: start > 0, data: items.slice(start, i) };
  }
  return { object: 'list', url, has_more: items.length > limit, data: items.slice(0, limit) };
}

/** The newest-first values of a map kept in insertion order. */
export function newestFirst<V>(map: ReadonlyMap<string, V>): V[] {
  return [...map.values()].reverse();
}

/**
 * `created` as a list filter: an exact unix time, or `created[gt|gte|lt|lte]`. Undefined when
 * absent; an error naming the param when malformed.
 */
export function createdFilter(params: FormObject): ((created: number) => boolean) | ErrorResponse | undefined {
  const v = params.created;
  if (v === undefined || v === '') return undefined;
  const int = (s: unknown, param: string): number | ErrorResponse =>
    typeof s === 'string' && /^\d+$/.test(s) ? Number(s) : invalidRequest(`Invalid integer: ${typeof s === 'string' ? s : 'object'}`, 'parameter_invalid_integer', param);
  if (typeof v === 'string') {
    const at = int(v, 'created');
    return typeof at === 'number' ? (c) => c === at : at;
  }
  if (Array.isArray(v)) return invalidRequest('Invalid object', 'parameter_invalid_object', 'created');
  const tests: Array<(c: number) => boolean> = [];
  for (const [op, raw] of Object.entries(v)) {
    const n = int(raw, `created[${op}]`);
    if (typeof n !== 'number') return n;
    if (op === 'gt') tests.push((c) => c > n);
    else if (op === 'gte') tests.push((c) => c >= n);
    else if (op === 'lt') tests.push((c) => c < n);
    else if (op === 'lte') tests.push((c) => c <= n);
    else return invalidRequest(`Received unknown parameter: created[${op}]`, 'parameter_unknown', `created[${op}]`);
  }
  return (c) => tests.every((t) => t(c));
}

export function isErrorResponse(v: unknown): v is ErrorResponse {
  return typeof v === 'object' && v !== null && 'status' in v && 'body' in v;
}
