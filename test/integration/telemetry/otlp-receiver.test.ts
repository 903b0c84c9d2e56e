import { gzipSync } from 'node:zlib';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufLogsSerializer, ProtobufMetricsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachedSpanSource, OTLP, startOtlpReceiver, type StartedOtlpReceiver } from '../../../src/telemetry/index.js';
import { GATEWAY_SPANS, sdkSpans } from '../../helpers/sdk-spans.js';
import { isListening, portOf } from '../../helpers/ports.js';

function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

describe('the embedded OTLP/HTTP receiver, fed by the real OpenTelemetry exporters', () => {
  let receiver: StartedOtlpReceiver;
  const diagErrors: string[] = [];
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
    diagErrors.length = 0;
    diag.setLogger({ error: (m) => diagErrors.push(m), warn: (m) => diagErrors.push(m), info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
  });
  afterEach(async () => {
    diag.disable();
    await receiver.close();
  });

  it.each([
    ['http/protobuf', () => new ProtoExporter({ url: `${receiver.url}/v1/traces` })],
    ['http/protobuf, gzip', () => new ProtoExporter({ url: `${receiver.url}/v1/traces`, compression: 'gzip' as never })],
    ['http/json', () => new HttpJsonExporter({ url: `${receiver.url}/v1/traces` })],
    ['http/json, gzip', () => new HttpJsonExporter({ url: `${receiver.url}/v1/traces`, compression: 'gzip' as never })],
  ])('takes spans from the SDK exporter (%s): the SDK sees success and logs nothing', async (_protocol, make) => {
    const exporter = make();
    const spans = await sdkSpans(GATEWAY_SPANS);
    const result = await exportWith(exporter, spans);
    await exporter.shutdown();
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(diagErrors).toEqual([]);
    expect(receiver.stats()).toMatchObject({ spans: 4, rejectedSpans: 0, refused: 0, requests: { traces: 1 } });
    const view = receiver.serverSide().variants.baseline!;
    expect(view).toMatchObject({ attempts: 3, retries: 1, failoverCalls: 1, payments: { count: 1, failovers: 1 } });
    expect(view.payments.exemplars.slowest).toEqual([spans[0]!.spanContext().traceId]);
  });

  it('answers protobuf with an ExportTraceServiceResponse and partial success for refused spans', async () => {
    const json = { resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'late', startTimeUnixNano: '20', endTimeUnixNano: '10' }] }] }] };
    const asJson = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
    expect(asJson.status).toBe(200);
    expect(asJson.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await asJson.json()).toMatchObject({ partialSuccess: { rejectedSpans: '1', errorMessage: expect.stringContaining('end time before start time') } });
    const body = ProtobufTraceSerializer.serializeRequest(await sdkSpans(GATEWAY_SPANS.slice(0, 1)))!;
    const asProto = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
    expect(asProto.headers.get('content-type')).toBe('application/x-protobuf');
    const read = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(await asProto.arrayBuffer()));
    expect(read.partialSuccess?.rejectedSpans ?? 0).toBe(0);
    expect(receiver.stats()).toMatchObject({ spans: 1, rejectedSpans: 1 });
  });

  it('acknowledges metrics and logs with valid empty responses (one endpoint for every signal)', async () => {
    for (const [signal, serializer] of [['metrics', ProtobufMetricsSerializer], ['logs', ProtobufLogsSerializer]] as const) {
      const res = await fetch(`${receiver.url}/v1/${signal}`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array() });
      expect(res.status).toBe(200);
      expect(serializer.deserializeResponse(new Uint8Array(await res.arrayBuffer()))).toEqual({});
      const asJson = await fetch(`${receiver.url}/v1/${signal}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(await asJson.json()).toEqual({});
    }
    expect(receiver.stats().requests).toEqual({ traces: 0, metrics: 2, logs: 2 });
  });

  it.each([
    ['garbage protobuf', 'application/x-protobuf', {}, Uint8Array.from([0x0f, 0x01]), 400, 'PAYCHAOS_ERR_TELEMETRY_BAD_OTLP'],
    ['JSON that is not JSON', 'application/json', {}, '{"resourceSpans":', 400, 'PAYCHAOS_ERR_TELEMETRY_BAD_OTLP'],
    ['a gzip header over a body that is not gzip', 'application/json', { 'content-encoding': 'gzip' }, '{}', 400, 'PAYCHAOS_ERR_TELEMETRY_BAD_OTLP'],
    ['another encoding', 'application/json', { 'content-encoding': 'br' }, '{}', 415, 'PAYCHAOS_ERR_TELEMETRY_UNSUPPORTED_MEDIA'],
    ['another content type', 'text/plain', {}, 'hello', 415, 'PAYCHAOS_ERR_TELEMETRY_UNSUPPORTED_MEDIA'],
  ])('refuses %s with a coded Status body', async (_what, type, headers, body, status, code) => {
    const res = await fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'content-type': type, ...headers }, body });
    expect(res.status).toBe(status);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const message = type === 'application/x-protobuf' ? (OTLP.RpcStatus.decode(bytes) as unknown as { message: string }).message : (JSON.parse(Buffer.from(bytes).toString()) as { error: { code: string }; message: string }).error.code;
    expect(message).toContain(code);
    expect(receiver.stats()).toMatchObject({ refused: 1, spans: 0 });
  });

  it('bounds the body after gzip is undone: a small bomb is 413, not memory', async () => {
    const small = await startOtlpReceiver({ maxBodyBytes: 64 * 1024 });
    try {
      const bomb = gzipSync(Buffer.from(`{"resourceSpans":[],"pad":"${'x'.repeat(4 * 1024 * 1024)}"}`));
      expect(bomb.length).toBeLessThan(64 * 1024);
      const res = await fetch(`${small.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYCHAOS_ERR_TELEMETRY_BODY_TOO_LARGE');
      const plain = await fetch(`${small.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(65 * 1024) });
      expect(plain.status).toBe(413);
    } finally {
      await small.close();
    }
  });

  it('serves its aggregation to a run attached to it, which counts only what arrived after it began', async () => {
    const exporter = new ProtoExporter({ url: `${receiver.url}/v1/traces` });
    expect((await exportWith(exporter, await sdkSpans(GATEWAY_SPANS))).code).toBe(ExportResultCode.SUCCESS);
    const attached = await attachedSpanSource(receiver.url);
    expect(await attached.spans()).toBe(0);
    expect((await attached.serverSide()).variants).toEqual({});
    const later = await sdkSpans(GATEWAY_SPANS.slice(0, 1));
    expect((await exportWith(exporter, later)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    expect(await attached.spans()).toBe(1);
    const view = await attached.serverSide();
    expect(view.spans).toBe(1);
    expect(view.variants.baseline!).toMatchObject({ attempts: 0, payments: { count: 1, failovers: 1, exemplars: { slowest: [later[0]!.spanContext().traceId] } } });
    // The receiver itself still holds everything.
    expect(receiver.serverSide().variants.baseline!.payments.count).toBe(2);
  });

  it('refuses to attach to a receiver that does not answer, with a coded error', async () => {
    const gone = await startOtlpReceiver();
    await gone.close();
    await expect(attachedSpanSource(gone.url)).rejects.toMatchObject({ code: 'PAYCHAOS_ERR_STACK_ATTACH_UNREACHABLE' });
  });

  it('listens on 127.0.0.1 on a free port and frees it on close', async () => {
    const r = await startOtlpReceiver();
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(r.endpoint).toBe(r.url);
    await r.close();
    expect(await isListening(portOf(r.url))).toBe(false);
  });
});
