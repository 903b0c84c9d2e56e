/**
 * One server of the OTLP receiver benchmark, in its own process so its one core is its own:
 *
 *   node --expose-gc otlp-receiver-server.js receiver   the embedded OTLP receiver (src/telemetry)
 *   node --expose-gc otlp-receiver-server.js http       reference: node:http that only reads the body and answers 200
 *
 * Prints {"port":N} when listening. Over IPC it answers `stats` with its CPU time, memory after a
 * full GC and the spans it aggregated, so the benchmark charges CPU to this process alone and
 * checks that every span was counted.
 */
import { createServer } from 'node:http';
import { startOtlpReceiver, type StartedOtlpReceiver } from '../src/telemetry/index.js';

export interface ReceiverServerStats {
  readonly cpuUs: number;
  /** heapUsed + arrayBuffers after a full GC: what the process holds, not what it has yet to collect. */
  readonly heldBytes: number;
  readonly rss: number;
  /** Spans aggregated (receiver only), and series kept. */
  readonly spans?: number;
  readonly series?: number;
}

const target = process.argv[2];
let port: number;
let receiver: StartedOtlpReceiver | undefined;
if (target === 'receiver') {
  receiver = await startOtlpReceiver();
  port = receiver.port;
} else if (target === 'http') {
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
} else {
  console.error(`usage: otlp-receiver-server.js receiver|http (got ${target})`);
  process.exit(2);
}

const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (msg: unknown) => {
  if (msg !== 'stats') return;
  gc?.();
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  const snap = receiver?.snapshot();
  const stats: ReceiverServerStats = { cpuUs: cpu.user + cpu.system, heldBytes: mem.heapUsed + mem.arrayBuffers, rss: mem.rss, ...(snap ? { spans: snap.spans, series: snap.series.length } : {}) };
  process.send?.(stats);
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ port })}\n`);
