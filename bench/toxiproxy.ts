/**
 * Benchmark: keep-alive HTTP through the embedded Toxiproxy-compatible proxy vs direct.
 *
 *   load generator (this process, undici, 50 connections)
 *        ├── direct ──────────────────────────────▶ upstream (child process, node:http "ok")
 *        └── proxied ─▶ embedded proxy (child) ───▶ upstream
 *
 * Prints throughput (requests/s) and latency under load for both, their ratio, and the median
 * latency added at low load (one connection, one request at a time). Direct and proxied runs
 * alternate, so a noisy neighbour hits both. The targets: ratio ≥ 0.55, added median
 * ≤ 100 µs. See bench/README.md for the command and recorded figures.
 */
import { cpus, loadavg } from 'node:os';
import { Client, Pool } from 'undici';
import { Children } from './children.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SERIAL_REQUESTS = Number(process.env.BENCH_SERIAL_REQUESTS ?? 3000);

const children = new Children();
const startChild = async <T>(script: string, args: string[] = []): Promise<T> => (await children.start<T>(new URL(script, import.meta.url), { args })).info;

interface LoadResult {
  readonly rps: number;
  readonly p50us: number;
  readonly p99us: number;
}

/** Closed-loop load: CONNECTIONS workers, each sending its next request when the last answered. */
async function load(origin: string, seconds: number): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies: number[] = [];
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      const started = performance.now();
      const res = await pool.request({ path: '/', method: 'GET' });
      await res.body.dump();
      latencies.push(performance.now() - started);
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { rps: done / elapsed, p50us: percentile(latencies, 0.5) * 1000, p99us: percentile(latencies, 0.99) * 1000 };
}

/** Median and p99 latency of one request at a time on one keep-alive connection. */
async function serial(origin: string, n: number): Promise<{ p50us: number; p99us: number }> {
  const client = new Client(origin, { keepAliveTimeout: 60_000 });
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const res = await client.request({ path: '/', method: 'GET' });
    await res.body.dump();
    latencies.push(performance.now() - started);
  }
  await client.close();
  latencies.sort((a, b) => a - b);
  return { p50us: percentile(latencies, 0.5) * 1000, p99us: percentile(latencies, 0.99) * 1000 };
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const fmt = (n: number): string => n.toFixed(0).padStart(8);

async function main(): Promise<void> {
  const upstream = await startChild<{ port: number }>('./toxiproxy-upstream.js');
  const proxy = await startChild<{ api: string; listen: string; chain: string }>('./toxiproxy-server.js', [`127.0.0.1:${upstream.port}`]);
  const direct = `http://127.0.0.1:${upstream.port}`;
  const proxied = `http://${proxy.listen}`;
  const chained = `http://${proxy.chain}`;
  console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s per side, alternating`);

  await load(direct, 1);
  await load(proxied, 1);
  await load(chained, 1);
  const runs: Record<'direct' | 'proxied' | 'chained', LoadResult[]> = { direct: [], proxied: [], chained: [] };
  for (let r = 0; r < ROUNDS; r++) {
    runs.direct.push(await load(direct, SECONDS));
    runs.proxied.push(await load(proxied, SECONDS));
    runs.chained.push(await load(chained, SECONDS));
  }
  const mean = (xs: LoadResult[]): LoadResult => ({
    rps: xs.reduce((a, x) => a + x.rps, 0) / xs.length,
    p50us: xs.reduce((a, x) => a + x.p50us, 0) / xs.length,
    p99us: xs.reduce((a, x) => a + x.p99us, 0) / xs.length,
  });
  const d = mean(runs.direct);
  const p = mean(runs.proxied);
  const c = mean(runs.chained);
  console.log(`\nthroughput under load            req/s   p50 µs   p99 µs   ratio`);
  console.log(`  direct                       ${fmt(d.rps)} ${fmt(d.p50us)} ${fmt(d.p99us)}`);
  console.log(`  proxy, no toxics             ${fmt(p.rps)} ${fmt(p.p50us)} ${fmt(p.p99us)}   ${(p.rps / d.rps).toFixed(3)}`);
  console.log(`  proxy, noop toxic each way   ${fmt(c.rps)} ${fmt(c.p50us)} ${fmt(c.p99us)}   ${(c.rps / d.rps).toFixed(3)}`);
  // Each round's direct and proxied runs are back to back, so their ratio is the least
  // disturbed by load that comes and goes on a shared machine; report the median of those.
  const perRound = runs.proxied.map((x, i) => x.rps / runs.direct[i]!.rps).sort((a, b) => a - b);
  const medianRatio = perRound[Math.floor(perRound.length / 2)]!;
  console.log(`  per-round ratios (no toxics): ${perRound.map((r) => r.toFixed(3)).join(' ')}`);
  console.log(`  ratio proxied/direct (no toxics, median of rounds): ${medianRatio.toFixed(3)}   (target >= 0.55; Go Toxiproxy 2.12 here: ~0.52)`);

  await serial(direct, 300);
  await serial(proxied, 300);
  const sd = await serial(direct, SERIAL_REQUESTS);
  const sp = await serial(proxied, SERIAL_REQUESTS);
  const sd2 = await serial(direct, SERIAL_REQUESTS);
  const sp2 = await serial(proxied, SERIAL_REQUESTS);
  const directMedian = (sd.p50us + sd2.p50us) / 2;
  const proxiedMedian = (sp.p50us + sp2.p50us) / 2;
  console.log(`\nlatency at low load (1 connection, ${SERIAL_REQUESTS} × 2 sequential requests)`);
  console.log(`  direct median ${directMedian.toFixed(1)} µs, p99 ${((sd.p99us + sd2.p99us) / 2).toFixed(1)} µs`);
  console.log(`  proxied median ${proxiedMedian.toFixed(1)} µs, p99 ${((sp.p99us + sp2.p99us) / 2).toFixed(1)} µs`);
  console.log(`  added median ${(proxiedMedian - directMedian).toFixed(1)} µs   (target <= 100 µs; Toxiproxy's own claim)`);
  console.log(`\nload average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews both sides)`);
}

try {
  await main();
} finally {
  await children.stopAll();
}
