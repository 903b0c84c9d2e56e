import { NodeSDK, resources } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpHttpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface OtelHandle {
  shutdown(): Promise<void>;
}

/**
 * Start the OpenTelemetry SDK when the user pointed paychaos at a collector (the standard
 * OTEL_EXPORTER_OTLP_ENDPOINT, or …_TRACES_ENDPOINT). Traces go over OTLP/HTTP in the encoding
 * the standard OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL names: `http/protobuf` by default, as the
 * specification says — about a fifth cheaper for the exporting process than `http/json`, and what
 * collectors and the embedded receiver decode fastest. Metrics and logs follow the SDK's standard
 * environment (OTEL_METRICS_EXPORTER, OTEL_LOGS_EXPORTER; OTLP by default, to the same endpoint).
 * Without an endpoint nothing starts: the embedded default needs no collector, and the
 * instruments stay no-ops. Everything is read from the process environment, as every
 * OpenTelemetry SDK does, so the usual variables just work.
 */
export function startOtelFromEnv(service: { name: string; version: string }): OtelHandle | undefined {
  const env = process.env;
  if (!collectorConfigured(env)) return undefined;
  const sdk = new NodeSDK({
    resource: resources.resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? service.name, 'service.version': service.version }),
    traceExporter: traceExporterFor(env),
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

/**
 * Whether the environment points OpenTelemetry at a collector of the user's (the standard
 * variables every SDK reads): then spans go there, and the embedded receiver stays off.
 */
export function collectorConfigured(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** `http/json` when asked for by name; otherwise (unset, `http/protobuf`) protobuf. gRPC is not offered: OTLP/HTTP reaches every collector and the embedded receiver. */
export function traceExporterFor(env: NodeJS.ProcessEnv): SpanExporter {
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? '').trim();
  return protocol === 'http/json' ? new OtlpHttpJsonExporter() : new OtlpHttpProtobufExporter();
}
