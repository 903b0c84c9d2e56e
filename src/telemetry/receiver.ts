import { setTimeout as sleep } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { isPaychaosError, listenFastify, paychaosError, type Listening, type PaychaosError } from '../kernel/index.js';
import { decodeTraces, type OtlpEncoding } from './decode-traces.js';
import { OTLP, type OtlpSignal } from './otlp-proto.js';
import { serverSideView, type ServerSideOptions, type ServerSideView } from './server-side.js';
import { SpanMetrics, type SpanMetricsOptions, type SpanMetricsSnapshot } from './span-metrics.js';
import { SPAN_METRICS_PATH, type SpanMetricsDocument } from './span-source.js';

export interface OtlpReceiverOptions extends SpanMetricsOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Largest body accepted, after gzip is undone (default 16 MiB; the SDKs' batches are far smaller). */
  maxBodyBytes?: number;
}

/** What the receiver has taken in so far. */
export interface ReceiverStats {
  /** Export requests answered 200, per signal. */
  requests: Record<OtlpSignal, number>;
  spans: number;
  /** Spans refused inside otherwise good requests (partial success). */
  rejectedSpans: number;
  /** Requests refused whole (400, 413, 415). */
  refused: number;
}

export interface StartedOtlpReceiver extends Listening {
  /** What to set OTEL_EXPORTER_OTLP_ENDPOINT to (the SDKs append /v1/traces, /v1/metrics, /v1/logs). */
  readonly endpoint: string;
  stats(): ReceiverStats;
  snapshot(): SpanMetricsSnapshot;
  /** The server-side section of results, from what arrived so far. */
  serverSide(options?: Omit<ServerSideOptions, 'rejected'>): ServerSideView;
  /**
   * Resolves once no spans have arrived for `quietMs` (or after `maxMs` in all): for exporters
   * paychaos cannot flush — a gateway of your own batches spans and sends them on its SDK's
   * schedule (OTEL_BSP_SCHEDULE_DELAY, 5 s by default), after the load has ended.
   */
  quiet(quietMs: number, maxMs: number): Promise<void>;
}

const DEFAULT_MAX_BODY = 16 * 1024 * 1024;
const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';
/** google.rpc.Code INVALID_ARGUMENT, RESOURCE_EXHAUSTED: the Status codes OTLP/HTTP failures carry. */
const RPC_INVALID_ARGUMENT = 3;
const RPC_RESOURCE_EXHAUSTED = 8;

/**
 * The embedded OTLP/HTTP receiver (DESIGN.md "Two ways to run": telemetry without a collector).
 *
 *   POST /v1/traces  (protobuf | JSON, gzip or not) ─► decodeTraces ─► SpanMetrics ─► serverSide()
 *   POST /v1/metrics, /v1/logs ─► acknowledged, not kept
 *   GET /paychaos/v1/span-metrics ─► the aggregation so far, for a run attached to `paychaos up`
 *
 * Every 200 is a valid Export…ServiceResponse in the request's own encoding (partial_success
 * when spans were refused), or SDKs log export errors. Failures carry a google.rpc.Status, as
 * the OTLP/HTTP specification asks, whose message starts with the paychaos code: 400
 * PAYCHAOS_ERR_TELEMETRY_BAD_OTLP, 413 …_BODY_TOO_LARGE, 415 …_UNSUPPORTED_MEDIA.
 *
 * Metrics and logs are acknowledged and dropped on purpose: an SDK given one endpoint
 * (OTEL_EXPORTER_OTLP_ENDPOINT) exports all three signals there, and the verdict needs only
 * the spans — the gateway's metrics are the same measurements aggregated, and its logs are
 * already kept in the run's directory.
 */
export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<StartedOtlpReceiver> {
  const spanMetrics = new SpanMetrics(options);
  const record = spanMetrics.record.bind(spanMetrics);
  const stats: ReceiverStats = { requests: { traces: 0, metrics: 0, logs: 0 }, spans: 0, rejectedSpans: 0, refused: 0 };
  let lastSpansAt = Number.NEGATIVE_INFINITY;
  const bodyLimit = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const app = Fastify({ logger: false, bodyLimit });

  // Only the two OTLP/HTTP encodings; anything else is fastify's 415, coded by the error handler.
  app.removeAllContentTypeParsers();
  for (const type of [PROTOBUF, JSON_TYPE]) app.addContentTypeParser(type, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // gzip is undone as the body streams in, so the body limit bounds the inflated size (no zip bomb).
  app.addHook('preParsing', async (req, _reply, payload) => {
    const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding === 'identity') return payload;
    if (encoding !== 'gzip') throw paychaosError('PAYCHAOS_ERR_TELEMETRY_UNSUPPORTED_MEDIA', `Content-Encoding: ${encoding} is not one the receiver reads; send gzip or none`, { contentEncoding: encoding });
    const inflated = createGunzip() as unknown as Readable & { receivedEncodedLength: number };
    // fastify compares this with Content-Length (the compressed size), not the inflated bytes.
    inflated.receivedEncodedLength = 0;
    payload.on('data', (chunk: Buffer) => (inflated.receivedEncodedLength += chunk.length));
    payload.on('error', (err) => inflated.destroy(err));
    return payload.pipe(inflated as unknown as NodeJS.WritableStream) as unknown as typeof payload;
  });

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
    stats.refused++;
    const coded = codedOf(err, bodyLimit);
    return sendStatus(reply, encodingOf(req) ?? 'json', coded);
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).type(JSON_TYPE).send({ code: 5, message: `no ${req.method} ${req.url} here: the receiver answers POST /v1/traces, /v1/metrics and /v1/logs` }));

  app.post('/v1/traces', async (req, reply) => {
    const encoding = encodingOf(req)!;
    const batch = decodeTraces(req.body as Buffer, encoding, record);
    stats.requests.traces++;
    stats.spans += batch.accepted;
    stats.rejectedSpans += batch.rejected;
    if (batch.accepted > 0) lastSpansAt = performance.now();
    const partial = batch.rejected > 0 ? { rejectedSpans: batch.rejected, errorMessage: batch.rejectReason ?? '' } : undefined;
    return sendResponse(reply, encoding, 'traces', partial);
  });
  for (const signal of ['metrics', 'logs'] as const) {
    app.post(`/v1/${signal}`, async (req, reply) => {
      stats.requests[signal]++;
      return sendResponse(reply, encodingOf(req)!, signal, undefined);
    });
  }

  // For another paychaos process (a run attached to `paychaos up`): the aggregation so far, as JSON.
  app.get(SPAN_METRICS_PATH, async (_req, reply) => reply.type(JSON_TYPE).send(JSON.stringify({ snapshot: spanMetrics.snapshot(), rejectedSpans: stats.rejectedSpans } satisfies SpanMetricsDocument)));

  const listening = await listenFastify(app, { host: options.host ?? '127.0.0.1', port: options.port ?? 0, what: 'the OTLP receiver' });
  return {
    ...listening,
    endpoint: listening.url,
    stats: () => ({ ...stats, requests: { ...stats.requests } }),
    snapshot: () => spanMetrics.snapshot(),
    serverSide: (view = {}) => serverSideView(spanMetrics.snapshot(), { ...view, rejected: stats.rejectedSpans }),
    quiet: async (quietMs, maxMs) => {
      const started = performance.now();
      for (;;) {
        const now = performance.now();
        const silentFor = now - Math.max(lastSpansAt, started);
        if (silentFor >= quietMs || now - started >= maxMs) return;
        await sleep(Math.min(quietMs - silentFor, maxMs - (now - started), 250));
      }
    },
  };
}

function encodingOf(req: FastifyRequest): OtlpEncoding | undefined {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === PROTOBUF ? 'protobuf' : type === JSON_TYPE ? 'json' : undefined;
}

const RESPONSE_TYPES = { traces: OTLP.ExportTraceServiceResponse, metrics: OTLP.ExportMetricsServiceResponse, logs: OTLP.ExportLogsServiceResponse } as const;

function sendResponse(reply: FastifyReply, encoding: OtlpEncoding, signal: OtlpSignal, partial: { rejectedSpans: number; errorMessage: string } | undefined): FastifyReply {
  const message = partial ? { partialSuccess: partial } : {};
  if (encoding === 'json') {
    // The protobuf JSON mapping: int64 as a decimal string.
    const json = partial ? { partialSuccess: { rejectedSpans: String(partial.rejectedSpans), errorMessage: partial.errorMessage } } : {};
    return reply.code(200).type(JSON_TYPE).send(JSON.stringify(json));
  }
  const type = RESPONSE_TYPES[signal];
  return reply.code(200).type(PROTOBUF).send(Buffer.from(type.encode(type.fromObject(message)).finish()));
}

function sendStatus(reply: FastifyReply, encoding: OtlpEncoding, err: PaychaosError): FastifyReply {
  const status = err.status ?? 400;
  const rpcCode = status === 413 ? RPC_RESOURCE_EXHAUSTED : RPC_INVALID_ARGUMENT;
  const message = `${err.code}: ${err.message}`;
  if (encoding === 'protobuf') return reply.code(status).type(PROTOBUF).send(Buffer.from(OTLP.RpcStatus.encode({ code: rpcCode, message }).finish()));
  return reply.code(status).type(JSON_TYPE).send(JSON.stringify({ code: rpcCode, message, details: [], error: { code: err.code, message: err.message, hint: err.hint } }));
}

/** Whatever failed, as one of the receiver's coded errors (fastify's own and zlib's included). */
function codedOf(err: Error & { code?: string; statusCode?: number }, bodyLimit: number): PaychaosError {
  if (isPaychaosError(err)) return err;
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) return paychaosError('PAYCHAOS_ERR_TELEMETRY_BODY_TOO_LARGE', `the body is larger than the receiver's ${bodyLimit} bytes (after gzip)`, { maxBodyBytes: bodyLimit });
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415) return paychaosError('PAYCHAOS_ERR_TELEMETRY_UNSUPPORTED_MEDIA', 'Content-Type: expected application/x-protobuf or application/json', {});
  if (err.code?.startsWith('Z_')) return paychaosError('PAYCHAOS_ERR_TELEMETRY_BAD_OTLP', `Content-Encoding: gzip, but the body is not a gzip stream (${err.message})`, { contentEncoding: 'gzip' });
  return paychaosError('PAYCHAOS_ERR_TELEMETRY_BAD_OTLP', err.message, {});
}
