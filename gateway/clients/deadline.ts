import { errors, type Dispatcher } from 'undici';

/**
 * Provider timeouts that mean what they say. undici checks `headersTimeout` and `bodyTimeout` on
 * its coarse "fast timers" (a tick of about half a second), so a 300 ms provider timeout fired
 * anywhere between 0.5 and 1 s — and a scenario that shortens the timeout under a 400 ms provider
 * slowdown (the `timeoutMs` regression) saw no timeout at all. Every provider pool is composed with
 * this interceptor (connection.ts): a request given `headersTimeout` gets a deadline on a Node timer
 * from the moment it is dispatched (queueing for a connection counts: the shopper waits for that
 * too), aborted with undici's own HeadersTimeoutError — or BodyTimeoutError once the answer has
 * started — so the clients' classification (a timeout after sending is an unknown outcome,
 * provider-client.ts transportFailure) is unchanged. undici's own timers stay as a backstop.
 *
 * A request still queued when its deadline passes is failed at once, and aborted before a byte is
 * written when it reaches a connection: a charge the gateway gave up on is never sent afterwards.
 */
export const preciseDeadline: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const ms = opts.headersTimeout;
  if (typeof ms !== 'number' || !(ms > 0)) return dispatch(opts, handler);
  return dispatch(opts, new DeadlineHandler(ms, handler));
};

class DeadlineHandler implements Dispatcher.DispatchHandler {
  readonly #inner: Dispatcher.DispatchHandler;
  readonly #timer: NodeJS.Timeout;
  #controller: Dispatcher.DispatchController | undefined;
  #answering = false;
  #expired: Error | undefined;
  #settled = false;
  /** Failed while still queued: the caller has its error; what undici says later is not passed on. */
  #reportedEarly = false;

  constructor(ms: number, inner: Dispatcher.DispatchHandler) {
    this.#inner = inner;
    this.#timer = setTimeout(() => this.#expire(), ms);
  }

  #expire(): void {
    if (this.#settled) return;
    this.#expired = this.#answering ? new errors.BodyTimeoutError() : new errors.HeadersTimeoutError();
    if (this.#controller) {
      this.#controller.abort(this.#expired);
      return;
    }
    // Still queued for a connection: the caller hears now; the request is aborted when it starts.
    this.#reportedEarly = true;
    this.#settle();
    this.#inner.onResponseError?.(queuedController(this.#expired), this.#expired);
  }

  #settle(): void {
    this.#settled = true;
    clearTimeout(this.#timer);
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#controller = controller;
    if (this.#reportedEarly) {
      controller.abort(this.#expired!);
      return;
    }
    this.#inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[]>, socket: import('node:stream').Duplex): void {
    this.#settle();
    this.#inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[]>, statusMessage?: string): void {
    this.#answering = true;
    this.#inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Record<string, string | string[]>): void {
    this.#settle();
    this.#inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.#settle();
    if (this.#reportedEarly) return;
    this.#inner.onResponseError?.(controller, error);
  }
}

/** The controller handed with an error reported before undici gave one: already aborted, nothing to pause. */
function queuedController(reason: Error): Dispatcher.DispatchController {
  return { aborted: true, paused: false, reason, abort: () => {}, pause: () => {}, resume: () => {} } as unknown as Dispatcher.DispatchController;
}
