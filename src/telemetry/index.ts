/**
 * Telemetry (DESIGN.md "Layout"): the embedded OTLP/HTTP receiver and its span aggregation — what
 * stands in for a collector when none is configured, and turns a gateway's spans into the
 * server-side section of results — and harness/, the harness's own metrics (what the driver saw,
 * which fault steps were active) with the GET /metrics a run serves them on.
 */
export { startOtlpReceiver } from './receiver.js';
export type { OtlpReceiverOptions, ReceiverStats, StartedOtlpReceiver } from './receiver.js';
export { decodeTraces } from './decode-traces.js';
export type { DecodedBatch, OtlpEncoding } from './decode-traces.js';
export { SpanMetrics, SPAN_BUCKETS_MS, quantileOfBuckets } from './span-metrics.js';
export type { Exemplar, SeriesLabels, SeriesSnapshot, SpanMetricsOptions, SpanMetricsSnapshot } from './span-metrics.js';
export { emptySpanRecord, traceIdHex } from './span-record.js';
export type { SpanRecord } from './span-record.js';
export { serverSideView } from './server-side.js';
export type { CallsView, ExemplarsView, LatencyView, PaymentsView, ProviderView, ServerSideOptions, ServerSideView, VariantView } from './server-side.js';
export { OTLP, OTLP_PROTO_SOURCE, SPAN_KIND, STATUS_CODE } from './otlp-proto.js';
export type { OtlpSignal } from './otlp-proto.js';
export { snapshotSince } from './snapshot-diff.js';
export { attachedSpanSource, localSpanSource, SPAN_METRICS_PATH } from './span-source.js';
export type { SpanMetricsDocument, SpanSource } from './span-source.js';
export { HarnessMetrics, serveHarnessMetrics } from './harness/index.js';
export type { FaultWindow, HarnessRun } from './harness/index.js';
