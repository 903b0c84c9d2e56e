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
 *
 * `cut` (Ctrl-C after its grace) destroys the pool once, failing every in-flight request, which
 * then reports `aborted`. One listener for the whole run, rather than an AbortSignal handed to
 * each request: at tens of thousands of requests a second, per-request listeners on one shared
 * signal cost more than the requests' own bookkeeping.
 */
export class HttpTarget {
  readonly url: string;
  readonly #pool: Pool;
  readonly #timeoutMs: number;
  readonly #cut: AbortSignal | undefined;

  constructor(url: string, options: { connections?: number; timeoutMs?: number; cut?: AbortSignal } = {}) {
    this.url = url;
    this.#pool = new Pool(url, { connections: options.connections ?? 128 });
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#cut = options.cut;
    this.#cut?.addEventListener('abort', () => void this.#pool.destroy().catch(() => {}), { once: true });
  }

  /**
   * Send one request. Uses undici's dispatch API with a small handler rather than
   * `request()`: no response stream object per request, which is most of the per-request cost
   * once bodies are small (see bench/driver).
   */
  send(req: PlannedRequest): Promise<SendResult> {
    if (this.#cut?.aborted) return Promise.resolve({ kind: 'aborted' });
    return new Promise<SendResult>((resolve) => {
      let status = 0;
      const chunks: Buffer[] = [];
      const fail = (err: unknown): void => {
        if (this.#cut?.aborted) return resolve({ kind: 'aborted' });
        const code = (err as { code?: string }).code;
        if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || err instanceof undiciErrors.ConnectTimeoutError) return resolve({ kind: 'connect' });
        resolve({ kind: 'timeout' });
      };
      try {
        this.#pool.dispatch(
          { method: req.method, path: req.path, headers: req.headers, body: req.body, headersTimeout: this.#timeoutMs, bodyTimeout: this.#timeoutMs },
          {
            // undici tells the new handler API from the legacy one by this method.
            onRequestStart: () => {},
            onResponseStart: (_controller, statusCode) => {
              status = statusCode;
            },
            onResponseData: (_controller, chunk) => {
              chunks.push(chunk);
            },
            onResponseEnd: () => {
              resolve({ kind: 'answer', status, text: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8') });
            },
            onResponseError: (_controller, err) => fail(err),
          },
        );
      } catch (err) {
        fail(err);
      }
    });
  }

  close(): Promise<void> {
    // A destroyed pool (after a cut) is already closed.
    return this.#pool.destroyed ? Promise.resolve() : this.#pool.close();
  }
}
