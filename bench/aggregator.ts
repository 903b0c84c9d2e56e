/**
 * Benchmark: the streaming aggregator's cost per event, against the reference of recording the
 * same latencies straight into one bare HDR histogram (the least any histogram-based aggregator
 * can do), measured in the same run. Also shows that memory stays flat as events grow (no
 * samples kept).
 *
 *   node dist/bench/aggregator.js      (or: npm run bench -- aggregator)
 */
import * as hdr from 'hdr-histogram-js';
import { Aggregator, type PaymentEvent } from '../src/analysis/index.js';
import { seededRng } from '../src/load/index.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const rng = seededRng(1);
const codes = ['card_declined', 'insufficient_funds', 'provider_error'] as const;
const events: PaymentEvent[] = Array.from({ length: EVENTS }, (_, i) => {
  const r = rng();
  return {
    t: i, // one event per ms → EVENTS/1000 per-second buckets
    variant: r < 0.9 ? 'baseline' : 'canary',
    provider: r < 0.5 ? 'stripe' : 'adyen',
    outcome: r < 0.95 ? 'succeeded' : 'failed',
    ...(r >= 0.95 ? { errorCode: codes[i % 3]! } : {}),
    latencyMs: 1 + Math.exp(rng() * 5),
    status: 201,
    orderId: `o${i}`,
    idempotencyKey: `k${i}`,
  };
});

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const gc = (globalThis as { gc?: () => void }).gc;
const heap = (): number => {
  gc?.();
  // Histogram counts live in ArrayBuffers, outside the JS heap proper.
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

// Warm both paths so the JIT has compiled them before timing.
const warm = new Aggregator();
for (let i = 0; i < 50_000; i++) warm.record(events[i]!);

const referenceMs = time(() => {
  const h = hdr.build({ bitBucketSize: 32, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
  for (const e of events) h.recordValue(Math.round(e.latencyMs * 1000));
});

const before = heap();
const agg = new Aggregator();
const half = Math.floor(EVENTS / 2);
const aggregatorMs = time(() => {
  for (const e of events) agg.record(e);
});
const afterAll = heap();
// Memory growth between half and all events shows whether it scales with event count.
const agg2 = new Aggregator();
const b2 = heap();
for (let i = 0; i < half; i++) agg2.record(events[i]!);
const afterHalf = heap();
const snapshotMs = time(() => void agg.snapshot());
if (agg2.requests !== half || agg.requests !== EVENTS) throw new Error('aggregator lost events'); // also keeps both alive past the measurements

const ns = (ms: number): string => ((ms * 1e6) / EVENTS).toFixed(0);
console.log(`events                     ${EVENTS.toLocaleString('en')}`);
console.log(`reference (bare HDR)       ${ns(referenceMs)} ns/event   ${(EVENTS / (referenceMs / 1000) / 1e6).toFixed(2)} M events/s`);
console.log(`aggregator                 ${ns(aggregatorMs)} ns/event   ${(EVENTS / (aggregatorMs / 1000) / 1e6).toFixed(2)} M events/s`);
console.log(`ratio aggregator/reference ${(aggregatorMs / referenceMs).toFixed(2)}× the cost of one bare histogram`);
console.log(`snapshot                   ${snapshotMs.toFixed(1)} ms`);
console.log(`heap: ${half.toLocaleString('en')} events ${((afterHalf - b2) / 2 ** 20).toFixed(1)} MiB, ${EVENTS.toLocaleString('en')} events ${((afterAll - before) / 2 ** 20).toFixed(1)} MiB (per-second buckets settle after 60 s)`);
