import { describe, expect, it } from 'vitest';
import { checkJourneysEndState, type JourneyOrder, type LedgerRow, type LifecycleAnswer, type PaymentEvent } from '../../../src/analysis/index.js';
import { Random } from '../../../src/kernel/index.js';
import type { ShopperPlan } from '../../../src/load/index.js';
import { LedgerRowsStore } from '../../../src/run/ledger-rows-store.js';
import { OrdersPlaced } from '../../../src/run/index.js';

/**
 * journeys-end-state judged one order at a time — journeys and refund/cancel answers from
 * OrdersPlaced's tables, each order's rows from the LedgerRowsStore — must give exactly what the
 * whole-array checker gives. The seeded run has a violation of every kind the invariant knows
 * (a refund answered succeeded missing, a refund applied twice, a refund nobody asked for, a
 * capture after a cancel answered succeeded, a capture in another currency), orders with no row
 * at all, orders placed twice (the first journey wins), answers and rows of orders never placed,
 * provider numbering that differs from the shop's, and rows and answers interleaved across orders.
 */
interface Seeded {
  plans: ShopperPlan[];
  /** Refund and cancel answers, and payment answers between them (which journeys-end-state ignores). */
  events: PaymentEvent[];
  rows: Array<{ row: LedgerRow; shopOrderId: string }>;
}

const JOURNEYS: Array<{ behaviour: string; refunds: (amount: number) => number[]; cancel: boolean; race?: boolean }> = [
  { behaviour: 'pay', refunds: () => [], cancel: false },
  { behaviour: 'refund_full', refunds: (a) => [a], cancel: false },
  { behaviour: 'refund_partial', refunds: (a) => [a / 4, a / 4], cancel: false },
  { behaviour: 'pay_cancel', refunds: () => [], cancel: true },
  { behaviour: 'pay_other_currency', refunds: () => [], cancel: false },
  { behaviour: 'void_race_capture', refunds: () => [], cancel: false, race: true },
];

function seeded(seed: number, orders: number): Seeded {
  const rnd = new Random(seed);
  const pick = (n: number) => Math.floor(rnd.next() * n);
  const plans: ShopperPlan[] = [];
  const events: PaymentEvent[] = [];
  const rows: Seeded['rows'] = [];
  let payment = 0;
  for (let o = 0; o < orders; o++) {
    const provider = pick(2) ? 'stripe' : 'alipay';
    const shopOrderId = `order-${o}`;
    // Alipay's merchant order number is not always the shop's: the store holds both.
    const providerOrderId = provider === 'alipay' && pick(2) ? `T${o}` : shopOrderId;
    const amount = 400 * (1 + pick(4));
    const currency = pick(2) ? 'eur' : 'EUR';
    const j = JOURNEYS[pick(JOURNEYS.length)]!;
    const expect = { refunds: j.refunds(amount), cancel: j.cancel, ...(j.race ? { race: true } : {}) };
    const plan = { orderId: shopOrderId, provider, variant: 'baseline', amount, currency, behaviour: j.behaviour, expect } as unknown as ShopperPlan;
    plans.push(plan);
    // A returning shopper's plan: the same order, placed again under another journey (ignored).
    if (pick(12) === 0) plans.push({ ...plan, behaviour: 'refund_full', expect: { refunds: [amount], cancel: false } } as unknown as ShopperPlan);
    const answer = (behaviour: string, key: string, outcome: PaymentEvent['outcome'], refundAmount?: number) =>
      events.push({ t: 0, variant: 'baseline', provider, outcome, latencyMs: 1, status: 201, orderId: shopOrderId, idempotencyKey: key, behaviour, ...(refundAmount !== undefined ? { refundAmount } : {}), ...(pick(3) ? { traceId: `t${o}-${events.length}` } : {}) } as PaymentEvent);
    answer('first', `pay-${o}`, 'succeeded');

    const p = `${provider === 'stripe' ? 'pi' : 'trade'}_${payment++}`;
    const row = (kind: LedgerRow['kind'], a: number, cur = 'eur', paymentId = p) => rows.push({ row: { provider, kind, paymentId, orderId: providerOrderId, idempotencyKey: `k${o}`, amount: a, currency: cur, ...(pick(3) ? { traceId: `t${o}` } : {}) }, shopOrderId });
    const fault = pick(6);
    if (fault === 5) continue; // never reached the provider: judged on its answers alone
    row('authorization', amount);
    if (j.race) {
      const capture = (['succeeded', 'failed', 'pending'] as const)[pick(3)]!;
      answer('race_capture', `capture-${o}`, capture);
      answer('race_cancel', `cancel-${o}`, capture === 'succeeded' ? 'failed' : 'succeeded');
      if (fault === 0) (row('capture', amount), row('void', amount)); // both: red
      else if (capture === 'succeeded') row('capture', amount);
      else row('void', amount);
      continue;
    }
    if (j.cancel) {
      const outcome = (['succeeded', 'failed', 'pending'] as const)[pick(3)]!;
      answer('cancel', `cancel-${o}`, outcome);
      if (pick(2)) answer('cancel_retry', `cancel-${o}`, outcome === 'pending' ? 'succeeded' : outcome);
      if (fault === 0) row('capture', amount); // captured although the cancel held (red when answered succeeded)
      else row('void', amount);
      continue;
    }
    row('capture', amount, j.behaviour === 'pay_other_currency' && fault === 1 ? 'usd' : 'eur');
    if (fault === 2) row('capture', amount, 'eur', `${p}_again`); // a second payment: summed, not judged here
    if (j.behaviour === 'pay' && fault === 3) row('refund', amount / 2); // a refund nobody asked for
    expect.refunds.forEach((r, i) => {
      const key = `refund-${o}-${i}`;
      const outcome = (['succeeded', 'succeeded', 'failed', 'pending'] as const)[pick(4)]!;
      answer('refund', key, outcome, r);
      if (outcome !== 'succeeded' && pick(2)) answer('refund_retry', key, pick(2) ? 'succeeded' : outcome, r);
      const applied = fault === 4 ? 0 : fault === 3 ? 2 : 1; // lost, applied twice, or once
      for (let n = 0; n < applied; n++) row('refund', r);
    });
  }
  // Orders nobody placed: their rows and answers are no journey's.
  for (let x = 0; x < orders / 50; x++) {
    rows.push({ row: { provider: 'stripe', kind: 'capture', paymentId: `pi_x${x}`, orderId: `stray-${x}`, amount: 100, currency: 'eur' }, shopOrderId: `stray-${x}` });
    events.push({ t: 0, variant: 'baseline', provider: 'stripe', outcome: 'succeeded', latencyMs: 1, status: 201, orderId: `stray-${x}`, idempotencyKey: `r-x${x}`, behaviour: 'refund', refundAmount: 100 } as PaymentEvent);
  }
  // Commit order is not order by order; nor are the answers.
  const shuffle = <T>(xs: T[]) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const k = Math.max(0, i - pick(5));
      [xs[i], xs[k]] = [xs[k]!, xs[i]!];
    }
  };
  shuffle(rows);
  shuffle(events);
  return { plans, events, rows };
}

/** The whole-array judgement, as ground truth made it with everything in memory. */
function whole({ plans, events, rows }: Seeded) {
  const journeys = new Map<string, JourneyOrder>();
  for (const p of plans) if (!journeys.has(p.orderId)) journeys.set(p.orderId, { orderId: p.orderId, provider: p.provider, currency: p.currency, journey: p.behaviour, expect: p.expect });
  const kinds = new Map<string, LifecycleAnswer['kind']>([['refund', 'refund'], ['refund_retry', 'refund'], ['cancel', 'cancel'], ['cancel_retry', 'cancel'], ['race_cancel', 'cancel'], ['race_capture', 'capture']]);
  const answers: LifecycleAnswer[] = events
    .filter((e) => kinds.has(e.behaviour ?? ''))
    .map((e) => ({ orderId: e.orderId, kind: kinds.get(e.behaviour ?? '')!, key: e.idempotencyKey, amount: e.refundAmount, outcome: e.outcome, traceId: e.traceId }));
  return checkJourneysEndState(journeys.values(), answers, rows.map((r) => ({ ...r.row, orderId: r.shopOrderId })));
}

/** OrdersPlaced and the store fed as in a run: placings, then answers, the ledgers after. */
function onDisk({ plans, events, rows }: Seeded) {
  const orders = new OrdersPlaced();
  for (const p of plans) orders.placing(p);
  for (const e of events) orders.see(e);
  const store = new LedgerRowsStore();
  for (const r of rows) store.add(r.row, r.shopOrderId);
  return { orders, store, close: () => (orders.close(), store.close()) };
}

describe('journeys-end-state on disk, one order at a time', () => {
  it.each([1, 2, 3])('gives exactly the whole-array result, violations of every kind included (seed %i)', (seed) => {
    const data = seeded(seed, 3000);
    const reference = whole(data);
    const messages = reference.violations.map((v) => v.message);
    for (const kind of [/is missing/, /applied twice/, /asks for no refund/, /after its cancel was answered succeeded/, /captured in usd/, /both captured and voided/]) {
      expect(messages.filter((m) => kind.test(m)).length, String(kind)).toBeGreaterThan(5);
    }
    const { orders, store, close } = onDisk(data);
    const streamed = orders.checkJourneys((orderId) => store.ofOrder(orderId, ['authorization', 'capture', 'refund', 'void']));
    close();
    expect(reference.checked).toBe(3000);
    expect(streamed).toEqual(reference);
  });

  it('negative control: each order’s rows grouped by the provider’s order number instead of the shop’s, the same comparison turns red', () => {
    const data = seeded(1, 3000);
    const { orders, store, close } = onDisk(data);
    const byProviderNumber = new Map<string, LedgerRow[]>();
    for (const { row } of data.rows) if (row.kind !== 'chargeback' && row.kind !== 'chargeback_reversal') byProviderNumber.set(row.orderId, [...(byProviderNumber.get(row.orderId) ?? []), row]);
    const wrong = orders.checkJourneys((orderId) => byProviderNumber.get(orderId) ?? []);
    const right = orders.checkJourneys((orderId) => store.ofOrder(orderId, ['authorization', 'capture', 'refund', 'void']));
    close();
    expect(right).toEqual(whole(data));
    expect(wrong).not.toEqual(right);
  });

  it('a store’s order group is the order’s rows of the kinds asked, in the order added', () => {
    const data = seeded(4, 200);
    const store = new LedgerRowsStore();
    for (const r of data.rows) store.add(r.row, r.shopOrderId);
    const norm = (r: LedgerRow) => ({ ...r, idempotencyKey: r.idempotencyKey, traceId: r.traceId });
    for (const id of ['order-0', 'order-17', 'order-199', 'stray-1']) {
      const expected = data.rows.filter((r) => r.shopOrderId === id && (r.row.kind === 'capture' || r.row.kind === 'refund')).map((r) => norm({ ...r.row, orderId: id }));
      expect(store.ofOrder(id, ['capture', 'refund'])).toEqual(expected);
    }
    expect(store.ofOrder('nobody')).toEqual([]);
    store.close();
  });

  it('k6: answers but no plans reported leave journeys-end-state not evaluated; a run that placed nothing is evaluated', () => {
    const k6 = new OrdersPlaced();
    k6.see({ t: 0, variant: 'baseline', provider: 'stripe', outcome: 'succeeded', latencyMs: 1, status: 201, orderId: 'o1', idempotencyKey: 'k', behaviour: 'first' } as PaymentEvent);
    expect(k6.checkJourneys(() => [])).toMatchObject({ name: 'journeys-end-state', passed: true, checked: 0, notEvaluated: expect.stringMatching(/k6/) });
    k6.close();
    const empty = new OrdersPlaced();
    expect(empty.checkJourneys(() => []).notEvaluated).toBeUndefined();
    empty.close();
    const placed = new OrdersPlaced();
    placed.placing({ orderId: 'o1', provider: 'stripe', variant: 'baseline', amount: 100, currency: 'eur', behaviour: 'pay', expect: { refunds: [], cancel: false } } as unknown as ShopperPlan);
    placed.see({ t: 0, variant: 'baseline', provider: 'stripe', outcome: 'succeeded', latencyMs: 1, status: 201, orderId: 'o1', idempotencyKey: 'k', behaviour: 'first' } as PaymentEvent);
    expect(placed.checkJourneys(() => [])).toMatchObject({ passed: true, checked: 1 });
    expect(placed.checkJourneys(() => []).notEvaluated).toBeUndefined();
    placed.close();
  });

  it('keeps a 3-D Secure journey\'s expected challenge and its page answers, and judges them from disk', () => {
    const orders = new OrdersPlaced();
    for (const [orderId, challenge] of [['p1', 'pass'], ['a1', 'abandon']] as const) {
      orders.placing({ orderId, provider: 'stripe', variant: 'baseline', amount: 100, currency: 'eur', behaviour: challenge === 'pass' ? 'three_ds_passed' : 'three_ds_abandoned', expect: { refunds: [], cancel: false, challenge } } as unknown as ShopperPlan);
      orders.see({ t: 0, variant: 'baseline', provider: 'stripe', outcome: 'pending', errorCode: 'outcome_unknown', latencyMs: 1, status: 202, orderId, idempotencyKey: `${orderId}-k1`, behaviour: 'first' } as PaymentEvent);
    }
    orders.see({ t: 1, variant: 'baseline', provider: 'stripe', outcome: 'succeeded', latencyMs: 1, status: 302, orderId: 'p1', idempotencyKey: '', behaviour: 'challenge' } as PaymentEvent);
    const journeys = [...orders.journeys()];
    expect(journeys.map((j) => [j.order.orderId, j.order.expect.challenge, j.answers.map((a) => [a.kind, a.outcome])])).toEqual([
      ['p1', 'pass', [['challenge', 'succeeded']]],
      ['a1', 'abandon', []],
    ]);
    const capture = (orderId: string): LedgerRow => ({ provider: 'stripe', kind: 'capture', paymentId: `pi_${orderId}`, orderId, amount: 100, currency: 'eur' });
    expect(orders.checkJourneys((id) => (id === 'p1' ? [capture('p1')] : [])).passed).toBe(true);
    // Negative control: the abandoned one captured (requires_action taken for paid), the passed one never.
    const red = orders.checkJourneys((id) => (id === 'a1' ? [capture('a1')] : []));
    expect(red.violations.map((v) => v.orderId).sort()).toEqual(['a1', 'p1']);
    orders.close();
  });
});
