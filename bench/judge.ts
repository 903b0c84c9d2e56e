/**
 * Benchmark: the canary judge over 10 million requests per variant (issue target: < 5 s, bounded
 * memory). Latencies live in HDR histograms, so the rank test runs over distinct values, not
 * samples. Reference, measured in the same run: what a sample-based rank test must do at least —
 * sort both variants' raw latencies (Float64Array, 8 bytes a sample).
 *
 *   npm run bench -- judge          (BENCH_SAMPLES to change the 10 M)
 */
import { judgeCanary, variantDataOf, DEFAULT_JUDGE_CONFIG, VariantAggregate, type PaymentEvent } from '../src/analysis/index.js';
import { seededRng } from '../src/load/index.js';

const N = Number(process.env.BENCH_SAMPLES ?? 10_000_000);
const rng = seededRng(42);
const lognormal = (median: number, sigma: number): number => {
  // Box–Muller: a normal draw, exponentiated.
  const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return median * Math.exp(sigma * z);
};

const mem = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
};

function fill(agg: VariantAggregate, median: number, errorRate: number, raw: Float64Array): void {
  // Three reusable events (the aggregator keeps none of them), so filling 10 M stays quick.
  const base = { t: 0, variant: 'baseline', provider: 'stripe', status: 201, orderId: 'o', idempotencyKey: 'k', latencyMs: 0 } as const;
  const events = [
    { ...base, outcome: 'succeeded' },
    { ...base, outcome: 'failed', errorCode: 'card_declined' },
    { ...base, outcome: 'failed', errorCode: 'insufficient_funds' },
  ] as Array<{ -readonly [K in keyof PaymentEvent]: PaymentEvent[K] }>;
  for (let i = 0; i < N; i++) {
    const e = events[rng() < errorRate ? 1 + (i % 2) : 0]!;
    e.latencyMs = raw[i] = lognormal(median, 0.6);
    agg.record(e);
  }
}

const baseline = new VariantAggregate();
const canary = new VariantAggregate();
const rawBaseline = new Float64Array(N);
const rawCanary = new Float64Array(N);
const t0 = performance.now();
fill(baseline, 40, 0.02, rawBaseline);
fill(canary, 44, 0.03, rawCanary);
const fillS = (performance.now() - t0) / 1000;

const before = mem();
const j0 = performance.now();
const report = judgeCanary(variantDataOf(baseline), variantDataOf(canary), DEFAULT_JUDGE_CONFIG);
const judgeS = (performance.now() - j0) / 1000;
const judgeMiB = mem() - before;

const r0 = performance.now();
rawBaseline.sort();
rawCanary.sort();
const sortS = (performance.now() - r0) / 1000;

console.log(`requests per variant        ${N.toLocaleString('en')} (recorded in ${fillS.toFixed(1)} s)`);
console.log(`judge (histogram ranks)     ${judgeS.toFixed(2)} s   target < 5 s   verdict ${report.verdict}, score ${report.score}`);
console.log(`reference: sort raw samples ${sortS.toFixed(2)} s   (${((2 * N * 8) / 2 ** 20).toFixed(0)} MiB of samples; a rank test cannot do less)`);
console.log(`ratio judge / reference     ${(judgeS / sortS).toFixed(3)}`);
console.log(`memory held by the judge    ${judgeMiB.toFixed(1)} MiB (histograms: fixed, whatever N)`);
for (const m of report.metrics) console.log(`  ${m.name}: ${m.classification}`);
