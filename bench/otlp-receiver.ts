/**
 * Benchmark: spans per second the embedded OTLP receiver ingests on one core, protobuf and JSON,
 * against a reference measured in the same run: a bare node:http server that only reads the
 * body (the least any OTLP/HTTP receiver can do with the same bytes on the same sockets). Also
 * shows that the receiver's memory stays flat over a long run (bounded series and exemplars).
 *
 *   node dist/bench/otlp-receiver.js      (or: npm run bench -- otlp-receiver)
 *   knobs: BENCH_SECONDS=3 BENCH_ROUNDS=2 BENCH_CONCURRENCY=4 BENCH_BATCH=512 BENCH_LONG_SECONDS=30
 *
 *   this process (load): pre-encoded ExportTraceServiceRequests ─► POST /v1/traces, N in flight
 *   server process (one core): the receiver │ the reference ── CPU time and memory over IPC
 *
 * Each server runs in its own process; the figure is spans per CPU-second of that process
 * (process.cpuUsage), so it holds when the load generator shares the machine, and spans per
 * wall-second is printed beside it. Payloads are real: SDK spans shaped like the gateway's
 * (a server span and one or two provider-call spans per payment, the payment.* attributes),
 * encoded by @opentelemetry/otlp-transformer as the SDK exporters do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Pool } from 'undici';
import { median } from './figures.js';
import type { ReceiverServerStats } from './otlp-receiver-server.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const BATCH = Number(process.env.BENCH_BATCH ?? 512);
const LONG_SECONDS = Number(process.env.BENCH_LONG_SECONDS ?? 30);
const TARGET_SPANS_PER_S = 50_000;

/** A batch of gateway-shaped SDK spans: payments over 3 providers and 2 variants, some failing over. */
async function gatewaySpans(count: number): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'paychaos-gateway', 'service.version': '1.0.0' }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('paychaos-gateway');
  const providers = ['stripe', 'adyen', 'paypal'];
  const codes = ['', '', '', '', 'card_declined', 'insufficient_funds', 'provider_unavailable'];
  const start = Date.now();
  for (let i = 0; exporter.getFinishedSpans().length < count; i++) {
    const variant = i % 10 === 9 ? 'canary' : 'baseline';
    const code = codes[i % codes.length]!;
    const failover = code === 'provider_unavailable';
    const answered = failover ? 'adyen' : providers[i % 3]!;
    const base = { 'paychaos.variant': variant, 'service.version': '1.0.0', 'payment.method': 'card' };
    const outcome = code === '' || failover ? 'succeeded' : 'failed';
    const payment = tracer.startSpan('payment', { kind: SpanKind.SERVER, startTime: start, attributes: { ...base, 'payment.provider': answered, 'payment.outcome': outcome, 'payment.error_code': failover ? '' : code, 'payment.provider_code': code || 'ok', 'payment.failover': failover } });
    // The provider calls are children of the payment: one trace per payment, as the gateway's.
    const inPayment = trace.setSpan(context.active(), payment);
    if (failover) {
      const first = tracer.startSpan('provider.charge', { kind: SpanKind.CLIENT, startTime: start, attributes: { ...base, 'payment.provider': 'stripe', 'payment.attempt': 1, 'payment.retry': false, 'payment.failover': false, 'payment.outcome': 'failed', 'payment.error_code': code, 'payment.provider_code': '503' } }, inPayment);
      first.setStatus({ code: SpanStatusCode.ERROR });
      first.end(start + 3 + (i % 7));
    }
    const call = tracer.startSpan('provider.charge', { kind: SpanKind.CLIENT, startTime: start, attributes: { ...base, 'payment.provider': answered, 'payment.attempt': failover ? 2 : 1, 'payment.retry': false, 'payment.failover': failover, 'payment.outcome': outcome, 'payment.error_code': failover ? '' : code, 'payment.provider_code': code || 'ok' } }, inPayment);
    call.end(start + 10 + (i % 90));
    payment.end(start + 12 + (i % 95));
  }
  await provider.forceFlush();
  // Taken before shutdown, which empties the in-memory exporter.
  const finished = exporter.getFinishedSpans().slice(0, count);
  await provider.shutdown();
  return finished;
}

interface Server {
  readonly url: string;
  stats(): Promise<ReceiverServerStats>;
  close(): Promise<void>;
}

async function startServer(kind: 'receiver' | 'http'): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', fileURLToPath(new URL('./otlp-receiver-server.js', import.meta.url)), kind], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`otlp-receiver-server ${kind} exited with ${code}`)));
  });
  const { port } = JSON.parse(line) as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as ReceiverServerStats));
        child.send('stats');
      }),
    close: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}

interface Round {
  readonly spansPerCpuS: number;
  readonly spansPerWallS: number;
  readonly requests: number;
  readonly failed: number;
}

/** Post `body` (BATCH spans) with CONCURRENCY in flight for `seconds`; CPU charged to the server process. */
async function drive(server: Server, body: Uint8Array, type: string, seconds: number, onTick?: (elapsedS: number) => Promise<void>): Promise<Round> {
  const pool = new Pool(server.url, { connections: CONCURRENCY, pipelining: 1 });
  const before = await server.stats();
  const started = performance.now();
  const until = started + seconds * 1000;
  let requests = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      const res = await pool.request({ method: 'POST', path: '/v1/traces', headers: { 'content-type': type }, body });
      await res.body.arrayBuffer();
      if (res.statusCode === 200) requests++;
      else failed++;
    }
  };
  let ticking: Promise<void> = Promise.resolve();
  const tick = onTick ? setInterval(() => (ticking = ticking.then(() => onTick((performance.now() - started) / 1000))), 1000) : undefined;
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  if (tick) clearInterval(tick);
  await ticking;
  const wallS = (performance.now() - started) / 1000;
  const after = await server.stats();
  await pool.close();
  const spans = requests * BATCH;
  if (server === receiver) sentToReceiver += spans;
  return { spansPerCpuS: spans / ((after.cpuUs - before.cpuUs) / 1e6), spansPerWallS: spans / wallS, requests, failed };
}

const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const mib = (b: number): string => (b / 1024 / 1024).toFixed(1);

const spans = await gatewaySpans(BATCH);
const traceIds = new Set(spans.map((s) => s.spanContext().traceId));
const bodies = { protobuf: ProtobufTraceSerializer.serializeRequest(spans)!, json: JsonTraceSerializer.serializeRequest(spans)! };
console.log(`payload: ${BATCH} spans (${traceIds.size} traces) per request — protobuf ${int(bodies.protobuf.length)} B, JSON ${int(bodies.json.length)} B; ${CONCURRENCY} in flight; ${ROUNDS} rounds × ${SECONDS} s per side`);

if (spans.length !== BATCH) throw new Error(`made ${spans.length} spans, wanted ${BATCH}`);
const receiver = await startServer('receiver');
/** Spans the receiver answered 200 for: it must have aggregated exactly these. */
let sentToReceiver = 0;
const reference = await startServer('http');
let ok = true;
try {
  // Warm both (JIT, sockets).
  await drive(receiver, bodies.protobuf, 'application/x-protobuf', 1);
  await drive(receiver, bodies.json, 'application/json', 1);
  await drive(reference, bodies.protobuf, 'application/x-protobuf', 1);
  console.log('\nencoding   receiver spans/CPU-s  (spans/wall-s)   reference spans/CPU-s  (spans/wall-s)   ratio receiver/reference (CPU)   target');
  for (const [encoding, type] of [['protobuf', 'application/x-protobuf'], ['json', 'application/json']] as const) {
    const rec: Round[] = [];
    const ref: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      ref.push(await drive(reference, bodies[encoding], type, SECONDS));
      rec.push(await drive(receiver, bodies[encoding], type, SECONDS));
    }
    const failed = [...rec, ...ref].reduce((n, x) => n + x.failed, 0);
    const cpu = median(rec.map((x) => x.spansPerCpuS));
    const ratios = rec.map((x, i) => x.spansPerCpuS / ref[i]!.spansPerCpuS);
    const pass = cpu >= TARGET_SPANS_PER_S && failed === 0;
    ok &&= pass;
    console.log(
      `${encoding.padEnd(9)}  ${int(cpu).padStart(20)}  (${int(median(rec.map((x) => x.spansPerWallS)))})`.padEnd(50) +
        `${int(median(ref.map((x) => x.spansPerCpuS))).padStart(20)}  (${int(median(ref.map((x) => x.spansPerWallS)))})`.padEnd(38) +
        `${median(ratios).toFixed(3)} (rounds ${ratios.map((x) => x.toFixed(3)).join(' ')})`.padEnd(33) +
        `≥ ${int(TARGET_SPANS_PER_S)} ${pass ? 'ok' : 'MISSED'}${failed ? ` (${failed} requests failed)` : ''}`,
    );
  }

  // Memory over a long run: what the receiver holds after a full GC, sampled every second.
  const held: Array<{ t: number; bytes: number }> = [];
  const long = await drive(receiver, bodies.protobuf, 'application/x-protobuf', LONG_SECONDS, async (t) => {
    held.push({ t, bytes: (await receiver.stats()).heldBytes });
  });
  const end = await receiver.stats();
  const counted = end.spans === sentToReceiver;
  ok &&= counted;
  const third = Math.max(1, Math.floor(held.length / 3));
  const first = median(held.slice(0, third).map((h) => h.bytes));
  const last = median(held.slice(-third).map((h) => h.bytes));
  const growth = (last - first) / first;
  const flat = growth < 0.1;
  ok &&= flat && long.failed === 0;
  console.log(`\nlong run: ${LONG_SECONDS} s of protobuf at full speed, ${int(long.requests * BATCH)} spans (${int(long.spansPerWallS)}/s wall); ${int(end.spans ?? 0)} spans aggregated in all (${counted ? 'every span answered 200' : `MISMATCH: ${int(sentToReceiver)} answered 200`}), ${end.series} series`);
  console.log(`memory held after GC (heap + buffers), median of first vs last third: ${mib(first)} → ${mib(last)} MiB (${(growth * 100).toFixed(1)}%) ${flat ? 'flat' : 'GROWING'}`);
} finally {
  await receiver.close();
  await reference.close();
}
process.exit(ok ? 0 : 1);
