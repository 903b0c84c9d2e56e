import { Agent, request, type Dispatcher } from 'undici';

/**
 * How one webhook attempt is sent: POST `body` with `headers` to `url`, give up after `timeoutMs`
 * without headers or body, stop when `signal` aborts. Resolves with the receiver's status and body
 * (read in full, so the connection can be reused); rejects on a transport failure.
 */
export type Transport = (url: string, body: string, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal) => Promise<{ status: number; body: string }>;

/** What every simulator's webhook says about itself, whichever transport sends it. */
const COMMON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'paychaos-simulator' } as const;

/** POST over HTTP with undici's `request()` and its global agent; the body is read in full so the connection is reusable. */
export const undiciTransport: Transport = async (url, body, headers, timeoutMs, signal) => {
  const res = await request(url, {
    method: 'POST',
    body,
    headers: { ...COMMON_HEADERS, ...headers },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    signal,
  });
  return { status: res.statusCode, body: await res.body.text() };
};

/** Endpoints whose parsed address is kept; a provider that notifies per request (notify_url) may name many. */
const TARGETS_KEPT = 64;

/**
 * The default transport of a webhook dispatcher: the same requests as `undiciTransport`, on
 * keep-alive connections of the dispatcher's own undici Agent, through `dispatch` with a handler
 * that collects the answer — no URL parse, stream or promise chain per attempt.
 *
 * Why: a simulator sends a webhook per payment, and under load `request()`'s own machinery was the
 * largest part of a delivery's CPU besides the socket writes (issue #19, bench/README.md "CPU per
 * payment in the loop"): it parses the URL each time, looks the origin up in the global agent, and
 * hands the answer over as a Readable.
 * On the wire nothing changes: method, headers, body, timeouts and the agent's defaults are the
 * same; so are the errors an attempt records (undici raises them below `request()`). A URL that is
 * not plain http(s) takes `undiciTransport`, so it fails exactly as it did.
 *
 * `close()` closes the agent: its connections end with the dispatcher (the global agent's
 * stayed open until they idled out).
 */
export class WebhookConnections {
  readonly #agent = new Agent();
  readonly #targets = new Map<string, { origin: string; path: string }>();

  /** The Transport: a method bound to these connections, to hand to a dispatcher. */
  readonly send: Transport = (url, body, headers, timeoutMs, signal) => {
    const target = this.#target(url);
    if (target === undefined) return undiciTransport(url, body, headers, timeoutMs, signal);
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      this.#agent.dispatch(
        { origin: target.origin, path: target.path, method: 'POST', body, headers: { ...COMMON_HEADERS, ...headers }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
        new Collect(signal, resolve, reject),
      );
    });
  };

  /**
   * Ends every connection once the requests on it have ended (a dispatcher aborts its own first).
   * `close`, not `destroy`: destroy hands one error object to every socket, and a library that
   * decorates socket errors (urllib, loaded beside a simulator by the Alipay SDK) throws on the second.
   */
  close(): Promise<void> {
    return this.#agent.close().catch(() => {});
  }

  /** Origin and path as undici's `request(url)` derives them; undefined for anything but a plain http(s) URL. */
  #target(url: string): { origin: string; path: string } | undefined {
    const known = this.#targets.get(url);
    if (known !== undefined) return known;
    if (!url.startsWith('http://') && !url.startsWith('https://')) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    if (this.#targets.size >= TARGETS_KEPT) this.#targets.clear();
    const target = { origin: parsed.origin, path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname };
    this.#targets.set(url, target);
    return target;
  }
}

/**
 * One attempt's answer, collected: the status and the body as text (UTF-8, a leading BOM dropped,
 * as `body.text()` reads it). An abort of `signal` ends the request with its reason, as
 * `request()` does — also when it fires before a connection is assigned.
 */
class Collect implements Dispatcher.DispatchHandler {
  readonly #signal: AbortSignal;
  readonly #resolve: (answer: { status: number; body: string }) => void;
  readonly #reject: (err: unknown) => void;
  #controller: Dispatcher.DispatchController | undefined;
  #status = 0;
  #chunks: Buffer[] = [];

  constructor(signal: AbortSignal, resolve: (answer: { status: number; body: string }) => void, reject: (err: unknown) => void) {
    this.#signal = signal;
    this.#resolve = resolve;
    this.#reject = reject;
    signal.addEventListener('abort', this.#onAbort);
  }

  readonly #onAbort = (): void => {
    this.#controller?.abort(this.#signal.reason);
  };

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#signal.aborted) controller.abort(this.#signal.reason);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.#status = statusCode;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.#signal.removeEventListener('abort', this.#onAbort);
    const chunks = this.#chunks;
    const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
    this.#resolve({ status: this.#status, body: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text });
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.#signal.removeEventListener('abort', this.#onAbort);
    this.#reject(err);
  }
}
