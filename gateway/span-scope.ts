import { trace, type Attributes, type Context, type Span, type SpanKind, type Tracer } from '@opentelemetry/api';
import { withTraceContext } from './clients/index.js';

/**
 * One span around one piece of the gateway's work — a payment, a webhook, a provider charge or
 * status query — started under `parent` and ended whatever happens. `within(fn)` runs `fn` with
 * this span as the trace context (clients/trace-context.ts), so what it calls are the span's
 * children and an outgoing request names it as traceparent.
 *
 * How a failure marks the span stays with the caller: a payment records the exception and
 * rethrows, a provider charge records it and goes on with a `clientThrew` outcome, a webhook or a
 * query leaves the span as it is.
 */
export function inSpan<R>(
  tracer: Tracer,
  name: string,
  options: { kind: SpanKind; attributes: Attributes },
  parent: Context,
  body: (span: Span, within: <T>(fn: () => T) => T) => Promise<R>,
): Promise<R> {
  return tracer.startActiveSpan(name, options, parent, async (span) => {
    try {
      return await body(span, (fn) => withTraceContext(trace.setSpan(parent, span), fn));
    } finally {
      span.end();
    }
  });
}
