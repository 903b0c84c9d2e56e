/**
 * RSS of the reference gateway over N payments, durable store on (SQLite file, WAL): the gateway
 * runs as the stack runs it, a child process (dist/gateway/main.js, so its RSS is its own), and
 * pays through an in-process Stripe simulator; the driver keeps BENCH_CONCURRENCY payments in
 * flight. The gateway's RSS (/proc/<pid>/status VmRSS) is sampled every tenth of the run.
 *
 * Reference: the gateway's own RSS after the first tenth (warm: JIT, pools, SQLite page cache
 * filled). Ratio: RSS at the end / RSS at the reference. Before issue #11 the gateway kept every
 * payment in maps (≈ 1 KB each: 1.1 GB at 1.15 M payments); with the store it should stay flat.
 *
 *   npx tsc -p tsconfig.bench.json && node dist/bench/gateway-memory.js
 *   knobs: BENCH_PAYMENTS=40000 BENCH_CONCURRENCY=32
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { startStripeSim } from '../simulators/index.js';
import { rssBytes } from './figures.js';

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 40_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SAMPLES = 10;

const mib = (b: number): string => (b / 1024 / 1024).toFixed(1);

const sim = await startStripeSim({ seed: 1 });
const dir = mkdtempSync(join(tmpdir(), 'paychaos-bench-gw-'));
const db = join(dir, 'gateway.db');
const main = fileURLToPath(new URL('../gateway/main.js', import.meta.url));
const config = { logLevel: 'silent', recovery: { intervalMs: 5_000 }, providers: { stripe: { url: sim.url } } };
const child = spawn(process.execPath, [main, '--db', db, '--port', '0'], { env: { ...process.env, PAYCHAOS_GATEWAY_CONFIG: JSON.stringify(config) }, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]!);
  });
  child.once('exit', (code) => reject(new Error(`gateway exited ${code}`)));
});
const pool = new Pool(url, { connections: CONCURRENCY });

let next = 0;
let failed = 0;
const samples: Array<{ payments: number; rssMiB: string; paymentsPerS: number }> = [];
const started = performance.now();
let sliceStart = started;
let sliceDone = 0;
let done = 0;
const every = Math.ceil(PAYMENTS / SAMPLES);
async function worker(): Promise<void> {
  for (let i = next++; i < PAYMENTS; i = next++) {
    const res = await pool.request({ method: 'POST', path: '/payments', headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${i}` }, body: JSON.stringify({ orderId: `bench-${i}`, amount: 1999, currency: 'USD', paymentMethod: 'pm_card_visa' }) });
    await res.body.dump();
    if (res.statusCode !== 201) failed++;
    done++;
    if (done % every === 0) {
      const now = performance.now();
      samples.push({ payments: done, rssMiB: mib(rssBytes(child.pid!)), paymentsPerS: Math.round(((done - sliceDone) * 1000) / (now - sliceStart)) });
      sliceStart = now;
      sliceDone = done;
    }
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const elapsedS = (performance.now() - started) / 1000;
for (const s of samples) console.log(JSON.stringify(s));
const reference = Number(samples[0]?.rssMiB ?? 0);
const end = Number(samples.at(-1)?.rssMiB ?? 0);
const dbBytes = statSync(db).size + (() => { try { return statSync(`${db}-wal`).size; } catch { return 0; } })();
console.log(JSON.stringify({ payments: PAYMENTS, failed, concurrency: CONCURRENCY, paymentsPerS: Math.round(PAYMENTS / elapsedS), rssAtFirstTenthMiB: reference, rssAtEndMiB: end, ratioEndToFirstTenth: +(end / reference).toFixed(3), dbMiB: mib(dbBytes) }));
await pool.close();
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await sim.close();
rmSync(dir, { recursive: true, force: true });
