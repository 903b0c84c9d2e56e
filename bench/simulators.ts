/**
 * Benchmark: payments per second of the Stripe simulator on one core, against a trivial HTTP
 * server measured in the same run (issue 4: ratio ≥ 0.40 with the ledger and idempotency on).
 *
 *   autocannon (this process, 50 connections, a fresh order id and Idempotency-Key per request)
 *        ├──▶ reference: node:http reading the body, answering a small JSON   (child process)
 *        ├──▶ context:   fastify with a form parser, the same JSON            (child process)
 *        └──▶ Stripe simulator: POST /v1/payment_intents confirm=true         (child process)
 *             = create + confirm + authorisation and capture in the ledger + stored idempotent reply
 *
 * Every request is unique (no replays): the simulator creates, confirms, writes two ledger
 * entries and stores the response under the key, each time. Targets alternate within a round so
 * noise from the shared machine hits all of them; the figures are medians of the rounds, and the
 * ratio is the median of the per-round ratios. Each server's CPU time per request is read from
 * the server process itself (process.cpuUsage over IPC), which holds even when the load
 * generator, not the server, sets the pace.
 *
 * Before the rounds the simulator is filled past its `retain` (200,000 objects and keys per
 * kind), so the rounds measure the steady state of a long load test: every new payment evicts
 * the oldest intent, charge and idempotency key.
 *
 * Then memory: a ledger of BENCH_LEDGER_PAYMENTS (1M) payments filled directly in its own
 * process (target < 500 MB), and the simulator process's RSS after the HTTP rounds.
 *
 *   npm run bench -- simulators
 *   knobs: BENCH_CONNECTIONS=50 BENCH_SECONDS=3 BENCH_ROUNDS=5 BENCH_LEDGER_PAYMENTS=1000000
 *          BENCH_PREFILL=220000 (payments sent before the rounds; 0 measures a fresh simulator)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { median } from './figures.js';
import type { ServerStats } from './simulators-server.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const LEDGER_PAYMENTS = Number(process.env.BENCH_LEDGER_PAYMENTS ?? 1_000_000);
const PREFILL = Number(process.env.BENCH_PREFILL ?? 220_000);
const TARGET_RATIO = 0.4;
const TARGET_LEDGER_MB = 500;

type Target = 'http' | 'fastify' | 'stripe';
const TARGETS: readonly Target[] = ['http', 'fastify', 'stripe'];
const LABEL: Record<Target, string> = { http: 'node:http trivial (reference)', fastify: 'fastify trivial (context)', stripe: 'Stripe simulator' };

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  stats(): Promise<ServerStats>;
}

const children: ChildProcess[] = [];

async function startServer(target: Target): Promise<Server> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./simulators-server.js', import.meta.url)), target], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  children.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulators-server ${target} exited with ${code}`)));
  });
  const { port } = JSON.parse(line) as { port: number };
  const stats = (): Promise<ServerStats> =>
    new Promise((resolve) => {
      child.once('message', (m) => resolve(m as ServerStats));
      child.send('stats');
    });
  return { url: `http://127.0.0.1:${port}`, child, stats };
}

// Unique across rounds and targets: no request is ever a replay of an earlier one.
const runId = Date.now().toString(36);
let seq = 0;
const formBody = (n: number): string =>
  `amount=${1000 + (n % 9000)}&currency=usd&payment_method=pm_card_visa&confirm=true&metadata%5Border_id%5D=order-${runId}-${n}&description=bench`;

interface Round {
  readonly rps: number;
  readonly cpuUsPerReq: number;
  readonly p50ms: number;
  readonly p99ms: number;
  readonly ok: number;
  readonly bad: number;
}

async function load(server: Server, seconds: number, amount?: number): Promise<Round> {
  const before = await server.stats();
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    ...(amount ? { amount } : { duration: seconds }),
    requests: [
      {
        method: 'POST',
        path: '/v1/payment_intents',
        setupRequest: (req: autocannon.Request) => {
          const n = ++seq;
          return {
            ...req,
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': `bench-${runId}-${n}` },
            body: formBody(n),
          };
        },
      },
    ],
  });
  const after = await server.stats();
  const answered = result.requests.total;
  return {
    rps: answered / result.duration,
    cpuUsPerReq: (after.cpuUs - before.cpuUs) / Math.max(1, answered),
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    ok: result['2xx'],
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

const int = (n: number): string => Math.round(n).toLocaleString('en');
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

async function ledgerMemory(payments: number): Promise<{ payments: number; entries: number; bytes: number; rssBytes: number; nsPerEntry: number }> {
  const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(new URL('./simulators-ledger.js', import.meta.url)), String(payments)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulators-ledger exited with ${code}`)));
  });
  return JSON.parse(line) as { payments: number; entries: number; bytes: number; rssBytes: number; nsPerEntry: number };
}

async function main(): Promise<void> {
  const servers = {} as Record<Target, Server>;
  for (const t of TARGETS) servers[t] = await startServer(t);
  console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s per target, targets alternating within each round; figures are medians of rounds`);
  console.log('request: POST /v1/payment_intents amount, currency, payment_method=pm_card_visa, confirm=true, metadata[order_id] and Idempotency-Key unique per request');

  // Warm-up: JIT and connections; the simulator past its retain limit (steady state).
  for (const t of TARGETS) await load(servers[t], 1);
  if (PREFILL > 0) {
    const fill = await load(servers.stripe, 0, PREFILL);
    console.log(`prefill: ${int(PREFILL)} payments into the simulator at ${int(fill.rps)}/s (${fill.cpuUsPerReq.toFixed(1)} µs CPU each), past its retain of 200,000`);
  }
  const rounds: Record<Target, Round[]> = { http: [], fastify: [], stripe: [] };
  for (let r = 0; r < ROUNDS; r++) for (const t of TARGETS) rounds[t].push(await load(servers[t], SECONDS));

  console.log(`\n                                   req/s   CPU µs/req   p50 ms   p99 ms   non-2xx`);
  for (const t of TARGETS) {
    const xs = rounds[t];
    const bad = xs.reduce((a, x) => a + x.bad, 0);
    console.log(
      `  ${LABEL[t].padEnd(30)} ${int(median(xs.map((x) => x.rps))).padStart(8)}   ${median(xs.map((x) => x.cpuUsPerReq)).toFixed(1).padStart(10)}   ${median(xs.map((x) => x.p50ms)).toFixed(1).padStart(6)}   ${median(xs.map((x) => x.p99ms)).toFixed(1).padStart(6)}   ${String(bad).padStart(7)}`,
    );
  }
  const perRound = rounds.stripe.map((s, i) => s.rps / rounds.http[i]!.rps);
  const perRoundCpu = rounds.stripe.map((s, i) => rounds.http[i]!.cpuUsPerReq / s.cpuUsPerReq);
  const perRoundFastify = rounds.stripe.map((s, i) => s.rps / rounds.fastify[i]!.rps);
  const ratio = median(perRound);
  console.log(`\n  per-round ratios stripe/http (req/s): ${perRound.map((x) => x.toFixed(3)).join(' ')}`);
  console.log(`  ratio stripe/http, req/s (median of rounds):   ${ratio.toFixed(3)}   (target >= ${TARGET_RATIO}) ${ratio >= TARGET_RATIO ? 'MET' : 'MISSED'}`);
  console.log(`  ratio stripe/http, CPU per request (median):   ${median(perRoundCpu).toFixed(3)}   (the same comparison on CPU time: generator-independent)`);
  console.log(`  ratio stripe/fastify, req/s (median of rounds): ${median(perRoundFastify).toFixed(3)}   (context)`);

  // Every payment must have reached the ledger: an authorisation and a capture each.
  const stripeOk = rounds.stripe.reduce((a, x) => a + x.ok, 0);
  const s = await servers.stripe.stats();
  console.log(`\n  Stripe simulator: ${int((s.ledger ?? 0) / 2)} payments in its ledger (${int(stripeOk)} answered 2xx in the measured rounds), RSS ${mb(s.rss)} MiB, heap ${mb(s.heapUsed)} MiB, buffers ${mb(s.arrayBuffers)} MiB`);
  const bad = TARGETS.reduce((a, t) => a + rounds[t].reduce((b, x) => b + x.bad, 0), 0);

  const l = await ledgerMemory(LEDGER_PAYMENTS);
  const ledgerOk = l.bytes / 2 ** 20 < TARGET_LEDGER_MB;
  console.log(`\n  ledger of ${int(l.payments)} payments (${int(l.entries)} entries) filled directly: ${mb(l.bytes)} MiB held (heap + buffers), process RSS ${mb(l.rssBytes)} MiB, fill ${l.nsPerEntry.toFixed(0)} ns/entry with its ids   (target < ${TARGET_LEDGER_MB} MB) ${ledgerOk ? 'MET' : 'MISSED'}`);
  console.log(`\nload average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')} (other work on the machine skews every side)`);
  if (bad > 0) {
    console.error(`\n${bad} requests failed or answered non-2xx: the figures are not valid`);
    process.exitCode = 1;
  }
}

try {
  await main();
} finally {
  for (const child of children) child.kill('SIGTERM');
}
