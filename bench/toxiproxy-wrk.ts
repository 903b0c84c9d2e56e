/**
 * Benchmark: the embedded proxy measured by an external load generator, Debian's `wrk` (C, its
 * own threads), so the generator does not share the proxy's runtime or Node's scheduler — the
 * figure issue #17 compares with real Toxiproxy (0.544 of direct on this machine).
 *
 *   wrk -t2 -c50 --latency ──┬── direct ─────────────────────────▶ upstream (child, node:http "ok")
 *                            └── proxied ─▶ embedded proxy (child) ─▶ upstream
 *
 * Three rounds, direct and proxied back to back in each; prints each side's median req/s and
 * p99, and the median of the per-round ratios. wrk missing: installed with apt-get when running
 * as root, else a message saying how, and exit 2. BENCH_CPU_PROF=<dir> runs the proxy under
 * `node --cpu-prof` and leaves its profile there (see bench/README.md for reading it).
 */
import { cpus, loadavg } from 'node:os';
import { ensureWrk, wrk as runWrk, type WrkResult } from './wrk.js';
import { Children } from './children.js';
import { median } from './figures.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const THREADS = Number(process.env.BENCH_WRK_THREADS ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;

const children = new Children();
const wrk = (path: string, url: string, seconds: number): Promise<WrkResult> => runWrk(path, url, { threads: THREADS, connections: CONNECTIONS, seconds });

const startChild = <T>(script: string, args: string[] = [], nodeArgs: string[] = []) => children.start<T>(new URL(script, import.meta.url), { args, nodeArgs });

const fmt = (n: number): string => n.toFixed(0).padStart(9);

async function main(): Promise<number> {
  const wrkPath = ensureWrk();
  if (!wrkPath) return 2;
  const upstream = (await startChild<{ port: number }>('./toxiproxy-upstream.js')).info;
  const profArgs = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
  const proxy = await startChild<{ listen: string; chain: string }>('./toxiproxy-server.js', [`127.0.0.1:${upstream.port}`], profArgs);
  const direct = `http://127.0.0.1:${upstream.port}/`;
  const proxied = `http://${proxy.info.listen}/`;
  const chained = `http://${proxy.info.chain}/`;
  console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`wrk -t${THREADS} -c${CONNECTIONS} -d${SECONDS}s --latency, ${ROUNDS} rounds, direct/proxied/noop-chain back to back`);

  await wrk(wrkPath, direct, 1);
  await wrk(wrkPath, proxied, 1);
  const runs: Record<'direct' | 'proxied' | 'chained', WrkResult[]> = { direct: [], proxied: [], chained: [] };
  for (let r = 0; r < ROUNDS; r++) {
    runs.direct.push(await wrk(wrkPath, direct, SECONDS));
    runs.proxied.push(await wrk(wrkPath, proxied, SECONDS));
    runs.chained.push(await wrk(wrkPath, chained, SECONDS));
  }
  const row = (name: string, xs: WrkResult[], ratio?: number): void =>
    console.log(`  ${name.padEnd(28)} ${fmt(median(xs.map((x) => x.rps)))} ${fmt(median(xs.map((x) => x.p99us)))}${ratio === undefined ? '' : `   ${ratio.toFixed(3)}`}`);
  // Per-round ratios: each proxied run beside the direct run just before it, the pair least
  // disturbed by load that comes and goes on a shared machine.
  const ratios = (xs: WrkResult[]): number[] => xs.map((x, i) => x.rps / runs.direct[i]!.rps);
  console.log(`\nmedians of ${ROUNDS}                     req/s    p99 µs   ratio to direct`);
  row('direct', runs.direct);
  row('proxy, no toxics', runs.proxied, median(ratios(runs.proxied)));
  row('proxy, noop toxic each way', runs.chained, median(ratios(runs.chained)));
  console.log(`  per-round ratios (no toxics): ${ratios(runs.proxied).map((r) => r.toFixed(3)).join(' ')}`);
  console.log(`  target >= 0.544 (real Toxiproxy 2.12 on this machine, issue #17), aim >= 0.60`);
  console.log(`\nload average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews both sides)`);
  if (CPU_PROF_DIR) {
    // The profile is written when the proxy exits on its own, so stop it gently and wait.
    const exited = new Promise((resolve) => proxy.child.once('exit', resolve));
    proxy.child.kill('SIGTERM');
    await exited;
    console.log(`proxy CPU profile (.cpuprofile) in ${CPU_PROF_DIR}`);
  }
  return 0;
}

let code = 1;
try {
  code = await main();
} finally {
  await children.stopAll();
}
process.exitCode = code;
