/**
 * One span as the aggregator needs it, whichever encoding it came in: the span-metrics labels
 * (DESIGN.md "Telemetry conventions"), its duration and outcome, and its trace id — kept as the
 * decoder found it (bytes from protobuf, hex from JSON) and turned into hex only when the span
 * becomes an exemplar, so the common case costs no string.
 */
export interface SpanRecord {
  /** The resource's service.name ('unknown_service' when absent, as the SDKs default). */
  service: string;
  name: string;
  /** SpanKind of trace.proto: 2 server, 3 client. */
  kind: number;
  /** Span attribute paychaos.variant, else the resource's, else ''. */
  variant: string;
  provider: string;
  method: string;
  outcome: string;
  errorCode: string;
  /** payment.attempt; 0 when absent. */
  attempt: number;
  /** payment.failover. */
  failover: boolean;
  /** payment.retry; undefined when the span does not say (a gateway of someone else's). */
  retry: boolean | undefined;
  /** Status.code is ERROR. */
  statusError: boolean;
  durationMs: number;
  traceId: Uint8Array | string;
}

/** A fresh record with every label empty: decoders fill one per span. */
export function emptySpanRecord(): SpanRecord {
  return { service: '', name: '', kind: 0, variant: '', provider: '', method: '', outcome: '', errorCode: '', attempt: 0, failover: false, retry: undefined, statusError: false, durationMs: 0, traceId: '' };
}

/** Lower-case hex of a trace id, whichever form it arrived in. */
export function traceIdHex(id: Uint8Array | string): string {
  return typeof id === 'string' ? id.toLowerCase() : Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
}
