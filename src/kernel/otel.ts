import { NodeSDK, resources } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';

export interface OtelHandle {
  shutdown(): Promise<void>;
}

/**
 * Start the OpenTelemetry SDK when the user pointed paychaos at a collector (the standard
 * OTEL_EXPORTER_OTLP_ENDPOINT, or …_TRACES_ENDPOINT). Traces go over OTLP/HTTP; metrics and
 * logs follow the SDK's standard environment (OTEL_METRICS_EXPORTER, OTEL_LOGS_EXPORTER; OTLP by
 * default, to the same endpoint). Without an endpoint nothing starts: the embedded default needs
 * no collector, and the instruments stay no-ops. Everything is read from the process
 * environment, as every OpenTelemetry SDK does, so the usual variables just work.
 */
export function startOtelFromEnv(service: { name: string; version: string }): OtelHandle | undefined {
  const env = process.env;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  const sdk = new NodeSDK({
    resource: resources.resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? service.name, 'service.version': service.version }),
    traceExporter: new OTLPTraceExporter(),
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
