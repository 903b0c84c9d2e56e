import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpHttpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { describe, expect, it } from 'vitest';
import { traceExporterFor } from '../../../src/kernel/otel.js';

/**
 * The encoding of exported spans follows the standard variables, with the specification's
 * default (http/protobuf) when none is set — what collectors and the embedded receiver decode
 * fastest, and cheaper for the gateway that encodes it.
 */
describe('traceExporterFor', () => {
  it('exports protobuf when no protocol is named, and when http/protobuf is', () => {
    expect(traceExporterFor({})).toBeInstanceOf(OtlpHttpProtobufExporter);
    expect(traceExporterFor({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' })).toBeInstanceOf(OtlpHttpProtobufExporter);
  });

  it('exports JSON when http/json is named, the traces-specific variable first', () => {
    expect(traceExporterFor({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toBeInstanceOf(OtlpHttpJsonExporter);
    expect(traceExporterFor({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' })).toBeInstanceOf(OtlpHttpProtobufExporter);
    expect(traceExporterFor({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: ' http/json ' })).toBeInstanceOf(OtlpHttpJsonExporter);
  });
});
