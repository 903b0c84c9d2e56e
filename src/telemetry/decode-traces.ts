import { paychaosError } from '../kernel/index.js';
import { OTLP, STATUS_CODE } from './otlp-proto.js';
import { emptySpanRecord, type SpanRecord } from './span-record.js';

/** What one export request held: spans handed on, and spans refused (partial success). */
export interface DecodedBatch {
  accepted: number;
  rejected: number;
  /** Why spans were refused (the first reason), for partial_success.error_message. */
  rejectReason?: string;
}

export type OtlpEncoding = 'protobuf' | 'json';

/**
 * An ExportTraceServiceRequest → one SpanRecord per span, handed to `onSpan`.
 *
 *   body ─► protobufjs decode (otlp-proto.ts)  ┐
 *        ─► JSON.parse + shape checks           ┴─► walk resource → scope → span ─► onSpan(record)
 *
 * The record is reused between calls (50,000 spans a second leave no garbage per span):
 * `onSpan` must copy what it keeps. A span whose end precedes its start is refused and counted,
 * as the collector would answer partial success. A body that is not a request at all throws
 * PAYCHAOS_ERR_TELEMETRY_BAD_OTLP naming where it broke.
 */
export function decodeTraces(body: Uint8Array, encoding: OtlpEncoding, onSpan: (span: SpanRecord) => void): DecodedBatch {
  const request = encoding === 'protobuf' ? fromProtobuf(body) : fromJson(body);
  const batch: DecodedBatch = { accepted: 0, rejected: 0 };
  const record = emptySpanRecord();
  const resourceSpans = request.resourceSpans ?? [];
  for (let r = 0; r < resourceSpans.length; r++) {
    const rs = resourceSpans[r]!;
    let service = 'unknown_service';
    let resourceVariant = '';
    for (const kv of rs.resource?.attributes ?? []) {
      if (kv.key === 'service.name') service = stringOf(kv.value) || service;
      else if (kv.key === 'paychaos.variant') resourceVariant = stringOf(kv.value);
    }
    const scopes = rs.scopeSpans ?? [];
    for (let s = 0; s < scopes.length; s++) {
      const spans = scopes[s]!.spans ?? [];
      for (let i = 0; i < spans.length; i++) {
        const span = spans[i]!;
        const durationNs = nanosBetween(span.startTimeUnixNano, span.endTimeUnixNano);
        if (!(durationNs >= 0)) {
          batch.rejected++;
          batch.rejectReason ??= `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]: end time before start time, or no start time`;
          continue;
        }
        record.service = service;
        record.name = span.name ?? '';
        record.kind = kindOf(span.kind);
        record.variant = resourceVariant;
        record.provider = '';
        record.method = '';
        record.outcome = '';
        record.errorCode = '';
        record.attempt = 0;
        record.failover = false;
        record.retry = undefined;
        record.statusError = statusCodeOf(span.status?.code) === STATUS_CODE.ERROR;
        record.durationMs = durationNs / 1e6;
        record.traceId = span.traceId ?? '';
        const attributes = span.attributes ?? [];
        for (let a = 0; a < attributes.length; a++) readAttribute(record, attributes[a]!);
        batch.accepted++;
        onSpan(record);
      }
    }
  }
  return batch;
}

/** The payment.* and paychaos.* attributes the span-metrics labels come from; the rest are ignored. */
function readAttribute(record: SpanRecord, kv: WireKeyValue): void {
  switch (kv.key) {
    case 'paychaos.variant':
      record.variant = stringOf(kv.value);
      break;
    case 'payment.provider':
      record.provider = stringOf(kv.value);
      break;
    case 'payment.method':
      record.method = stringOf(kv.value);
      break;
    case 'payment.outcome':
      record.outcome = stringOf(kv.value);
      break;
    case 'payment.error_code':
      record.errorCode = stringOf(kv.value);
      break;
    case 'payment.attempt':
      record.attempt = numberOf(kv.value?.intValue ?? kv.value?.doubleValue ?? kv.value?.stringValue);
      break;
    case 'payment.failover':
      record.failover = boolOf(kv.value);
      break;
    case 'payment.retry':
      record.retry = boolOf(kv.value);
      break;
  }
}

// The decoded request, protobufjs' objects and parsed JSON alike: the fields read, all optional.
interface WireAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: unknown;
  doubleValue?: number;
}
interface WireKeyValue {
  key?: string;
  value?: WireAnyValue | null;
}
interface WireSpan {
  traceId?: Uint8Array | string;
  name?: string;
  kind?: number | string;
  startTimeUnixNano?: unknown;
  endTimeUnixNano?: unknown;
  attributes?: WireKeyValue[];
  status?: { code?: number | string } | null;
}
interface WireRequest {
  resourceSpans?: Array<{ resource?: { attributes?: WireKeyValue[] } | null; scopeSpans?: Array<{ spans?: WireSpan[] }> }>;
}

function fromProtobuf(body: Uint8Array): WireRequest {
  try {
    return OTLP.ExportTraceServiceRequest.decode(body) as unknown as WireRequest;
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_TELEMETRY_BAD_OTLP', `the body is not a protobuf ExportTraceServiceRequest: ${(err as Error).message}`, { encoding: 'protobuf' });
  }
}

/**
 * OTLP/JSON (the protobuf JSON mapping with OTLP's exceptions: ids are hex, enums integers,
 * int64 values may be strings). Checked only as far as the receiver reads it; a wrong type on a
 * field it reads is refused with the field's path, the rest is ignored as protobuf would.
 */
function fromJson(body: Uint8Array): WireRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (err) {
    throw paychaosError('PAYCHAOS_ERR_TELEMETRY_BAD_OTLP', `the body is not JSON: ${(err as Error).message}`, { encoding: 'json' });
  }
  const bad = (path: string, expected: string): never => {
    throw paychaosError('PAYCHAOS_ERR_TELEMETRY_BAD_OTLP', `${path}: expected ${expected} (OTLP/JSON ExportTraceServiceRequest)`, { encoding: 'json', field: path });
  };
  if (!isObject(parsed)) return bad('(body)', 'an object');
  const request = parsed as WireRequest;
  const arrayAt = (value: unknown, path: string): unknown[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : bad(path, 'an array'));
  arrayAt(request.resourceSpans, 'resourceSpans').forEach((rs, r) => {
    if (!isObject(rs)) bad(`resourceSpans[${r}]`, 'an object');
    const typed = rs as NonNullable<WireRequest['resourceSpans']>[number];
    checkAttributes(typed.resource?.attributes, `resourceSpans[${r}].resource.attributes`, bad);
    arrayAt(typed.scopeSpans, `resourceSpans[${r}].scopeSpans`).forEach((ss, s) => {
      if (!isObject(ss)) bad(`resourceSpans[${r}].scopeSpans[${s}]`, 'an object');
      arrayAt((ss as { spans?: unknown }).spans, `resourceSpans[${r}].scopeSpans[${s}].spans`).forEach((span, i) => {
        const path = `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`;
        if (!isObject(span)) bad(path, 'an object');
        const sp = span as WireSpan;
        if (sp.traceId !== undefined && (typeof sp.traceId !== 'string' || !/^[0-9a-fA-F]*$/.test(sp.traceId))) bad(`${path}.traceId`, 'a hex string');
        if (sp.name !== undefined && typeof sp.name !== 'string') bad(`${path}.name`, 'a string');
        for (const field of ['startTimeUnixNano', 'endTimeUnixNano'] as const) {
          const v = sp[field];
          if (v !== undefined && !(typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)))) bad(`${path}.${field}`, 'nanoseconds as a number or a decimal string');
        }
        checkAttributes(sp.attributes, `${path}.attributes`, bad);
      });
    });
  });
  return request;
}

function checkAttributes(value: unknown, path: string, bad: (path: string, expected: string) => never): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) bad(path, 'an array of {key, value}');
  (value as unknown[]).forEach((kv, i) => {
    if (!isObject(kv) || typeof (kv as WireKeyValue).key !== 'string') bad(`${path}[${i}]`, 'an object with a string key');
    const v = (kv as WireKeyValue).value;
    if (v !== undefined && v !== null && !isObject(v)) bad(`${path}[${i}].value`, 'an AnyValue object');
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: a protobufjs message carries every field's default on its prototype. */
function stringOf(value: WireAnyValue | null | undefined): string {
  if (!value) return '';
  if (Object.hasOwn(value, 'stringValue')) return String(value.stringValue);
  if (Object.hasOwn(value, 'boolValue')) return String(value.boolValue);
  if (Object.hasOwn(value, 'intValue')) return String(numberOf(value.intValue));
  if (Object.hasOwn(value, 'doubleValue')) return String(value.doubleValue);
  return '';
}

function boolOf(value: WireAnyValue | null | undefined): boolean {
  if (!value) return false;
  if (Object.hasOwn(value, 'boolValue')) return value.boolValue === true;
  if (Object.hasOwn(value, 'stringValue')) return value.stringValue === 'true';
  return false;
}

/** A 64-bit value as protobufjs (a Long: low/high words), JSON (a decimal string) or a plain number gives it. */
function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value === '' ? 0 : Number(value);
  if (typeof value === 'object' && value !== null && 'low' in value && 'high' in value) {
    const { low, high, unsigned } = value as { low: number; high: number; unsigned?: boolean };
    return (unsigned ? high >>> 0 : high) * 4294967296 + (low >>> 0);
  }
  return 0;
}

/**
 * end − start in ns, exactly: a timestamp (~1.8e18 ns) is past 2^53, so converting each to a
 * double first would cost up to 256 ns of each. Protobuf gives Longs (subtract the words), JSON
 * decimal strings (subtract the parts above and below 10^6). NaN when there is no start or the
 * span ends before it starts.
 */
function nanosBetween(start: unknown, end: unknown): number {
  let ns: number;
  if (isLong(start) && isLong(end)) ns = (end.high - start.high) * 4294967296 + ((end.low >>> 0) - (start.low >>> 0));
  else if (typeof start === 'string' && typeof end === 'string' && start.length > 6 && end.length > 6) ns = (Number(end.slice(0, -6)) - Number(start.slice(0, -6))) * 1e6 + (Number(end.slice(-6)) - Number(start.slice(-6)));
  else ns = numberOf(end) - numberOf(start);
  return numberOf(start) > 0 && ns >= 0 ? ns : Number.NaN;
}

function isLong(value: unknown): value is { low: number; high: number } {
  return typeof value === 'object' && value !== null && 'low' in value && 'high' in value;
}

const KIND_NAMES: Readonly<Record<string, number>> = { SPAN_KIND_UNSPECIFIED: 0, SPAN_KIND_INTERNAL: 1, SPAN_KIND_SERVER: 2, SPAN_KIND_CLIENT: 3, SPAN_KIND_PRODUCER: 4, SPAN_KIND_CONSUMER: 5 };
function kindOf(kind: number | string | undefined): number {
  return typeof kind === 'number' ? kind : typeof kind === 'string' ? (KIND_NAMES[kind] ?? 0) : 0;
}
function statusCodeOf(code: number | string | undefined): number {
  return typeof code === 'number' ? code : code === 'STATUS_CODE_ERROR' ? STATUS_CODE.ERROR : code === 'STATUS_CODE_OK' ? STATUS_CODE.OK : 0;
}
