/**
 * Memory over a whole run: `paychaos demo` at a fixed rate for N seconds, with the RSS of the
 * harness process and of every process it started sampled ten times across the run (from
 * /proc, so a part in its own process is counted as much as one in the harness's).
 *
 * The figure that matters is the slope: RSS(end) / RSS(after warm-up), warm-up being the first
 * fifth of the run (connections, JIT, pools, caches filling). Flat memory means a ratio near 1;
 * the bytes per payment between those two points say what an hour would need.
 *
 * RSS cannot tell what a process keeps from garbage V8 has not collected yet (it lets the old
 * generation grow to a multiple of the live heap first), so the harness also runs
 * bench/heap-probe.js: a full collection every twentieth of the run, and the heap left after it.
 * Its slope per payment is the harness's retention; BENCH_HEAP_PROBE=0 leaves the harness as a
 * user runs it (RSS only).
 *
 *   npx tsc -p tsconfig.build.json && npm run bench -- run-memory            # BENCH_RATE=2000 BENCH_SECONDS=120 BENCH_MIX=cards BENCH_HEAP_PROBE=1 BENCH_SAMPLES=10
 *   BENCH_TARGET=trivial: the harness alone (`paychaos run --target` bench/driver-server) instead of the demo loop
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Children } from './children.js';
import { rssBytes } from './figures.js';

const rate = Number(process.env.BENCH_RATE ?? 2000);
const seconds = Number(process.env.BENCH_SECONDS ?? 120);
const mix = process.env.BENCH_MIX ?? 'cards';
const out = mkdtempSync(join(tmpdir(), 'paychaos-run-memory-'));
const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const heapProbe = process.env.BENCH_HEAP_PROBE !== '0';
/** RSS samples over the run (an hour-long run reads better at 30 or 60 than at tenths). */
const sampleCount = Math.max(3, Math.floor(Number(process.env.BENCH_SAMPLES ?? 10)));
const probeFile = join(out, 'heap-probe.ndjson');

/** Every descendant of `pid` (children of each of its threads), depth first. */
function descendants(pid: number): number[] {
  const found: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const t of tasks) {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const c of children.split(/\s+/).filter(Boolean).map(Number)) found.push(c, ...descendants(c));
  }
  return found;
}

function nameOf(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    if (args[1] === '-e') return 'guardian';
    const script = args.findIndex((a) => a.endsWith('.js'));
    return script < 0 ? args.join(' ').slice(0, 40) : args.slice(script).map((a) => a.replace(/^.*\/dist\//, '')).join(' ').slice(0, 40);
  } catch {
    return '?';
  }
}

const mib = (b: number): string => (b / 2 ** 20).toFixed(0);

interface Sample {
  t: number;
  harness: number;
  children: Array<{ pid: number; name: string; rss: number }>;
  total: number;
  /** The harness's heap after its latest full collection (bench/heap-probe), when probed. */
  heapAfterGc?: number;
}

/** The last line heap-probe wrote, if any. */
function lastProbe(): { at: number; heapUsed: number } | undefined {
  let text = '';
  try {
    text = readFileSync(probeFile, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.trimEnd().split('\n');
  const last = lines[lines.length - 1];
  return last ? (JSON.parse(last) as { at: number; heapUsed: number }) : undefined;
}

// The probe goes on the harness's own command line, not NODE_OPTIONS: the parts it starts inherit
// its environment, and a forced collection in the gateway would be measured as its latency.
const probeArgs = heapProbe ? ['--expose-gc', '--import', fileURLToPath(new URL('./heap-probe.js', import.meta.url))] : [];
const probeEnv = heapProbe ? { PAYCHAOS_HEAP_PROBE_FILE: probeFile, PAYCHAOS_HEAP_PROBE_MS: String((seconds * 1000) / 20) } : {};
// BENCH_TARGET=trivial: the harness alone (`paychaos run --target` a server that answers at once,
// bench/driver-server), so the rate is the asked one whatever the loop behind it would carry — the
// tool's own memory over a long run at a rate the whole loop does not reach on this machine.
const trivialTarget = process.env.BENCH_TARGET === 'trivial';
const servers = new Children();
let args: string[];
if (trivialTarget) {
  const { info } = await servers.start<{ port: number }>(new URL('./driver-server.js', import.meta.url));
  const scenario = join(out, 'harness-alone.yaml');
  writeFileSync(scenario, `name: harness-alone\ndescription: the harness alone against a trivial server (bench/run-memory)\nload:\n  executor: constant-arrival-rate\n  rate: ${rate}\n  duration: ${seconds}s\n  warmup: 2s\n  mix: ${mix}\n`);
  args = ['run', '--target', `http://127.0.0.1:${info.port}`, '--progress', 'off', '--out', join(out, 'run'), scenario];
} else args = ['demo', '--rate', String(rate), '--duration', `${seconds}s`, '--mix', mix, '--out', out, '--log-level', 'warn'];
const resultsDir = trivialTarget ? join(out, 'run') : out;
const child = spawn(process.execPath, [...probeArgs, cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...probeEnv } });
let stdout = '';
child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
let exited = false;
child.on('exit', () => (exited = true));
/** `paychaos run` prints nothing when load starts: its events.jsonl marks the measured window ("drive"). */
const driving = (): boolean => {
  if (!trivialTarget) return stdout.includes('driving');
  try {
    return readFileSync(join(resultsDir, 'events.jsonl'), 'utf8').includes('"name":"drive"');
  } catch {
    return false;
  }
};
// The run's clock starts when load does (the demo says "driving …"), not while parts start.
await new Promise<void>((r) => {
  const poll = setInterval(() => {
    if (exited || driving()) {
      clearInterval(poll);
      r();
    }
  }, 50);
});
const started = performance.now();
const samples: Sample[] = [];
console.log(`load average at the start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`paychaos ${trivialTarget ? `run --target <trivial server> (the harness alone) at ${rate}/s for ${seconds}s` : `demo --rate ${rate} --duration ${seconds}s`} --mix ${mix}; RSS at ${sampleCount} even points of the run (MiB)`);
for (let i = 1; i <= sampleCount; i++) {
  const due = started + (i * seconds * 1000) / sampleCount - (i === sampleCount ? 500 : 0);
  await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
  if (exited) break;
  const pids = descendants(child.pid!);
  const kids = pids.map((pid) => ({ pid, name: nameOf(pid), rss: rssBytes(pid) })).filter((k) => k.rss > 0);
  const harness = rssBytes(child.pid!);
  const probe = lastProbe();
  const s: Sample = { t: (performance.now() - started) / 1000, harness, children: kids, total: harness + kids.reduce((a, k) => a + k.rss, 0), ...(probe ? { heapAfterGc: probe.heapUsed } : {}) };
  samples.push(s);
  const heapText = s.heapAfterGc !== undefined ? ` (heap after GC ${(s.heapAfterGc / 2 ** 20).toFixed(1)})` : '';
  console.log(`  t=${s.t.toFixed(0).padStart(4)} s  harness ${mib(harness).padStart(5)}${heapText}${kids.map((k) => `  ${k.name} ${mib(k.rss)}`).join('')}  total ${mib(s.total)}`);
}
const code = child.exitCode ?? (await new Promise<number>((r) => child.on('exit', (c) => r(c ?? 1))));
let payments = 0;
try {
  const results = JSON.parse(readFileSync(join(resultsDir, 'results.json'), 'utf8')) as {
    load?: { achievedRate?: number; droppedIterations?: number };
    variants?: Record<string, { requests?: number }>;
    invariants?: Array<{ name: string; passed: boolean }>;
    assertions?: Array<{ name: string; passed: boolean }>;
  };
  payments = Object.values(results.variants ?? {}).reduce((a, v) => a + (v.requests ?? 0), 0);
  console.log(`  achieved ${results.load?.achievedRate?.toFixed(0)}/s, dropped ${results.load?.droppedIterations}, ${payments} payments, exit ${code}`);
  // The out directory goes with this process: say here why a run exited non-zero (a dropped
  // iteration on a busy machine, or a money invariant).
  const red = [...(results.invariants ?? []).map((i) => ({ ...i, kind: 'invariant' })), ...(results.assertions ?? []).map((a) => ({ ...a, kind: 'assertion' }))].filter((x) => !x.passed);
  console.log(`  invariants ${(results.invariants ?? []).length} (${(results.invariants ?? []).filter((i) => i.passed).length} held)${red.length ? `; red: ${red.map((x) => `${x.kind} ${x.name}`).join(', ')}` : ''}`);
} catch {
  console.log(`  no results.json (exit ${code}); demo said:\n${stdout.slice(-2000)}`);
}
if (samples.length < 3) process.exit(1);
// After warm-up: the second tenth of the run, whatever the sample count.
const warm = samples[Math.max(1, Math.round(sampleCount / 10) * 2 - 1)] ?? samples[1]!;
const end = samples[samples.length - 1]!;
const perPayment = payments > 0 ? ((end.total - warm.total) / (payments * ((end.t - warm.t) / seconds))) : NaN;
const slopeMiBPerMin = ((end.total - warm.total) / 2 ** 20 / (end.t - warm.t)) * 60;
console.log(`  RSS after warm-up (t=${warm.t.toFixed(0)} s) ${mib(warm.total)} MiB, end ${mib(end.total)} MiB: ratio end/warm-up ${(end.total / warm.total).toFixed(3)}`);
if (warm.heapAfterGc !== undefined && end.heapAfterGc !== undefined && payments > 0) {
  const heapPerPayment = (end.heapAfterGc - warm.heapAfterGc) / (payments * ((end.t - warm.t) / seconds));
  console.log(`  harness heap after GC ${(warm.heapAfterGc / 2 ** 20).toFixed(1)} → ${(end.heapAfterGc / 2 ** 20).toFixed(1)} MiB: ${heapPerPayment.toFixed(1)} bytes kept per payment`);
}
console.log(`  load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`  slope ${slopeMiBPerMin.toFixed(1)} MiB/min (${perPayment.toFixed(0)} bytes per payment); an hour at this rate: ${mib(end.total + (slopeMiBPerMin * 2 ** 20 * (3600 - end.t)) / 60)} MiB`);
await servers.stopAll();
rmSync(out, { recursive: true, force: true });
