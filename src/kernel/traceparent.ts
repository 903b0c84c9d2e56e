import { randomBytes } from 'node:crypto';

/**
 * W3C Trace Context's `traceparent` header (https://www.w3.org/TR/trace-context/), read and
 * written in one place: the load driver starts a trace per shopper, the gateway continues it and
 * hands it to every provider call, the simulators carry it back on their webhooks. Written here,
 * not taken from the OpenTelemetry SDK's propagator, because the embedded default runs with no
 * SDK at all (the API's no-op tracer) and the trace must still flow.
 *
 *   traceparent: 00-<trace id, 32 hex>-<parent id, 16 hex>-<flags, 2 hex>
 */
export interface TraceParent {
  /** 32 lower-case hex digits, never all zero. */
  readonly traceId: string;
  /** The caller's span: 16 lower-case hex digits, never all zero. */
  readonly spanId: string;
  /** Bit 0 set: the caller sampled this trace. */
  readonly sampled: boolean;
}

const FORMAT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO = /^0+$/;

/**
 * The header's fields, or undefined for anything the spec says to ignore: a malformed value, an
 * all-zero id, version ff, or a version-00 header with trailing fields. A later version may add
 * fields after the fourth; its first four are read as version 00's (the spec's forward rule).
 */
export function parseTraceparent(header: string | string[] | undefined): TraceParent | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string') return undefined;
  const m = FORMAT.exec(value.trim().toLowerCase());
  if (!m) return undefined;
  const [, version, traceId, spanId, flags, rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined) || ZERO.test(traceId!) || ZERO.test(spanId!)) return undefined;
  return { traceId: traceId!, spanId: spanId!, sampled: (Number.parseInt(flags!, 16) & 1) === 1 };
}

/** The version-00 header for a span of a trace. */
export function formatTraceparent(p: TraceParent): string {
  return `00-${p.traceId}-${p.spanId}-${p.sampled ? '01' : '00'}`;
}

/** A fresh trace id: 16 random bytes as hex (all-zero is invalid; 2^-128 is not worth a loop). */
export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

/** A fresh span id: 8 random bytes as hex. */
export function newSpanId(): string {
  return randomBytes(8).toString('hex');
}
