import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { injectTraceparent, remoteParent, withTraceContext } from '../../../gateway/clients/trace-context.js';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** What the interceptor hands on: the options a request is dispatched with. */
function dispatched(headers: Dispatcher.DispatchOptions['headers']): Dispatcher.DispatchOptions['headers'] {
  let seen: Dispatcher.DispatchOptions | undefined;
  const dispatch = injectTraceparent((opts) => {
    seen = opts;
    return true;
  });
  dispatch({ method: 'POST', path: '/v1/payment_intents', headers }, {} as Dispatcher.DispatchHandler);
  return seen!.headers;
}

describe('traceparent on provider requests', () => {
  it('adds nothing outside a trace', () => {
    expect(dispatched({ 'idempotency-key': 'k' })).toEqual({ 'idempotency-key': 'k' });
  });

  it('sets it inside a trace, in every header form, replacing one the client set (never two)', () => {
    withTraceContext(remoteParent(TP), () => {
      expect(dispatched({ 'idempotency-key': 'k', Traceparent: 'stale' })).toEqual({ 'idempotency-key': 'k', traceparent: TP });
      expect(dispatched(undefined)).toEqual({ traceparent: TP });
      expect(dispatched(['a', '1', 'traceparent', 'stale'])).toEqual(['a', '1', 'traceparent', TP]);
    });
  });

  it('follows the context through awaits and timers, and reads an invalid header as no parent', async () => {
    await withTraceContext(remoteParent(TP), async () => {
      await new Promise((r) => setTimeout(r, 5));
      expect(dispatched({})).toEqual({ traceparent: TP });
    });
    expect(dispatched({})).toEqual({});
    expect(trace.getSpanContext(remoteParent('00-bad'))).toBeUndefined();
    expect(remoteParent(undefined)).toBe(ROOT_CONTEXT);
  });
});
