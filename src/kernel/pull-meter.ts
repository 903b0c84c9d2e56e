import type { Meter } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/** The content type of the Prometheus text exposition a pull meter serialises. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * A private OpenTelemetry MeterProvider read by Prometheus pull: the OTel Prometheus exporter as
 * a reader with no server of its own, serialised on demand for whichever GET /metrics serves it.
 * Private, not the global provider: the embedded default runs with no SDK, and a process's own
 * /metrics must not depend on what the user's OTEL_* variables set up. Shared by the gateway's
 * GET /metrics and the harness's own metrics (src/telemetry/harness), so both expose the same way.
 *
 * The exporter does not append the unit to a name (DESIGN.md "Facts that shape this"): a
 * histogram in seconds is named `…_seconds` by its creator so Prometheus sees
 * `…_seconds_bucket`. No target_info / otel_scope_info series: a scrape of one process needs
 * neither, and they cost lines.
 */
export interface PullMeter {
  readonly meter: Meter;
  /** The exposition text of everything recorded so far (EXPOSITION_CONTENT_TYPE). */
  text(): Promise<string>;
  close(): Promise<void>;
}

export function pullMeter(scope: string): PullMeter {
  const reader = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [reader] });
  const serializer = new PrometheusSerializer('', false, undefined, true, true);
  return {
    meter: provider.getMeter(scope),
    text: async () => {
      const { resourceMetrics } = await reader.collect();
      return serializer.serialize(resourceMetrics);
    },
    close: () => provider.shutdown(),
  };
}
