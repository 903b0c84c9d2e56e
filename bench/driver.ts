/**
 * Benchmark: the built-in open-model driver against autocannon, same server, same run.
 *
 *   1. peak: autocannon (50 connections) vs the driver asked for far more than it can send with
 *      a 50-iteration cap, the full traffic model on (a fresh order, key and body per request,
 *      every answer classified). Prints both rates and the ratio (target ≥ 0.5).
 *   2. fixed rate: the driver at 5,000/s for 30 s (BENCH_RATE, BENCH_FIXED_S): achieved rate
 *      within 1% and 0 dropped iterations (targets), plus event-loop lag.
 *      Also the driver process's CPU share over that run (process.cpuUsage / wall time).
 *   3. memory: heap + array buffers sampled through the fixed-rate run; flat means bounded.
 *
 *   npm run bench -- driver
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Aggregator, round3 } from '../src/analysis/index.js';
import { HttpTarget, LagMonitor, planShopper, playShopper, runConstantArrivalRate, trafficConfig } from '../src/load/index.js';

const PEAK_S = Number(process.env.BENCH_PEAK_S ?? 5);
const RATE = Number(process.env.BENCH_RATE ?? 5000);
const FIXED_S = Number(process.env.BENCH_FIXED_S ?? 30);
const CONNECTIONS = 50;

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./driver-server.js', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`driver-server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, child };
}

async function autocannonRate(url: string): Promise<number> {
  const result = await autocannon({
    url: `${url}/payments`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'k' },
    body: JSON.stringify({ orderId: 'o1', amount: 1000, currency: 'eur', paymentMethod: 'pm_card_visa' }),
    connections: CONNECTIONS,
    duration: PEAK_S,
  });
  return result.requests.average;
}

/** Drive through the traffic model; returns requests answered per second and the run's stats. */
async function driverRun(url: string, rate: number, seconds: number, maxInFlight: number, onTick?: () => void) {
  const target = new HttpTarget(url, { connections: CONNECTIONS });
  // The whole model, but shoppers who pay once: the figure is requests per second.
  const traffic = trafficConfig({ runId: 'bench', seed: 7, behaviours: { pay: 1, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0 } });
  const agg = new Aggregator();
  const lag = new LagMonitor().start();
  let answered = 0;
  const tick = onTick ? setInterval(onTick, 1000) : undefined;
  const never = new AbortController().signal;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const stats = await runConstantArrivalRate({ rate, durationMs: seconds * 1000, maxInFlight }, (index, scheduledAt) =>
    playShopper(planShopper({ index, timeMs: scheduledAt - t0 }, traffic), scheduledAt, {
      targets: { baseline: target },
      t0,
      cut: never,
      record: (e) => {
        answered++;
        agg.record(e);
      },
      aborted: () => {},
    }),
  );
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // The driver process's CPU over the run, in cores: sending and classifying is real work; a
  // polling wait would add whatever the core has left on top (issue 19).
  const cpuCores = (cpu.user + cpu.system) / 1e6 / wallS;
  if (tick) clearInterval(tick);
  lag.stop();
  await target.close();
  return { stats, cpuCores, answeredPerS: answered / wallS, lagP99: lag.p99Ms(), latency: agg.snapshot().variants.baseline?.latencyMs };
}

const mem = (): number => {
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
};

const server = await startServer();
try {
  // Warm both (JIT, connections), then measure.
  await driverRun(server.url, 2000, 1, CONNECTIONS);
  const ac = await autocannonRate(server.url);
  const peak = await driverRun(server.url, 200_000, PEAK_S, CONNECTIONS);
  console.log(`peak, ${CONNECTIONS} connections, ${PEAK_S} s each`);
  console.log(`  autocannon (reference)     ${Math.round(ac).toLocaleString('en')} req/s (fixed body)`);
  console.log(`  paychaos driver            ${Math.round(peak.answeredPerS).toLocaleString('en')} req/s (traffic model: fresh order, key and body each, answers classified)`);
  console.log(`  ratio driver/autocannon    ${(peak.answeredPerS / ac).toFixed(2)}   target ≥ 0.50`);

  const samples: number[] = [];
  const fixed = await driverRun(server.url, RATE, FIXED_S, 10_000, () => samples.push(mem()));
  const achieved = fixed.stats.started / (fixed.stats.elapsedMs / 1000);
  console.log(`fixed arrival rate ${RATE.toLocaleString('en')}/s for ${FIXED_S} s`);
  console.log(`  achieved                   ${achieved.toFixed(1)}/s (${(((achieved - RATE) / RATE) * 100).toFixed(2)}%)   target within 1%`);
  console.log(`  dropped iterations         ${fixed.stats.dropped}   target 0`);
  console.log(`  event-loop lag p99         ${fixed.lagP99} ms`);
  console.log(`  driver process CPU         ${(fixed.cpuCores * 100).toFixed(0)} % of a core`);
  console.log(`  latency from schedule      p50 ${round3(fixed.latency?.p50 ?? 0)} ms, p99 ${round3(fixed.latency?.p99 ?? 0)} ms, max ${round3(fixed.latency?.max ?? 0)} ms`);
  const third = Math.max(1, Math.floor(samples.length / 3));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  console.log(`  memory (heap+buffers)      first third ${avg(samples.slice(0, third)).toFixed(1)} MiB, last third ${avg(samples.slice(-third)).toFixed(1)} MiB`);
} finally {
  server.child.kill('SIGTERM');
}
