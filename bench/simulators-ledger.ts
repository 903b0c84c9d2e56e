/**
 * Memory of the simulator ledger for N payments, in its own process (run with --expose-gc):
 * each payment writes what a confirmed Stripe PaymentIntent writes — an authorisation and a
 * capture with realistic ids (pi_…, order id, idempotency key, trace id, ch_… reference).
 * Prints one JSON line: {"payments", "entries", "bytes", "rssBytes", "nsPerEntry"}, where
 * `bytes` is heap + array buffers held by the ledger after a full GC, and `nsPerEntry` the fill
 * time per entry including building its ids here.
 */
import { Ledger } from '../simulators/core/index.js';

const payments = Number(process.argv[2] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with --expose-gc');
  process.exit(2);
}
const held = (): number => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
const before = held();
const ledger = new Ledger('stripe');
const started = process.hrtime.bigint();
for (let i = 0; i < payments; i++) {
  const paymentId = `pi_3Q${hex(i, 22)}`;
  const base = {
    paymentId,
    orderId: `order-bench-${i}`,
    idempotencyKey: `idem-bench-${hex(i * 2654435761, 12)}-${i}`,
    amount: 1999,
    currency: 'usd',
    traceId: `${hex(i, 16)}${hex(i * 31, 16)}`,
    reference: `ch_3Q${hex(i, 22)}`,
  };
  ledger.append({ kind: 'authorization', ...base });
  ledger.append({ kind: 'capture', ...base });
}
const elapsedNs = Number(process.hrtime.bigint() - started);
const bytes = held() - before;
console.log(JSON.stringify({ payments, entries: ledger.size, bytes, rssBytes: process.memoryUsage().rss, nsPerEntry: elapsedNs / ledger.size }));
