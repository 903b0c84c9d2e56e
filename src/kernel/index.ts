/**
 * The kernel: what every part of paychaos shares — the harness, the simulators and the reference
 * gateway alike. It imports nothing of theirs (test/unit/boundaries.test.ts keeps it so), which is
 * what lets the gateway and the simulators run as processes of their own.
 *
 *   errors      coded errors, exit codes, hints (docs/errors.md)
 *   clock       one injectable Clock (system, scaled, manual for tests)
 *   listen      listening on 127.0.0.1 with free ports
 *   validate    strict validation: every problem with its path, frozen results
 *   config-file reading YAML/JSON config files
 *   random      seeded random numbers (sfc32)
 *   bounded-map a Map that forgets its oldest entries
 *   batched-writes writes queued and handed over in batches (one transaction each), flushed before reads
 *   duration    k6-style durations (30s, 1m30s)
 *   logger      the redacting pino logger, and the redaction itself (extended at load time by
 *               the provider descriptors of src/conventions/providers: registerRedaction)
 *   request-log request logging for fastify servers, trace ids from traceparent
 *   traceparent W3C trace context: the traceparent header read and written, fresh ids
 *   otel        starting the OpenTelemetry SDK from the standard OTEL_* variables
 *   pull-meter  a private OTel meter read by Prometheus pull (a process's own GET /metrics)
 */
export { EXIT, ERRORS, PaychaosError, paychaosError, isPaychaosError } from './errors.js';
export type { ErrorCode, ExitCode } from './errors.js';
export { ManualClock, scaledClock, systemClock } from './clock.js';
export type { Clock, TimerHandle } from './clock.js';
export { listenFastify } from './listen.js';
export { listenError } from './listen-error.js';
export type { Listening, ListenOptions } from './listen.js';
export { freePort } from './free-port.js';
export { formatPath, deepFreeze, describeIssue, problemsOf, validate, parseStrict, invalid } from './validate.js';
export type { Problem, Validated } from './validate.js';
export { readConfigFile } from './config-file.js';
export { Random, randomSeed } from './random.js';
export { BoundedMap, DEFAULT_RETAIN } from './bounded-map.js';
export { BatchedWrites } from './batched-writes.js';
export { parseDurationMs, formatDurationMs, durationSchema } from './duration.js';
export { createLogger, redact } from './logger.js';
export { logRequests, traceIdOf } from './request-log.js';
export { formatTraceparent, newSpanId, newTraceId, parseTraceparent } from './traceparent.js';
export type { TraceParent } from './traceparent.js';
export type { LoggerOptions, Logger } from './logger.js';
export { REDACTED, isSensitiveKey, isReferenceKey, luhnValid, maskCardNumbers, redactString, registerRedaction } from './redact.js';
export type { RedactionRules } from './redact.js';
export { collectorConfigured, startOtelFromEnv } from './otel.js';
export type { OtelHandle } from './otel.js';
export { EXPOSITION_CONTENT_TYPE, pullMeter } from './pull-meter.js';
export type { PullMeter } from './pull-meter.js';
