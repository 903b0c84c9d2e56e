import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PaymentEvent } from '../../../src/analysis/index.js';
import type { ShopperPlan } from '../../../src/load/index.js';
import { Recorder } from '../../../src/run/index.js';
import { forceGc } from '../../helpers/force-gc.js';

const gc = forceGc;

/** What a run feeds the recorder per shopper: the order as it is placed, then its answer. */
interface Sink {
  placing(plan: ShopperPlan): void;
  payment(event: PaymentEvent): void;
}

function shopper(i: number): { plan: ShopperPlan; event: PaymentEvent } {
  const orderId = `order_${i.toString(36).padStart(8, '0')}`;
  const amount = 1000 + (i % 500);
  const plan = { variant: 'baseline', provider: 'stripe', currency: 'usd', amount, orderId, behaviour: 'pay', expect: { refunds: [], cancel: false } } as unknown as ShopperPlan;
  const failed = i % 20 === 0;
  const event: PaymentEvent = {
    // Scheduled starts stay inside the same 30 s, so the per-second timeline is the same size at
    // every mark: what is measured is what scales with payments, not with run seconds.
    t: i % 30_000,
    variant: 'baseline',
    provider: 'stripe',
    method: 'card',
    outcome: failed ? 'failed' : 'succeeded',
    ...(failed ? { errorCode: 'card_declined' as const } : {}),
    latencyMs: 1 + (i % 97),
    status: failed ? 402 : 201,
    orderId,
    amount,
    currency: 'usd',
    idempotencyKey: `key_${i.toString(36).padStart(10, '0')}_${'k'.repeat(16)}`,
    behaviour: 'pay',
    traceId: i.toString(16).padStart(32, '0'),
    providerPaymentId: `pi_${i.toString(36).padStart(24, '0')}`,
    providerReference: orderId,
  };
  return { plan, event };
}

/** Heap kept after a full collection, once the recorder's per-turn SQLite queue has been written. */
async function heapKept(): Promise<number> {
  await new Promise((r) => setImmediate(r));
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Feeds `to - from` shoppers, yielding to the event loop as the driver does (the recorder writes
 * its queue once per turn).
 */
async function feed(sink: Sink, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    const { plan, event } = shopper(i);
    sink.placing(plan);
    sink.payment(event);
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
  }
}

const N = 15_000;
/** 60,000 shoppers through SQLite take 3–8 s here; room for a loaded machine. */
const TIMEOUT_MS = 90_000;
/**
 * Bytes per payment the heap may grow between the N and the 4N mark. The leak issue 19 hunted was
 * ≈ 500 B per payment; a recorder that kept each event would keep ≥ 300 B. What the recorder does
 * keep per payment is nothing (everything per order is in SQLite): what remains is GC noise and
 * JIT code, well under 1 MiB over 45,000 payments.
 */
const BOUND_BYTES_PER_PAYMENT = 40;

/** Heap kept per payment between N and 4N payments through `sink`. */
async function slope(sink: Sink): Promise<number> {
  await feed(sink, 0, N);
  const atN = await heapKept();
  await feed(sink, N, 4 * N);
  const at4N = await heapKept();
  return (at4N - atN) / (3 * N);
}

describe('the recorder keeps nothing per payment in memory (issue 19: flat memory in the run length)', () => {
  const opened: Array<{ recorder: Recorder; dir: string }> = [];
  const open = async (): Promise<Recorder> => {
    const dir = await mkdtemp(join(tmpdir(), 'paychaos-recorder-memory-'));
    const recorder = await Recorder.open({ outDir: dir, runId: 'r-mem', scenario: 'memory', paychaosVersion: '0.0.0' });
    opened.push({ recorder, dir });
    return recorder;
  };
  afterEach(async () => {
    for (const { recorder, dir } of opened.splice(0)) {
      await recorder.close();
      recorder.orders.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('holds the same heap after 4N payments as after N (aggregates, exemplars, orders on disk, events streamed)', async () => {
    const recorder = await open();
    const perPayment = await slope(recorder);
    expect(perPayment).toBeLessThan(BOUND_BYTES_PER_PAYMENT);
    // Every payment was recorded all the same: nothing was dropped to save memory.
    expect(recorder.aggregator.snapshot().variants.baseline?.requests).toBe(4 * N);
    expect(recorder.orders.placed().total).toBe(4 * N);
  }, TIMEOUT_MS);

  it('negative control: a recorder that also keeps each event it saw is caught by the same measurement', async () => {
    const recorder = await open();
    const kept: PaymentEvent[] = [];
    const leaky: Sink = {
      placing: (plan) => recorder.placing(plan),
      payment: (event) => {
        recorder.payment(event);
        kept.push(event);
      },
    };
    const perPayment = await slope(leaky);
    expect(kept).toHaveLength(4 * N);
    expect(perPayment).toBeGreaterThan(BOUND_BYTES_PER_PAYMENT);
  }, TIMEOUT_MS);
});
