import { AsyncLocalStorage } from 'node:async_hooks';
import { context as otelContext, isSpanContextValid, ROOT_CONTEXT, trace, TraceFlags, type Context } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import { formatTraceparent, parseTraceparent } from '../../src/kernel/index.js';

/**
 * Trace context inside the gateway, with or without an OpenTelemetry SDK.
 *
 *   client ──traceparent──► POST /payments (server span, parent: the client's span)
 *                              └─ router ─► attempt 1 (client span) ──traceparent──► provider
 *                                        └► attempt 2 / failover (client span) ──traceparent──► backup
 *
 * The API's context manager is a no-op until an SDK registers one, and the embedded default runs
 * without an SDK, so the context a provider call must carry is also kept here, in an
 * AsyncLocalStorage of our own that follows the request through the router's awaits and timers.
 * Every provider pool is composed with `injectTraceparent` (connection.ts), so each request a
 * client makes during an attempt — the charge, a token fetch, a wallet's polls — carries the
 * attempt's span as its parent, and no client can forget it.
 *
 * Without an SDK the API's spans do not record: a span started under a remote parent keeps the
 * parent's ids, so the providers see the client's own span as parent — the trace id, which is
 * what joins ledgers and webhooks to the shopper, flows either way.
 */
const current = new AsyncLocalStorage<Context>();

/** Run `fn` with `ctx` as the trace context of everything it calls (ours, and the SDK's when there is one). */
export function withTraceContext<T>(ctx: Context, fn: () => T): T {
  return current.run(ctx, () => otelContext.with(ctx, fn));
}

/** The trace context in force: ours, else the SDK's active one (ROOT when neither has one). */
export function activeTraceContext(): Context {
  return current.getStore() ?? otelContext.active();
}

/** The context an incoming request's W3C `traceparent` names as parent; ROOT when it names none (or an invalid one). */
export function remoteParent(header: string | string[] | undefined): Context {
  const p = parseTraceparent(header);
  if (!p) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: p.traceId, spanId: p.spanId, traceFlags: p.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true });
}

/** The `traceparent` an outgoing request carries now (the active span as parent), or undefined outside any trace. */
export function outgoingTraceparent(): string | undefined {
  const sc = trace.getSpanContext(activeTraceContext());
  if (!sc || !isSpanContextValid(sc)) return undefined;
  return formatTraceparent({ traceId: sc.traceId, spanId: sc.spanId, sampled: (sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED });
}

/**
 * An undici interceptor setting `traceparent` on every request dispatched inside a trace. A
 * header of that name the client set itself is replaced, never doubled: a provider must see one.
 */
export const injectTraceparent: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const traceparent = outgoingTraceparent();
  if (traceparent === undefined) return dispatch(opts, handler);
  return dispatch({ ...opts, headers: withTraceparent(opts.headers, traceparent) }, handler);
};

type Headers = Dispatcher.DispatchOptions['headers'];

function withTraceparent(headers: Headers, traceparent: string): Headers {
  if (headers === undefined || headers === null) return { traceparent };
  if (Array.isArray(headers)) {
    // The flat form: name, value, name, value …
    const out: string[] = [];
    for (let i = 0; i + 1 < headers.length; i += 2) if (headers[i]!.toLowerCase() !== 'traceparent') out.push(headers[i]!, headers[i + 1]!);
    return [...out, 'traceparent', traceparent];
  }
  const entries: Iterable<[string, string | string[] | undefined]> = Symbol.iterator in headers ? (headers as Iterable<[string, string | string[] | undefined]>) : Object.entries(headers);
  const out: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of entries) if (name.toLowerCase() !== 'traceparent') out[name] = value;
  out.traceparent = traceparent;
  return out;
}
