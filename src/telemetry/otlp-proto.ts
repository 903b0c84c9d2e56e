import protobuf from 'protobufjs';

/**
 * The OTLP messages the receiver reads and answers, written from the published specification
 * (opentelemetry-proto: collector/trace/v1/trace_service.proto, trace/v1/trace.proto,
 * common/v1/common.proto, resource/v1/resource.proto; the metrics and logs services only for
 * their responses; google/rpc/status.proto for failures). Field numbers are the specification's:
 * they are the wire format, so a wrong one decodes silently into the wrong field — the tests
 * check them against @opentelemetry/otlp-transformer's encoder.
 *
 * Span events (11) and links (13) are left out on purpose: protobufjs skips fields a message
 * does not declare, so the receiver never builds objects it does not aggregate.
 */
export const OTLP_PROTO_SOURCE = `
syntax = "proto3";
package paychaos.otlp;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}
message Resource {
  repeated KeyValue attributes = 1;
  uint32 dropped_attributes_count = 2;
}
message Status {
  reserved 1;
  string message = 2;
  int32 code = 3;
}
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;
  uint32 dropped_events_count = 12;
  uint32 dropped_links_count = 14;
  Status status = 15;
}
message ScopeSpans {
  InstrumentationScope scope = 1;
  repeated Span spans = 2;
  string schema_url = 3;
}
message ResourceSpans {
  reserved 1000;
  Resource resource = 1;
  repeated ScopeSpans scope_spans = 2;
  string schema_url = 3;
}
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
message ExportMetricsPartialSuccess { int64 rejected_data_points = 1; string error_message = 2; }
message ExportMetricsServiceResponse { ExportMetricsPartialSuccess partial_success = 1; }
message ExportLogsPartialSuccess { int64 rejected_log_records = 1; string error_message = 2; }
message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
message RpcStatus { int32 code = 1; string message = 2; }
`;

const root = protobuf.parse(OTLP_PROTO_SOURCE, { keepCase: false }).root;
const type = (name: string): protobuf.Type => root.lookupType(`paychaos.otlp.${name}`);

/** The message types, resolved once (protobufjs generates each decoder on first use). */
export const OTLP = Object.freeze({
  ExportTraceServiceRequest: type('ExportTraceServiceRequest'),
  ExportTraceServiceResponse: type('ExportTraceServiceResponse'),
  ExportMetricsServiceResponse: type('ExportMetricsServiceResponse'),
  ExportLogsServiceResponse: type('ExportLogsServiceResponse'),
  /** google.rpc.Status: the body of every 4xx/5xx answer, as OTLP/HTTP asks. */
  RpcStatus: type('RpcStatus'),
});

/** The OTLP/HTTP signals the receiver answers: traces are aggregated, metrics and logs acknowledged. */
export type OtlpSignal = 'traces' | 'metrics' | 'logs';

/** The SpanKind enum of trace.proto. */
export const SPAN_KIND = Object.freeze({ UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 });
/** Status.StatusCode of trace.proto. */
export const STATUS_CODE = Object.freeze({ UNSET: 0, OK: 1, ERROR: 2 });
