/**
 * One server of the simulator benchmark, in its own process so its one core is its own:
 *
 *   node simulators-server.js stripe    the Stripe simulator (ledger on, idempotency on, default profile)
 *   node simulators-server.js http      reference: node:http reading the body and answering a small JSON
 *   node simulators-server.js fastify   context: fastify with a form parser answering the same JSON
 *
 * Prints {"port":N} when listening. Over IPC it answers `stats` with its CPU time and memory
 * (and the Stripe ledger's size), so the benchmark can charge CPU per request to this process
 * alone and check that every payment really reached the ledger.
 */
import { createServer } from 'node:http';
import Fastify from 'fastify';
import { startStripeSim } from '../simulators/stripe/index.js';

export interface ServerStats {
  /** User + system CPU time of this process so far. */
  readonly cpuUs: number;
  /** The system (kernel) part: sockets cost the same syscalls whatever the server does. */
  readonly systemUs: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly arrayBuffers: number;
  /** Ledger entries (Stripe only). */
  readonly ledger?: number;
}

const target = process.argv[2];
const reply = Buffer.from(JSON.stringify({ id: 'pi_0000000000000000000000', object: 'payment_intent', status: 'succeeded' }));
let port: number;
let ledgerSize: (() => number) | undefined;

if (target === 'stripe') {
  const sim = await startStripeSim({ seed: 42 });
  port = sim.port;
  ledgerSize = () => sim.ledger.size;
} else if (target === 'http') {
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    // Read the body like any real handler must, then answer.
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': reply.length });
      res.end(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
} else if (target === 'fastify') {
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/v1/payment_intents', async (_req, res) => res.header('content-type', 'application/json; charset=utf-8').send(reply));
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
} else {
  console.error(`usage: simulators-server.js stripe|http|fastify (got ${target})`);
  process.exit(2);
}

process.on('message', (msg: unknown) => {
  if (msg !== 'stats') return;
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  const stats: ServerStats = { cpuUs: cpu.user + cpu.system, systemUs: cpu.system, rss: mem.rss, heapUsed: mem.heapUsed, arrayBuffers: mem.arrayBuffers, ...(ledgerSize ? { ledger: ledgerSize() } : {}) };
  process.send?.(stats);
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
process.stdout.write(`${JSON.stringify({ port })}\n`);
