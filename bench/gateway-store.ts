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
 * the outcome settled with its attempt, ledger entry and the key's stored answer — and, as in a
 * run against the Stripe simulator, its payment_intent.succeeded notification applied (found by
 * order, recorded in the inbox, the settle again: nothing new to book). BENCH_WEBHOOK=0 leaves the
 * notification out (the three phases alone, as this benchmark measured before issue #19's CPU work).
 *
 *   npx tsc -p tsconfig.build.json && npx tsc -p tsconfig.bench.json && node dist/bench/gateway-store.js
 *   knobs: BENCH_PAYMENTS=20000 BENCH_IN_FLIGHT=64 BENCH_ROUNDS=3 BENCH_WEBHOOK=1 BENCH_ONLY=per-phase|grouped
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayStore } from '../gateway/store/index.js';
import { applyWebhookEvent } from '../gateway/webhook-apply.js';
import { newPaymentId } from '../gateway/payment-id.js';
import { median } from './figures.js';

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 20_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 64);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WEBHOOK = process.env.BENCH_WEBHOOK !== '0';
const MODES = (['per-phase', 'grouped'] as const).filter((m) => process.env.BENCH_ONLY === undefined || process.env.BENCH_ONLY === m);

interface Figure {
  cpuUsPerPayment: number;
  paymentsPerS: number;
  commitsPerPayment: number;
  /** KiB written per payment (WAL frames and checkpoints); NaN where /proc/self/io is not there. */
  writtenKiBPerPayment: number;
}

/** Bytes this process has written (Linux /proc/self/io wchar: the WAL's frames and the checkpoints' pages); undefined elsewhere. */
function written(): number | undefined {
  try {
    return Number(/^wchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

async function onePayment(store: GatewayStore, alone: boolean): Promise<void> {
  // The gateway's own payment ids (time-ordered, gateway/payment-id.ts); random keys, orders and
  // Stripe ids, as a shop's and Stripe's are: each of those lands on its own leaf of its index, as in a run.
  const id = randomUUID();
  const key = `k-${id}`;
  const paymentId = newPaymentId();
  store.keys.claim(key, 'f', store.boot, store.now(), 90_000);
  if (alone) await store.durable();
  const attempt = store.createPayment(key, { paymentId, orderId: `o-${id}`, amount: 1000, currency: 'eur', paymentMethod: 'pm_card_visa', provider: 'stripe', providerKey: `gw-${key}`, providerReference: `o-${id}`, variant: 'baseline' }, true)!;
  await store.durable();
  const result = { outcome: 'succeeded', providerStatus: 200 };
  store.settlePayment(paymentId, { status: 'succeeded', httpStatus: 201, providerPaymentId: `pi_${id}` }, (p) => ({ status: 201, body: { paymentId: p.paymentId, status: p.status } }), { id: attempt, result, durationMs: 1 });
  await store.durable();
  if (!WEBHOOK) return;
  applyWebhookEvent(store, { provider: 'stripe', eventId: `evt_${id}`, type: 'payment.succeeded', providerType: 'payment_intent.succeeded', providerPaymentId: `pi_${id}`, merchantReference: `o-${id}`, amount: 1000, currency: 'eur' });
  await store.durable();
}

async function measure(mode: 'per-phase' | 'grouped'): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'paychaos-store-bench-'));
  const store = new GatewayStore({ path: join(dir, 'gw.db') });
  try {
    const groups = store.groups;
    const wrote = written();
    const cpu = process.cpuUsage();
    const started = performance.now();
    if (mode === 'per-phase') {
      for (let i = 0; i < PAYMENTS; i++) await onePayment(store, true);
    } else {
      let next = 0;
      const worker = async (): Promise<void> => {
        // A new payment each turn, as requests arrive: one turn's phases land in one group.
        while (next < PAYMENTS) {
          next++;
          await onePayment(store, false);
          await new Promise((r) => setImmediate(r));
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    }
    const wallS = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const wroteNow = written();
    return { cpuUsPerPayment: (used.user + used.system) / PAYMENTS, paymentsPerS: PAYMENTS / wallS, commitsPerPayment: (store.groups - groups) / PAYMENTS, writtenKiBPerPayment: wrote !== undefined && wroteNow !== undefined ? (wroteNow - wrote) / 1024 / PAYMENTS : NaN };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const figures: Record<'per-phase' | 'grouped', Figure[]> = { 'per-phase': [], grouped: [] };
for (let r = 0; r < ROUNDS; r++) {
  // Alternating, so the machine's other load falls on both alike.
  for (const mode of MODES) figures[mode].push(await measure(mode));
}
const summary = (fs: Figure[]) => fs.length === 0 ? { cpuUsPerPayment: NaN, paymentsPerS: NaN, commitsPerPayment: NaN, writtenKiBPerPayment: NaN } : ({
  cpuUsPerPayment: Math.round(median(fs.map((f) => f.cpuUsPerPayment)) * 10) / 10,
  writtenKiBPerPayment: Math.round(median(fs.map((f) => f.writtenKiBPerPayment)) * 10) / 10,
  paymentsPerS: Math.round(median(fs.map((f) => f.paymentsPerS))),
  commitsPerPayment: Math.round(median(fs.map((f) => f.commitsPerPayment)) * 1000) / 1000,
});
const perPhase = summary(figures['per-phase']);
const grouped = summary(figures.grouped);
console.log(JSON.stringify({ payments: PAYMENTS, inFlight: IN_FLIGHT, rounds: ROUNDS, webhook: WEBHOOK, perPhase, grouped, roundsCpuUs: { perPhase: figures['per-phase'].map((f) => Math.round(f.cpuUsPerPayment)), grouped: figures.grouped.map((f) => Math.round(f.cpuUsPerPayment)) } }));
console.log(`store per payment: per-phase ${perPhase.cpuUsPerPayment} µs CPU (${perPhase.commitsPerPayment} commits, ${perPhase.writtenKiBPerPayment} KiB written) · grouped ${grouped.cpuUsPerPayment} µs CPU (${grouped.commitsPerPayment} commits, ${grouped.writtenKiBPerPayment} KiB written) · ratio CPU grouped/per-phase ${(grouped.cpuUsPerPayment / perPhase.cpuUsPerPayment).toFixed(2)}`);
