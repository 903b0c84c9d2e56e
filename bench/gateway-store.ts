/**
 * The gateway store's own cost per payment, in process, on a file (WAL, synchronous NORMAL), with
 * and without group commit — CPU time, so the figure holds on a machine other work is loading.
 *
 *   per-phase: one payment at a time, each phase awaited alone — one COMMIT per phase, as the store
 *              committed before group commit (the reference);
 *   grouped:   BENCH_IN_FLIGHT payments at once, a phase each per turn, as a loaded gateway runs
 *              them — the phases of a turn share one COMMIT.
 *
 * A payment is the gateway's three phases: the key claimed; the payment and its attempt created;
 * the outcome settled with its attempt, ledger entry and the key's stored answer.
 *
 *   npx tsc -p tsconfig.build.json && npx tsc -p tsconfig.bench.json && node dist/bench/gateway-store.js
 *   knobs: BENCH_PAYMENTS=20000 BENCH_IN_FLIGHT=64 BENCH_ROUNDS=3
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayStore } from '../gateway/store/index.js';
import { median } from './figures.js';

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 20_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Figure {
  cpuUsPerPayment: number;
  paymentsPerS: number;
  commitsPerPayment: number;
}

async function onePayment(store: GatewayStore, n: number, alone: boolean): Promise<void> {
  const key = `k${n}`;
  const paymentId = `pay_${n}`;
  store.keys.claim(key, 'f', store.boot, store.now(), 90_000);
  if (alone) await store.durable();
  const attempt = store.createPayment(key, { paymentId, orderId: `o${n}`, amount: 1000, currency: 'eur', paymentMethod: 'pm_card_visa', provider: 'stripe', providerKey: `gw-${key}`, providerReference: `o${n}`, variant: 'baseline' }, true)!;
  await store.durable();
  const result = { outcome: 'succeeded', providerStatus: 200 };
  store.settlePayment(paymentId, { status: 'succeeded', httpStatus: 201, providerPaymentId: `pi_${n}` }, (p) => ({ status: 201, body: { paymentId: p.paymentId, status: p.status } }), { id: attempt, result, durationMs: 1 });
  await store.durable();
}

async function measure(mode: 'per-phase' | 'grouped', round: number): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'paychaos-store-bench-'));
  const store = new GatewayStore({ path: join(dir, 'gw.db') });
  try {
    const base = round * PAYMENTS * 10;
    const groups = store.groups;
    const cpu = process.cpuUsage();
    const started = performance.now();
    if (mode === 'per-phase') {
      for (let i = 0; i < PAYMENTS; i++) await onePayment(store, base + i, true);
    } else {
      let next = 0;
      const worker = async (): Promise<void> => {
        // A new payment each turn, as requests arrive: one turn's phases land in one group.
        while (next < PAYMENTS) {
          await onePayment(store, base + next++, false);
          await new Promise((r) => setImmediate(r));
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    }
    const wallS = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return { cpuUsPerPayment: (used.user + used.system) / PAYMENTS, paymentsPerS: PAYMENTS / wallS, commitsPerPayment: (store.groups - groups) / PAYMENTS };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const figures: Record<'per-phase' | 'grouped', Figure[]> = { 'per-phase': [], grouped: [] };
for (let r = 0; r < ROUNDS; r++) {
  // Alternating, so the machine's other load falls on both alike.
  for (const mode of ['per-phase', 'grouped'] as const) figures[mode].push(await measure(mode, r * 2 + (mode === 'grouped' ? 1 : 0)));
}
const summary = (fs: Figure[]) => ({
  cpuUsPerPayment: Math.round(median(fs.map((f) => f.cpuUsPerPayment)) * 10) / 10,
  paymentsPerS: Math.round(median(fs.map((f) => f.paymentsPerS))),
  commitsPerPayment: Math.round(median(fs.map((f) => f.commitsPerPayment)) * 1000) / 1000,
});
const perPhase = summary(figures['per-phase']);
const grouped = summary(figures.grouped);
console.log(JSON.stringify({ payments: PAYMENTS, inFlight: IN_FLIGHT, rounds: ROUNDS, perPhase, grouped }));
console.log(`store per payment: per-phase ${perPhase.cpuUsPerPayment} µs CPU (${perPhase.commitsPerPayment} commits) · grouped ${grouped.cpuUsPerPayment} µs CPU (${grouped.commitsPerPayment} commits) · ratio CPU grouped/per-phase ${(grouped.cpuUsPerPayment / perPhase.cpuUsPerPayment).toFixed(2)}`);
