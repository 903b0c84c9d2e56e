import { Pool, errors as undiciErrors } from 'undici';
import type { PlannedRequest } from './traffic.js';

/** An answer, or why there was none. */
export type SendResult =
  | { kind: 'answer'; status: number; text: string }
  /** No connection: nothing was sent. */
  | { kind: 'connect' }
  /** Sent, then no (complete) answer: the charge may exist. */
  | { kind: 'timeout' }
  /** Cut by the harness (Ctrl-C): not the system's doing. */
  | { kind: 'aborted' };

/**
 * One system under test (a gateway instance) behind a keep-alive connection pool. Sends what the
 * traffic model planned, and tells an answer from the three ways of not getting one.
 */
export class HttpTarget {
  readonly url: string;
  readonly #pool: Pool;
  readonly #timeoutMs: number;

  constructor(url: string, options: { connections?: number; timeoutMs?: number } = {}) {
    this.url = url;
    this.#pool = new Pool(url, { connections: options.connections ?? 128 });
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  async send(req: PlannedRequest, signal?: AbortSignal): Promise<SendResult> {
    try {
      const res = await this.#pool.request({
        method: req.method,
        path: req.path,
        headers: req.headers,
        body: req.body,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
        ...(signal ? { signal } : {}),
      });
      return { kind: 'answer', status: res.statusCode, text: await res.body.text() };
    } catch (err) {
      if (signal?.aborted) return { kind: 'aborted' };
      const code = (err as { code?: string }).code;
      if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || err instanceof undiciErrors.ConnectTimeoutError) return { kind: 'connect' };
      return { kind: 'timeout' };
    }
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
