import { request } from 'undici';

/** What a system under test said when asked about one order (`GET /payments/{orderId}`). */
export type OrderQueryAnswer =
  | { readonly kind: 'found'; readonly body: Record<string, unknown> | undefined }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'no-answer' };

/**
 * Ask a system under test about one order, the reference gateway's order query. Only the HTTP
 * exchange: each caller (ground truth's ids, orders-settled's status) decides what an answer means.
 */
export async function queryOrder(url: string, orderId: string, timeoutMs: number): Promise<OrderQueryAnswer> {
  try {
    const res = await request(`${url}/payments/${encodeURIComponent(orderId)}`, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    if (res.statusCode !== 200) {
      await res.body.dump();
      return res.statusCode === 404 ? { kind: 'not-found' } : { kind: 'status', status: res.statusCode };
    }
    return { kind: 'found', body: (await res.body.json().catch(() => undefined)) as Record<string, unknown> | undefined };
  } catch {
    return { kind: 'no-answer' };
  }
}
