import { describe, expect, it } from 'vitest';
import { PlacedOrders, checkCapturesWithinOrders, type LedgerRow, type PaymentEvent } from '../../../src/analysis/index.js';
import { Random } from '../../../src/kernel/index.js';
import type { ShopperPlan } from '../../../src/load/index.js';
import { OrdersPlaced } from '../../../src/run/index.js';

/**
 * OrdersPlaced keeps its orders on disk; captures-within-orders must judge exactly as it did with
 * the in-memory PlacedOrders and a map of "every answer said failed". Both are fed the same
 * placings and answers (duplicates, failovers, failures then successes, pending) and judge the
 * same ledgers (charges matched by id, by amount, unaccounted, taken behind a failure).
 */
function scenario(seed: number, orders: number) {
  const rnd = new Random(seed);
  const pick = (n: number) => Math.floor(rnd.next() * n);
  const providers = ['stripe', 'adyen'];
  const plans: ShopperPlan[] = [];
  const events: PaymentEvent[] = [];
  const rows: LedgerRow[] = [];
  const amounts = [500, 700, 900];
  for (let o = 0; o < orders; o++) {
    const provider = providers[pick(2)]!;
    const amount = amounts[pick(3)]!;
    const plan = { orderId: `o${o}`, provider, variant: 'baseline', amount, currency: pick(2) ? 'eur' : 'EUR', behaviour: 'pay', expect: { refunds: [], cancel: false } } as unknown as ShopperPlan;
    plans.push(plan);
    if (pick(10) === 0) plans.push(plan);
    const outcomes = Array.from({ length: 1 + pick(3) }, () => (['succeeded', 'failed', 'pending'] as const)[pick(3)]!);
    for (const outcome of outcomes) {
      const failover = pick(12) === 0;
      events.push({ t: 0, variant: 'baseline', provider: failover ? providers.find((p) => p !== provider)! : provider, outcome, latencyMs: 1, status: 201, orderId: plan.orderId, idempotencyKey: 'k', ...(failover ? { failoverFrom: provider, amount, currency: 'eur' } : {}) } as PaymentEvent);
    }
    const charges = pick(6) === 0 ? 2 : pick(4) === 0 ? 0 : 1;
    for (let c = 0; c < charges; c++) {
      const paymentId = `p${o}_${c}`;
      // Some charges under a number nobody placed, some of an amount no order had.
      const orderId = pick(8) === 0 ? `x${o}` : plan.orderId;
      const captured = pick(15) === 0 ? 1234 : amount;
      rows.push({ provider, kind: 'authorization', paymentId, orderId, amount: captured, currency: 'eur' }, { provider, kind: 'capture', paymentId, orderId, amount: captured, currency: 'eur' });
      if (pick(10) === 0) rows.push({ provider, kind: 'refund', paymentId, orderId, amount: captured, currency: 'eur' });
    }
  }
  return { plans, events, rows };
}

/** The judgement as the in-memory OrdersPlaced made it. */
function inMemory(plans: readonly ShopperPlan[], events: readonly PaymentEvent[], rows: readonly LedgerRow[]) {
  const placed = new PlacedOrders();
  const told = new Map<string, boolean>();
  for (const p of plans) placed.add(p.provider, p.currency, p.amount, p.orderId);
  for (const e of events) {
    told.set(e.orderId, (told.get(e.orderId) ?? true) && e.outcome === 'failed');
    if (e.failoverFrom && e.orderId && e.amount !== undefined && e.currency !== undefined) placed.add(e.provider, e.currency, e.amount, e.orderId);
  }
  return checkCapturesWithinOrders(rows, placed, { toldFailed: (_p, orderId) => told.get(orderId) === true });
}

describe('OrdersPlaced on disk', () => {
  it.each([1, 2, 3])('judges captures-within-orders exactly as the in-memory orders did (seed %i)', (seed) => {
    const { plans, events, rows } = scenario(seed, 4000);
    const orders = new OrdersPlaced();
    // Interleaved as in a run: each shopper placed, then answered.
    let e = 0;
    for (const p of plans) {
      orders.placing(p);
      while (e < events.length && events[e]!.orderId === p.orderId) orders.see(events[e++]!);
    }
    while (e < events.length) orders.see(events[e++]!);
    const reference = inMemory(plans, events, rows);
    expect(reference.violations.length).toBeGreaterThan(20);
    expect(orders.check(rows)).toEqual(reference);
    orders.close();
  });

  it('negative control: forgetting which orders were told they failed changes the judgement', () => {
    const { plans, events, rows } = scenario(1, 4000);
    const reference = inMemory(plans, events, rows);
    const forgetful = inMemory(plans, events.filter((ev) => ev.outcome !== 'failed'), rows);
    expect(forgetful).not.toEqual(reference);
  });

  it('lists the orders left pending and the orders no answer named, in the order first seen', () => {
    const orders = new OrdersPlaced();
    const ev = (orderId: string, outcome: PaymentEvent['outcome'], ids: Partial<PaymentEvent> = {}) => orders.see({ t: 0, variant: 'baseline', provider: 'stripe', outcome, latencyMs: 1, status: 201, orderId, idempotencyKey: 'k', ...ids } as PaymentEvent);
    for (const id of ['a', 'b', 'c', 'd']) orders.placing({ orderId: id, provider: 'stripe', variant: 'baseline', amount: 1, currency: 'eur', behaviour: 'pay', expect: { refunds: [], cancel: false } } as unknown as ShopperPlan);
    ev('c', 'pending');
    ev('a', 'pending');
    ev('c', 'pending', { variant: 'canary' } as Partial<PaymentEvent>);
    ev('a', 'succeeded', { providerPaymentId: 'pi_a' });
    ev('a', 'pending');
    ev('b', 'failed');
    expect(orders.pendingOnly()).toEqual([{ variant: 'canary', provider: 'stripe', orderId: 'c' }]);
    expect(orders.unanswered().map((o) => o.orderId)).toEqual(['b', 'c', 'd']);
    orders.close();
  });
});
