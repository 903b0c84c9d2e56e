/**
 * Benchmark: the reference gateway end to end, as a run wires it —
 *
 *   driver (this process) ─▶ gateway (child: dist/gateway/main.js, SQLite file, WAL)
 *                              ─▶ embedded proxy (child) ─▶ Stripe simulator (child)
 *
 * with telemetry off (no OTel SDK: the instruments are no-ops) and on (the SDK exporting every
 * span over OTLP/HTTP to a receiver in this process, as a run's harness receives them), and as
 * the reference in the same run the same driver straight at the simulator: the one provider call
 * a payment costs, without the gateway's work (durable state, idempotency, routing, telemetry).
 *
 * Per configuration:
 *   1. peak: BENCH_CONCURRENCY closed-loop workers for BENCH_PEAK_S, BENCH_ROUNDS rounds alternating
 *      between the configurations → the median round's payments/s, p50, p99;
 *   2. fixed rate: the project's open-model executor at BENCH_RATE for BENCH_FIXED_S (latency
 *      from each payment's scheduled time, so a stall is not hidden), achieved rate, p99,
 *      dropped iterations, failures, and the gateway's RSS sampled once a second (flat = bounded).
 * Ratios printed: gateway path / direct; telemetry on / off.
 *
 *   npm run bench -- gateway
 *   knobs: BENCH_CONCURRENCY=64 BENCH_PEAK_S=5 BENCH_ROUNDS=3 BENCH_RATE=2000 BENCH_FIXED_S=20
 *   the 10-minute memory figure: BENCH_FIXED_S=600 BENCH_ONLY=on npm run bench -- gateway
 *   BENCH_CPU_PROF=<dir>: each gateway runs under node --cpu-prof (a .cpuprofile per gateway)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as hdr from 'hdr-histogram-js';
import { Pool } from 'undici';
import { runConstantArrivalRate } from '../src/load/index.js';
import { otlpEnv } from '../src/stack/index.js';
import { Children } from './children.js';
import { rssMiB } from './figures.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const PEAK_S = Number(process.env.BENCH_PEAK_S ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const FIXED_S = Number(process.env.BENCH_FIXED_S ?? 20);
const ONLY = process.env.BENCH_ONLY; // off | on: one gateway configuration (the long memory run)
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF; // the gateways under node --cpu-prof, profiles left there
/** The gateway's groupCommit setting as JSON (`{"intervalMs":2}`); absent: its default, one commit per event-loop turn. */
const GROUP_COMMIT = process.env.BENCH_GROUP_COMMIT ? (JSON.parse(process.env.BENCH_GROUP_COMMIT) as Record<string, number>) : undefined;

const children = new Children();

/** A payment as this benchmark sends it: `n` makes every order and key fresh. */
interface Target {
  readonly name: string;
  readonly pool: Pool;
  send(n: number): Promise<boolean>;
}

function gatewayTarget(name: string, url: string): Target {
  const pool = new Pool(url, { connections: CONCURRENCY, keepAliveTimeout: 60_000 });
  return {
    name,
    pool,
    async send(n) {
      const res = await pool.request({
        method: 'POST',
        path: '/payments',
        headers: { 'content-type': 'application/json', 'idempotency-key': `${name}-${n}` },
        body: JSON.stringify({ orderId: `${name}-${n}`, amount: 1999, currency: 'USD', paymentMethod: 'pm_card_visa' }),
      });
      await res.body.dump();
      return res.statusCode === 201;
    },
  };
}

/** The reference: the same confirmed PaymentIntent the gateway's Stripe client asks for, sent straight to the simulator. */
function directTarget(url: string): Target {
  const pool = new Pool(url, { connections: CONCURRENCY, keepAliveTimeout: 60_000 });
  return {
    name: 'direct',
    pool,
    async send(n) {
      const body = new URLSearchParams({ amount: '1999', currency: 'usd', payment_method: 'pm_card_visa', confirm: 'true', 'metadata[order_id]': `direct-${n}` }).toString();
      const res = await pool.request({
        method: 'POST',
        path: '/v1/payment_intents',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer sk_test_bench', 'idempotency-key': `direct-${n}` },
        body,
      });
      await res.body.dump();
      return res.statusCode === 200;
    },
  };
}

/** The RSS at the end of each tenth of the fixed-rate run: flat means bounded. */
const tenths = (samples: readonly number[]): number[] => Array.from({ length: 10 }, (_, i) => samples[Math.min(samples.length - 1, Math.ceil(((i + 1) * samples.length) / 10) - 1)]!);

const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
const ms = (us: number): number => Math.round(us / 10) / 100;

interface Peak {
  readonly paymentsPerS: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failed: number;
}

/** Closed loop: each worker sends its next payment when the last one answered. */
async function peak(target: Target, offset: number, seconds = PEAK_S): Promise<Peak> {
  const h = histogram();
  let next = offset;
  let failed = 0;
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      const started = performance.now();
      if (!(await target.send(next++))) failed++;
      h.recordValue(Math.max(1, Math.round((performance.now() - started) * 1000)));
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { paymentsPerS: Math.round((done * 1000) / (performance.now() - started)), p50Ms: ms(h.getValueAtPercentile(50)), p99Ms: ms(h.getValueAtPercentile(99)), failed };
}

interface Fixed {
  readonly achievedPerS: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly dropped: number;
  readonly failed: number;
  readonly rssMiB: readonly number[];
}

/** Open model at RATE: a payment due is sent on time or counted as dropped, never sent late. */
async function fixedRate(target: Target, offset: number, pid: number | undefined): Promise<Fixed> {
  const h = histogram();
  let failed = 0;
  const rss: number[] = [];
  const sampler = pid === undefined ? undefined : setInterval(() => rss.push(Math.round(rssMiB(pid) * 10) / 10), 1000);
  const stats = await runConstantArrivalRate({ rate: RATE, durationMs: FIXED_S * 1000, maxInFlight: CONCURRENCY * 4 }, async (i, scheduledAt) => {
    if (!(await target.send(offset + i))) failed++;
    h.recordValue(Math.max(1, Math.round((performance.now() - scheduledAt) * 1000)));
  });
  if (sampler) clearInterval(sampler);
  return { achievedPerS: Math.round((stats.started * 1000) / stats.elapsedMs), p50Ms: ms(h.getValueAtPercentile(50)), p99Ms: ms(h.getValueAtPercentile(99)), dropped: stats.dropped, failed, rssMiB: rss };
}

/** Where the gateway's spans go with telemetry on: an OTLP/HTTP endpoint in this process that takes and drops every export. */
async function otlpSink(): Promise<{ url: string; server: Server; received: () => number }> {
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, received: () => bytes };
}

async function startGateway(name: string, providerUrl: string, dir: string, otlp: string | undefined): Promise<{ url: string; pid: number }> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
  env.PAYCHAOS_GATEWAY_CONFIG = JSON.stringify({ logLevel: 'silent', recovery: { intervalMs: 5_000 }, providers: { stripe: { url: providerUrl } }, ...(GROUP_COMMIT ? { groupCommit: GROUP_COMMIT } : {}) });
  // Telemetry on exactly as a run sets it for its child gateways (src/stack otlpEnv).
  if (otlp) Object.assign(env, otlpEnv(otlp));
  const main = fileURLToPath(new URL('../gateway/main.js', import.meta.url));
  const nodeArgs = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
  const { info, child } = await children.start<string>(main, { nodeArgs, args: ['--db', join(dir, `${name}.db`), '--port', '0'], env, read: (line) => /listening on (http:\/\/\S+)/.exec(line)?.[1] });
  return { url: info, pid: child.pid! };
}

async function main(): Promise<void> {
  console.log(`gateway end to end: ${CONCURRENCY} workers at peak, ${ROUNDS} rounds of ${PEAK_S}s, then ${RATE}/s for ${FIXED_S}s; ${cpus().length} cores`);
  const dir = mkdtempSync(join(tmpdir(), 'paychaos-bench-gateway-'));
  const sink = await otlpSink();
  try {
    const sim = (await children.start<{ port: number }>(new URL('./simulators-server.js', import.meta.url), { args: ['stripe'] })).info;
    const simHostPort = `127.0.0.1:${sim.port}`;
    const proxy = (await children.start<{ listen: string }>(new URL('./toxiproxy-server.js', import.meta.url), { args: [simHostPort] })).info;

    // Every configuration is up at once and the peak rounds alternate between them, so a drift of
    // the machine (other work, the simulator's growing ledger) weighs on each alike; the figure is
    // each one's median round.
    const targets: Array<{ target: Target; pid?: number }> = [];
    if (!ONLY) targets.push({ target: directTarget(`http://${simHostPort}`) });
    for (const telemetry of ['off', 'on'] as const) {
      if (ONLY && ONLY !== telemetry) continue;
      const gw = await startGateway(`telemetry-${telemetry}`, `http://${proxy.listen}`, dir, telemetry === 'on' ? sink.url : undefined);
      targets.push({ target: gatewayTarget(`telemetry-${telemetry}`, gw.url), pid: gw.pid });
    }
    let offset = 0;
    const peaks = new Map<string, Peak[]>(targets.map((t) => [t.target.name, []]));
    // A short warm-up each (JIT, pools, SQLite page cache) the figures do not include.
    for (const t of targets) await peak(t.target, (offset += 1_000_000), Math.min(PEAK_S, 3));
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of targets) peaks.get(t.target.name)!.push(await peak(t.target, (offset += 1_000_000)));
    }
    const rows: Array<{ name: string; peak: Peak; rounds: number[]; fixed: Fixed }> = [];
    for (const t of targets) {
      const rounds = peaks.get(t.target.name)!;
      const median = [...rounds].sort((a, b) => a.paymentsPerS - b.paymentsPerS)[Math.floor(rounds.length / 2)]!;
      const fixed = await fixedRate(t.target, (offset += 1_000_000), t.pid);
      rows.push({ name: t.target.name, peak: median, rounds: rounds.map((r) => r.paymentsPerS), fixed });
      console.log(JSON.stringify({ target: t.target.name, peak: median, rounds: rounds.map((r) => r.paymentsPerS), fixed: { ...fixed, rssMiB: fixed.rssMiB.length ? { first: fixed.rssMiB[0], max: Math.max(...fixed.rssMiB), last: fixed.rssMiB.at(-1), byTenth: tenths(fixed.rssMiB) } : undefined } }));
    }
    await Promise.all(targets.map((t) => t.target.pool.close()));

    const by = (name: string) => rows.find((r) => r.name === name);
    const direct = by('direct');
    const off = by('telemetry-off');
    const on = by('telemetry-on');
    console.log('');
    for (const r of rows) {
      console.log(`${r.name.padEnd(14)} peak ${String(r.peak.paymentsPerS).padStart(6)}/s (rounds ${r.rounds.join(' ')}) p99 ${r.peak.p99Ms} ms | at ${RATE}/s: achieved ${r.fixed.achievedPerS}/s p50 ${r.fixed.p50Ms} ms p99 ${r.fixed.p99Ms} ms dropped ${r.fixed.dropped} failed ${r.peak.failed + r.fixed.failed}`);
    }
    if (direct && off) console.log(`ratio gateway (telemetry off) / direct, peak: ${(off.peak.paymentsPerS / direct.peak.paymentsPerS).toFixed(3)}`);
    if (off && on) console.log(`ratio telemetry on / off, peak: ${(on.peak.paymentsPerS / off.peak.paymentsPerS).toFixed(3)} (target >= 0.90)`);
    if (on) console.log(`OTLP bytes received with telemetry on: ${sink.received()}`);
    console.log(`targets: >= 2000 payments/s with p99 < 50 ms, no faults; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await children.stopAll();
    sink.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
