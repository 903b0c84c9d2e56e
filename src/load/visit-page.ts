import { request } from 'undici';

/** What a page the shopper visited answered, or why there was none. */
export type PageVisit =
  | { kind: 'answer'; status: number; location: string | undefined; text: string }
  | { kind: 'connect' }
  | { kind: 'timeout' };

/**
 * A shopper's visit to a page away from the gateway — a 3-D Secure challenge at the provider, at
 * the address the gateway's 202 named — by GET, without following its redirect: where the page
 * sends the shopper back to (Location) is the answer. One request, no pool: a challenge is one
 * visit per 3-D Secure shopper, at whatever host the provider's page is on.
 */
export async function visitPage(url: string, headers: Record<string, string>, timeoutMs: number): Promise<PageVisit> {
  try {
    const res = await request(url, { method: 'GET', headers, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    const text = await res.body.text();
    const location = res.headers.location;
    return { kind: 'answer', status: res.statusCode, location: Array.isArray(location) ? location[0] : location, text };
  } catch (err) {
    const code = (err as { code?: string }).code;
    // Nothing sent: no connection (or a page address that is not one); else the visit may have landed.
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_INVALID_ARG' || err instanceof TypeError) return { kind: 'connect' };
    return { kind: 'timeout' };
  }
}
