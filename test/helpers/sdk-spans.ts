import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** A span to make with the real SDK: name, kind, attributes, duration and status. */
export interface SpanSpec {
  name: string;
  kind: SpanKind;
  attributes: Attributes;
  durationMs: number;
  error?: boolean;
}

/**
 * Real SDK spans (ReadableSpan), ended with exact start and end times, for the OTLP transformer to
 * encode: what a gateway instrumented with OpenTelemetry would export.
 */
export async function sdkSpans(specs: readonly SpanSpec[], resource: Attributes = { 'service.name': 'paychaos-gateway' }): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes(resource), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('test');
  const start = Date.UTC(2026, 0, 1);
  for (const spec of specs) {
    const span = tracer.startSpan(spec.name, { kind: spec.kind, attributes: spec.attributes, startTime: start });
    if (spec.error) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(start + spec.durationMs);
  }
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

/** A gateway-like trace: the payment server span and its provider charge client spans. */
export const GATEWAY_SPANS: readonly SpanSpec[] = [
  { name: 'payment', kind: SpanKind.SERVER, durationMs: 42, attributes: { 'paychaos.variant': 'baseline', 'service.version': '1', 'payment.provider': 'adyen', 'payment.method': 'card', 'payment.outcome': 'succeeded', 'payment.error_code': '', 'payment.provider_code': 'Authorised', 'payment.failover': true } },
  { name: 'provider.charge', kind: SpanKind.CLIENT, durationMs: 20, error: true, attributes: { 'paychaos.variant': 'baseline', 'payment.provider': 'stripe', 'payment.method': 'card', 'payment.attempt': 1, 'payment.outcome': 'failed', 'payment.error_code': 'provider_unavailable', 'payment.failover': false, 'payment.retry': false } },
  { name: 'provider.charge', kind: SpanKind.CLIENT, durationMs: 15, attributes: { 'paychaos.variant': 'baseline', 'payment.provider': 'stripe', 'payment.method': 'card', 'payment.attempt': 2, 'payment.outcome': 'failed', 'payment.error_code': 'provider_unavailable', 'payment.failover': false, 'payment.retry': true } },
  { name: 'provider.charge', kind: SpanKind.CLIENT, durationMs: 7, attributes: { 'paychaos.variant': 'baseline', 'payment.provider': 'adyen', 'payment.method': 'card', 'payment.attempt': 3, 'payment.outcome': 'succeeded', 'payment.error_code': '', 'payment.failover': true, 'payment.retry': false } },
];
