/**
 * Is a simulator's memory flat in the run's length once its caches are full (issue #19)? The
 * Stripe simulator, in this process (run with --expose-gc), takes N confirmed PaymentIntents
 * through its HTTP routes (fastify inject: no sockets, so only the simulator's own memory moves)
 * with `retain` R: past R payments per kind its objects and idempotency keys spill to SQLite.
 * Every N/12 payments: the heap after two full collections, and RSS. Reference in the same run:
 * the heap once the caches are full (2R payments); printed: the heap at the end against it (ratio)
 * and the slope past it in bytes per payment — what an hour would add.
 *
 *   npx tsc -p tsconfig.bench.json && node --expose-gc dist/bench/simulator-memory.js
 *   knobs: BENCH_RETAIN=20000 BENCH_PAYMENTS=300000   (or: npm run bench -- simulator-memory)
 */
import { loadavg } from 'node:os';
import { encodeForm } from '../simulators/core/index.js';
import { buildStripeSim } from '../simulators/stripe/index.js';

const retain = Number(process.env.BENCH_RETAIN ?? 20_000);
const payments = Number(process.env.BENCH_PAYMENTS ?? 300_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with --expose-gc');
  process.exit(2);
}
if (!(retain >= 1 && payments >= 4 * retain)) {
  console.error(`BENCH_PAYMENTS (${payments}) must be at least 4 × BENCH_RETAIN (${retain}): the slope is measured past the full caches`);
  process.exit(2);
}

interface Sample {
  readonly payments: number;
  readonly heap: number;
  readonly rss: number;
}
const mib = (b: number): string => (b / 2 ** 20).toFixed(1);
const sample = (n: number): Sample => {
  gc();
  gc();
  const m = process.memoryUsage();
  return { payments: n, heap: m.heapUsed + m.arrayBuffers, rss: m.rss };
};

console.log(`simulator-memory: Stripe simulator in process, retain ${retain}, ${payments} payments; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const sim = buildStripeSim({ seed: 19, retain });
const every = Math.floor(payments / 12);
const samples: Sample[] = [];
const started = performance.now();
for (let i = 0; i < payments; i++) {
  const res = await sim.app.inject({
    method: 'POST',
    url: '/v1/payment_intents',
    payload: encodeForm({ amount: 1000 + (i % 97), currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: `order_${i.toString(36).padStart(10, '0')}` } }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': `6f1c2e2a-9b7d-4d1e-8a0b-${i.toString(16).padStart(12, '0')}` },
  });
  if (res.statusCode !== 200) {
    console.error(`payment ${i}: HTTP ${res.statusCode} ${res.body.slice(0, 200)}`);
    process.exit(1);
  }
  if ((i + 1) % every === 0) {
    // The spill of this turn's evictions happens at the end of the turn: let it run before measuring.
    await new Promise((r) => setImmediate(r));
    const s = sample(i + 1);
    samples.push(s);
    console.log(`  ${String(s.payments).padStart(8)} payments  heap after GC ${mib(s.heap).padStart(7)} MiB  RSS ${mib(s.rss).padStart(7)} MiB  ${(((performance.now() - started) / (i + 1)) * 1000).toFixed(0)} µs/payment`);
  }
}
await sim.app.close();
const full = samples.find((s) => s.payments >= 2 * retain)!;
const end = samples[samples.length - 1]!;
const slope = (end.heap - full.heap) / (end.payments - full.payments);
console.log(`heap with the caches full (${full.payments} payments) ${mib(full.heap)} MiB, at the end (${end.payments}) ${mib(end.heap)} MiB: ratio ${(end.heap / full.heap).toFixed(3)}, slope ${slope.toFixed(1)} bytes per payment (an hour at 2,000/s: ${mib(slope * 7_200_000)} MiB more)`);
console.log(`RSS ${mib(full.rss)} → ${mib(end.rss)} MiB (ratio ${(end.rss / full.rss).toFixed(3)}); load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
