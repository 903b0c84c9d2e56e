/**
 * Benchmark: the whole loop on one machine (issue #19) — `paychaos demo` (driver → reference
 * gateway → embedded proxy → simulators, each part in its own process) at increasing arrival
 * rates, for the cards mix and for `--mix all`, each run with a warm-up before its measured window.
 *
 * A rate is *held* when the measured window achieved it within 1 % with 0 dropped iterations and
 * its p99 stayed under the bound: 50 ms for cards; for `--mix all`, per provider, 50 ms for a card
 * acquirer and, for a wallet, the gateway's designed wait (it polls a wallet payment for up to
 * `settleWithinMs`, 3 s by default, before it answers pending) plus 50 ms.
 *
 * Reference, measured in the same run: the harness alone — `paychaos run --target` at a trivial
 * server answering like the reference gateway (bench/driver-server.ts), same scenario shape,
 * same warm-up — so the ratio says how much of the harness's own ceiling the payment stack keeps.
 *
 * Printed per rate: achieved rate, dropped, p99, and each part's CPU per shopper (µs, from
 * results.parts, measured over the measured window). Then the highest rate held per ladder, and
 * what bounded the next one (the part with the most CPU per shopper, the driver's loop lag).
 * The memory figure (RSS over BENCH_MEMORY_S at BENCH_MEMORY_RATE) is bench/run-memory.ts, run
 * as a child so it is measured the one way.
 *
 *   npx tsc -p tsconfig.build.json && npx tsc -p tsconfig.bench.json && node dist/bench/stack.js
 *   (or npm run bench -- stack)
 *   knobs: BENCH_SECONDS=15 BENCH_WARMUP=3s BENCH_CARDS_RATES=1000,2000,3000,4000,5000
 *          BENCH_ALL_RATES=250,500,1000,1500,2000 BENCH_REF_RATES=2000,4000,6000,8000
 *          BENCH_MEMORY_S=600 BENCH_MEMORY_RATE=2000 (BENCH_MEMORY_S=0 skips it)
 *          BENCH_ONLY=ref|cards|all|memory (one phase)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Children } from './children.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP = process.env.BENCH_WARMUP ?? '3s';
const rates = (name: string, fallback: string): number[] => (process.env[name] ?? fallback).split(',').map(Number).filter((n) => n > 0);
const CARDS_RATES = rates('BENCH_CARDS_RATES', '1000,2000,3000,4000,5000');
const ALL_RATES = rates('BENCH_ALL_RATES', '250,500,1000,1500,2000');
const REF_RATES = rates('BENCH_REF_RATES', '2000,4000,6000,8000');
const MEMORY_S = Number(process.env.BENCH_MEMORY_S ?? 600);
const MEMORY_RATE = Number(process.env.BENCH_MEMORY_RATE ?? 2000);
const ONLY = process.env.BENCH_ONLY;

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const CARD_ACQUIRERS = new Set(['stripe', 'adyen', 'unionpay']);
const CARD_P99_MS = 50;
const WALLET_WAIT_MS = 3000 + 50;

interface Results {
  load: { targetRate: number; achievedRate: number; droppedIterations: number; scheduledIterations: number; eventLoopLagP99Ms: number };
  variants: Record<string, { requests: number; latencyMs: { p99: number }; byProvider: Record<string, { requests: number; latencyMs: { p99: number } }> }>;
  parts?: Array<{ name: string; cpuS: number; cores: number }>;
  warmup?: { requests: number; durationS: number; extendedS?: number; settled?: boolean; latencyMs?: { p99: number } };
}

interface Step {
  readonly rate: number;
  readonly exit: number | null;
  readonly results?: Results;
  readonly held: boolean;
  readonly why: string;
}

/** One run of the CLI into a fresh directory; its results.json, or why there is none. */
async function runCli(args: readonly string[], out: string): Promise<{ exit: number | null; results?: Results; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exit = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    return { exit, results: JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results, stderr };
  } catch {
    return { exit, stderr };
  }
}

/** Held within 1 %, 0 dropped, p99 under the bound — or the first reason it was not. */
function judge(r: Results, mix: 'cards' | 'all' | 'ref'): { held: boolean; why: string } {
  const { targetRate, achievedRate, droppedIterations } = r.load;
  if (Math.abs(achievedRate - targetRate) / targetRate > 0.01) return { held: false, why: `achieved ${achievedRate}/s` };
  if (droppedIterations > 0) return { held: false, why: `${droppedIterations} dropped` };
  const base = r.variants.baseline!;
  if (mix !== 'all') return base.latencyMs.p99 < CARD_P99_MS ? { held: true, why: '' } : { held: false, why: `p99 ${base.latencyMs.p99.toFixed(1)} ms` };
  for (const [provider, p] of Object.entries(base.byProvider)) {
    const bound = CARD_ACQUIRERS.has(provider) ? CARD_P99_MS : WALLET_WAIT_MS;
    if (p.latencyMs.p99 >= bound) return { held: false, why: `${provider} p99 ${p.latencyMs.p99.toFixed(0)} ms ≥ ${bound}` };
  }
  return { held: true, why: '' };
}

const shoppersOf = (r: Results): number => r.load.scheduledIterations - r.load.droppedIterations;
const cpuPerShopper = (r: Results): string =>
  (r.parts ?? [])
    .filter((p) => p.cpuS > 0)
    .map((p) => `${p.name} ${Math.round((p.cpuS * 1e6) / Math.max(1, shoppersOf(r)))}`)
    .join(', ');

/** How long the warm-up took to settle (it goes on while start-up's queue drains). */
const warmupNote = (r: Results): string =>
  r.warmup ? `\n      warm-up ${r.warmup.durationS.toFixed(1)} s${r.warmup.extendedS ? ` (held ${r.warmup.extendedS.toFixed(1)} s longer to settle)` : ''}${r.warmup.settled === false ? ', NOT settled' : ''}, its p99 ${r.warmup.latencyMs?.p99.toFixed(0) ?? '—'} ms` : '';

function printStep(label: string, s: Step): void {
  const r = s.results;
  if (!r) {
    console.log(`  ${label} ${String(s.rate).padStart(5)}/s  no results (exit ${s.exit}): ${s.why}`);
    return;
  }
  const base = r.variants.baseline!;
  const providers = Object.keys(base.byProvider).length > 1 ? `  [${Object.entries(base.byProvider).map(([p, v]) => `${p} ${v.latencyMs.p99.toFixed(0)}`).join(', ')}]` : '';
  console.log(
    `  ${label} ${String(s.rate).padStart(5)}/s  achieved ${String(r.load.achievedRate).padStart(6)}  dropped ${String(r.load.droppedIterations).padStart(6)}  p99 ${base.latencyMs.p99.toFixed(1).padStart(7)} ms` +
      `  lag p99 ${r.load.eventLoopLagP99Ms.toFixed(0)} ms  ${s.held ? 'HELD' : `not held: ${s.why}`}${providers}\n      CPU µs/shopper: ${cpuPerShopper(r)}${warmupNote(r)}`,
  );
}

/** Ascending rates until the first one not held. */
async function ladder(label: string, mix: 'cards' | 'all' | 'ref', rateList: readonly number[], argsFor: (rate: number) => string[]): Promise<Step[]> {
  const steps: Step[] = [];
  for (const rate of rateList) {
    const out = mkdtempSync(join(tmpdir(), `paychaos-bench-stack-${mix}-`));
    try {
      const { exit, results, stderr } = await runCli(argsFor(rate), out);
      // Exit 1 is a run whose checks failed (an overloaded run usually is): its figures stand.
      const step: Step = results ? { rate, exit, results, ...judge(results, mix) } : { rate, exit, held: false, why: stderr.trim().split('\n').slice(-2).join(' ') };
      printStep(label, step);
      steps.push(step);
      if (!step.held) break;
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  return steps;
}

const highest = (steps: readonly Step[]): number => Math.max(0, ...steps.filter((s) => s.held).map((s) => s.rate));

function boundOf(steps: readonly Step[]): string {
  const failed = steps.find((s) => !s.held);
  const r = failed?.results;
  if (!failed || !r) return failed ? failed.why : 'every rate asked was held: raise the ladder';
  const parts = [...(r.parts ?? [])].sort((a, b) => b.cores - a.cores);
  const top = parts[0];
  return `at ${failed.rate}/s: ${failed.why}; busiest part ${top ? `${top.name} (${top.cores.toFixed(2)} cores)` : '?'}, driver loop lag p99 ${r.load.eventLoopLagP99Ms.toFixed(0)} ms; all parts ${parts.reduce((s, p) => s + p.cores, 0).toFixed(2)} of ${cpus().length} cores`;
}

const javaPresent = (): boolean => spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
const demoArgs = (mix: string) => (rate: number) => ['demo', '--mix', mix, '--rate', String(rate), '--duration', `${SECONDS}s`, '--warmup', WARMUP, '--seed', '1', '--log-level', 'warn'];

console.log(`bench stack: ${SECONDS} s measured after ${WARMUP} warm-up per rate; ${cpus().length} cores; load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const summary: string[] = [];
const children = new Children();
try {
  let reference = 0;
  if (!ONLY || ONLY === 'ref') {
    const { info } = await children.start<{ port: number }>(new URL('./driver-server.js', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-bench-stack-scenario-'));
    try {
      console.log('\nreference: the harness alone (paychaos run --target a trivial server)');
      const steps = await ladder('ref  ', 'ref', REF_RATES, (rate) => {
        const file = join(dir, `ref-${rate}.yaml`);
        writeFileSync(file, `name: harness-alone\ndescription: the harness alone against a trivial server (bench/stack reference)\nload:\n  executor: constant-arrival-rate\n  rate: ${rate}\n  duration: ${SECONDS}s\n  warmup: ${WARMUP}\n  mix: cards\n`);
        return ['run', '--target', `http://127.0.0.1:${info.port}`, '--progress', 'off', file];
      });
      reference = highest(steps);
      summary.push(`reference, harness alone: ${reference}/s held (${boundOf(steps)})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await children.stopAll();
    }
  }
  const ratio = (held: number): string => (reference > 0 ? ` = ${(held / reference).toFixed(3)} of the harness alone` : '');
  if (!ONLY || ONLY === 'cards') {
    console.log('\ncards: paychaos demo --mix cards');
    const steps = await ladder('cards', 'cards', CARDS_RATES, demoArgs('cards'));
    summary.push(`cards: ${highest(steps)}/s held with p99 < ${CARD_P99_MS} ms${ratio(highest(steps))} (target ≥ 4,000/s); bound ${boundOf(steps)}`);
  }
  if (!ONLY || ONLY === 'all') {
    if (!javaPresent()) summary.push('--mix all: skipped, no java on PATH (its WireMock provider needs Java 17)');
    else {
      console.log('\nall: paychaos demo --mix all');
      const steps = await ladder('all  ', 'all', ALL_RATES, demoArgs('all'));
      summary.push(`--mix all: ${highest(steps)}/s held${ratio(highest(steps))} (target ≥ 1,500/s); bound ${boundOf(steps)}`);
    }
  }
  console.log('\nsummary');
  for (const line of summary) console.log(`  ${line}`);
  console.log(`  load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if ((!ONLY || ONLY === 'memory') && MEMORY_S > 0) {
    console.log(`\nmemory: bench/run-memory at ${MEMORY_RATE}/s for ${MEMORY_S} s (target: RSS within 10 % from minute 2 to minute 10)`);
    const res = spawnSync(process.execPath, [fileURLToPath(new URL('./run-memory.js', import.meta.url))], { stdio: 'inherit', env: { ...process.env, BENCH_RATE: String(MEMORY_RATE), BENCH_SECONDS: String(MEMORY_S), BENCH_MIX: 'cards' } });
    if (res.status !== 0) process.exitCode = 1;
  }
} finally {
  await children.stopAll();
}
