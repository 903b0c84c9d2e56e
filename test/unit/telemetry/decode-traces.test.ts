import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeTraces, OTLP, OTLP_PROTO_SOURCE, type SpanRecord, traceIdHex } from '../../../src/telemetry/index.js';
import { GATEWAY_SPANS, sdkSpans } from '../../helpers/sdk-spans.js';

/** Every record decodeTraces hands on, copied (it reuses one object). */
function collect(body: Uint8Array, encoding: 'protobuf' | 'json'): { spans: SpanRecord[]; rejected: number } {
  const spans: SpanRecord[] = [];
  const batch = decodeTraces(body, encoding, (s) => spans.push({ ...s, traceId: traceIdHex(s.traceId) }));
  return { spans, rejected: batch.rejected };
}

const EXPECTED = [
  { service: 'paychaos-gateway', name: 'payment', kind: 2, variant: 'baseline', provider: 'adyen', method: 'card', outcome: 'succeeded', errorCode: '', attempt: 0, failover: true, retry: undefined, statusError: false, durationMs: 42 },
  { service: 'paychaos-gateway', name: 'provider.charge', kind: 3, variant: 'baseline', provider: 'stripe', method: 'card', outcome: 'failed', errorCode: 'provider_unavailable', attempt: 1, failover: false, retry: false, statusError: true, durationMs: 20 },
  { service: 'paychaos-gateway', name: 'provider.charge', kind: 3, variant: 'baseline', provider: 'stripe', method: 'card', outcome: 'failed', errorCode: 'provider_unavailable', attempt: 2, failover: false, retry: true, statusError: false, durationMs: 15 },
  { service: 'paychaos-gateway', name: 'provider.charge', kind: 3, variant: 'baseline', provider: 'adyen', method: 'card', outcome: 'succeeded', errorCode: '', attempt: 3, failover: true, retry: false, statusError: false, durationMs: 7 },
];

describe('decoding OTLP export requests as the OpenTelemetry SDK encodes them', () => {
  it('reads protobuf from @opentelemetry/otlp-transformer: labels, kind, status, duration and trace id', async () => {
    const spans = await sdkSpans(GATEWAY_SPANS);
    const body = ProtobufTraceSerializer.serializeRequest(spans)!;
    const got = collect(body, 'protobuf');
    expect(got.rejected).toBe(0);
    expect(got.spans.map(({ traceId: _t, ...rest }) => rest)).toEqual(EXPECTED);
    expect(got.spans.map((s) => s.traceId)).toEqual(spans.map((s) => s.spanContext().traceId));
  });

  it('reads OTLP/JSON from the same transformer: hex ids, integer enums, int64 as strings', async () => {
    const spans = await sdkSpans(GATEWAY_SPANS);
    const body = JsonTraceSerializer.serializeRequest(spans)!;
    const got = collect(body, 'json');
    expect(got.spans.map(({ traceId: _t, ...rest }) => rest)).toEqual(EXPECTED);
    expect(got.spans.map((s) => s.traceId)).toEqual(spans.map((s) => s.spanContext().traceId));
  });

  it('takes int64 values as strings or numbers, and enum names, in hand-written JSON', () => {
    const json = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop-gw' } }, { key: 'paychaos.variant', value: { stringValue: 'canary' } }] },
          scopeSpans: [
            {
              spans: [
                { traceId: '0AF7651916CD43DD8448EB211C80319C', name: 'provider.charge', kind: 'SPAN_KIND_CLIENT', startTimeUnixNano: '1767225600000000000', endTimeUnixNano: '1767225600012500000', attributes: [{ key: 'payment.attempt', value: { intValue: '2' } }, { key: 'payment.provider', value: { stringValue: 'paypal' } }], status: { code: 2 } },
                { traceId: '0af7651916cd43dd8448eb211c80319c', name: 'payment', kind: 2, startTimeUnixNano: 1767225600000000000, endTimeUnixNano: 1767225600030000000 },
              ],
            },
          ],
        },
      ],
    };
    const got = collect(Buffer.from(JSON.stringify(json)), 'json');
    expect(got.spans[0]).toMatchObject({ service: 'shop-gw', variant: 'canary', kind: 3, attempt: 2, provider: 'paypal', statusError: true, durationMs: 12.5, traceId: '0af7651916cd43dd8448eb211c80319c' });
    expect(got.spans[1]).toMatchObject({ kind: 2, variant: 'canary' });
    expect(got.spans[1]!.durationMs).toBeCloseTo(30, 3);
  });

  it('refuses a span that ends before it starts, and counts it (partial success)', () => {
    const json = { resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'x', startTimeUnixNano: '20', endTimeUnixNano: '10' }, { name: 'y', startTimeUnixNano: '10', endTimeUnixNano: '20' }] }] }] };
    const got = collect(Buffer.from(JSON.stringify(json)), 'json');
    expect(got).toMatchObject({ rejected: 1, spans: [{ name: 'y', service: 'unknown_service' }] });
  });

  it.each([
    ['not JSON', '{"resourceSpans": [', 'the body is not JSON'],
    ['a list', '[]', '(body): expected an object'],
    ['spans not a list', '{"resourceSpans":[{"scopeSpans":[{"spans":{}}]}]}', 'resourceSpans[0].scopeSpans[0].spans: expected an array'],
    ['a base64 trace id', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"Cvdl+RbNQ92ESOshHIAxnA=="}]}]}]}', 'resourceSpans[0].scopeSpans[0].spans[0].traceId: expected a hex string'],
    ['a time that is no number', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"soon"}]}]}]}', 'spans[0].startTimeUnixNano: expected nanoseconds'],
  ])('refuses JSON that is %s with a coded error naming the field', (_what, text, message) => {
    expect(() => decodeTraces(Buffer.from(text), 'json', () => {})).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_TELEMETRY_BAD_OTLP', message: expect.stringContaining(message) }));
  });

  it('refuses bytes that are not protobuf with a coded error', () => {
    // Field 1, wire type 7: no such wire type.
    expect(() => decodeTraces(Uint8Array.from([0x0f, 0x01, 0x02]), 'protobuf', () => {})).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_TELEMETRY_BAD_OTLP' }));
    // A length-delimited field claiming more bytes than there are.
    expect(() => decodeTraces(Uint8Array.from([0x0a, 0x7f, 0x01]), 'protobuf', () => {})).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_TELEMETRY_BAD_OTLP' }));
  });

  it('answers with a response the SDK itself decodes, partial success included (response field numbers)', () => {
    const bytes = OTLP.ExportTraceServiceResponse.encode(OTLP.ExportTraceServiceResponse.fromObject({ partialSuccess: { rejectedSpans: 3, errorMessage: 'three late spans' } })).finish();
    const read = ProtobufTraceSerializer.deserializeResponse(bytes);
    expect(Number(read.partialSuccess?.rejectedSpans)).toBe(3);
    expect(read.partialSuccess?.errorMessage).toBe('three late spans');
  });

  it('negative control: the same check catches a definition with one wrong field number', async () => {
    // start and end time swapped (7 ↔ 8): every duration turns negative and every span is refused.
    const broken = OTLP_PROTO_SOURCE.replace('fixed64 start_time_unix_nano = 7;', 'fixed64 start_time_unix_nano = 8;').replace('fixed64 end_time_unix_nano = 8;', 'fixed64 end_time_unix_nano = 7;');
    expect(broken).not.toBe(OTLP_PROTO_SOURCE);
    const type = protobuf.parse(broken, { keepCase: false }).root.lookupType('paychaos.otlp.ExportTraceServiceRequest');
    const body = ProtobufTraceSerializer.serializeRequest(await sdkSpans(GATEWAY_SPANS))!;
    const decoded = type.decode(body) as unknown as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ startTimeUnixNano: { toNumber(): number }; endTimeUnixNano: { toNumber(): number } }> }> }> };
    const span = decoded.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span.endTimeUnixNano.toNumber() - span.startTimeUnixNano.toNumber()).toBeLessThan(0);
  });
});
