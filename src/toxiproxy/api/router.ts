import { posix } from 'node:path';

/**
 * Request routing with gorilla/mux's observable behaviour: the decoded path is cleaned and an
 * unclean one is answered with a 301 to the clean path; a path of no route is a 404 (`404 page
 * not found`), a known path with another method a 405 with an empty body. `{proxy}` and
 * `{toxic}` match one segment, so a name containing `/` cannot be addressed, even encoded.
 */
export type RouteParams = Readonly<Record<string, string>>;

export interface Route<H> {
  readonly pattern: readonly string[];
  readonly methods: Readonly<Record<string, H>>;
}

export type RouteMatch<H> =
  | { readonly kind: 'handler'; readonly handler: H; readonly params: RouteParams }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'bad-request' }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'method-not-allowed' };

/** mux's cleanPath: path.Clean, keeping a trailing slash. */
export function cleanPath(path: string): string {
  if (path === '') return '/';
  const rooted = path.startsWith('/') ? path : `/${path}`;
  let clean = posix.normalize(rooted);
  if (clean.length > 1 && clean.endsWith('/')) clean = clean.slice(0, -1);
  if (clean.startsWith('//')) clean = clean.replace(/^\/+/, '/');
  if (rooted.endsWith('/') && clean !== '/') clean += '/';
  return clean;
}

export function matchRoute<H>(routes: readonly Route<H>[], method: string, rawUrl: string): RouteMatch<H> {
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'bad-request' };
  }
  const clean = cleanPath(path);
  // The clean path is decoded; Go writes it raw, but a header may carry neither non-ASCII nor
  // control characters, so it goes back out percent-encoded (the same path to any client).
  if (clean !== path) return { kind: 'redirect', location: encodeURI(clean) + headerSafe(queryAt < 0 ? '' : rawUrl.slice(queryAt)) };
  const segments = path.split('/').slice(1);
  let pathMatched = false;
  for (const route of routes) {
    const params = matchSegments(route.pattern, segments);
    if (!params) continue;
    const handler = route.methods[method];
    if (handler) return { kind: 'handler', handler, params };
    pathMatched = true;
  }
  return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
}

/** The raw query is already escaped by the client; only what a header cannot carry is encoded. */
function headerSafe(raw: string): string {
  return raw.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}

function matchSegments(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!;
    const got = segments[i]!;
    if (want.startsWith(':')) {
      if (got === '') return undefined;
      params[want.slice(1)] = got;
    } else if (want !== got) {
      return undefined;
    }
  }
  return params;
}
