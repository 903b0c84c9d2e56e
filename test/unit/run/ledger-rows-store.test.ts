import { describe, expect, it } from 'vitest';
import { checkNoDoubleCharge, checkRefundsWithinCaptures, checkVoidNeverCaptured, type LedgerRow } from '../../../src/analysis/index.js';
import { Random } from '../../../src/kernel/index.js';
import { LedgerRowsStore, checkByGroup } from '../../../src/run/ledger-rows-store.js';

/**
 * Ledgers of two providers with every fault the invariants look for, in an interleaved commit
 * order: orders paid twice (two payments, or one captured twice), refunds beyond captures,
 * captures after a void, partial refunds, authorisations alone, and orders whose provider
 * numbering differs from the shop's.
 */
function faultyLedgers(seed: number, orders: number): Array<{ row: LedgerRow; shopOrderId: string }> {
  const rnd = new Random(seed);
  const pick = (n: number) => Math.floor(rnd.next() * n);
  const out: Array<{ row: LedgerRow; shopOrderId: string }> = [];
  let payment = 0;
  for (let o = 0; o < orders; o++) {
    const provider = pick(2) ? 'stripe' : 'alipay';
    const shopOrderId = `order-${o}`;
    const orderId = provider === 'alipay' && pick(2) ? `T${o}` : shopOrderId;
    const amount = 100 * (1 + pick(5));
    const pay = (): string => `${provider === 'stripe' ? 'pi' : 'trade'}_${payment++}`;
    const rows = (paymentId: string, kinds: Array<[LedgerRow['kind'], number]>) => kinds.map(([kind, a]) => ({ row: { provider, kind, paymentId, orderId, idempotencyKey: `k${o}`, amount: a, currency: 'usd', traceId: pick(3) ? `t${o}` : undefined }, shopOrderId }));
    const p = pay();
    const shape = pick(8);
    if (shape === 0) out.push(...rows(p, [['authorization', amount], ['capture', amount]]), ...rows(pay(), [['authorization', amount], ['capture', amount]]));
    else if (shape === 1) out.push(...rows(p, [['authorization', amount], ['capture', amount], ['capture', amount]]));
    else if (shape === 2) out.push(...rows(p, [['authorization', amount], ['capture', amount], ['refund', amount], ['refund', 50]]));
    else if (shape === 3) out.push(...rows(p, [['authorization', amount], ['void', amount], ['capture', amount]]));
    else if (shape === 4) out.push(...rows(p, [['authorization', amount], ['capture', amount / 2], ['void', amount / 2]]));
    else if (shape === 5) out.push(...rows(p, [['authorization', amount]]));
    else if (shape === 6) out.push(...rows(p, [['authorization', amount], ['capture', amount], ['refund', amount]]), ...rows(pay(), [['authorization', amount], ['capture', amount]]));
    else out.push(...rows(p, [['authorization', amount], ['capture', amount]]));
  }
  // Interleave: commit order is not order by order (a later order's capture before an earlier one's refund).
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.max(0, i - pick(4));
    if (out[i]!.row.paymentId !== out[j]!.row.paymentId) [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('LedgerRowsStore and checkByGroup', () => {
  const seeds = [1, 2, 3];

  it.each(seeds)('give exactly the whole-array results of the three per-order and per-payment invariants (seed %i)', (seed) => {
    const ledgers = faultyLedgers(seed, 3000);
    const raw = ledgers.map((l) => l.row);
    const shop = ledgers.map((l) => ({ ...l.row, orderId: l.shopOrderId }));
    const store = new LedgerRowsStore();
    for (const l of ledgers) store.add(l.row, l.shopOrderId);
    const whole = [checkNoDoubleCharge(shop), checkRefundsWithinCaptures(raw), checkVoidNeverCaptured(raw)];
    const streamed = [checkByGroup(store.groups('order'), checkNoDoubleCharge), checkByGroup(store.groups('payment', ['capture', 'refund']), checkRefundsWithinCaptures), checkByGroup(store.groups('payment'), checkVoidNeverCaptured)];
    store.close();
    // The data has violations of each kind, so equality is not two empty lists agreeing.
    for (const r of whole) expect(r.violations.length).toBeGreaterThan(10);
    expect(streamed).toEqual(whole);
  });

  it('lists every row back as added, in the shop’s order ids or the provider’s', () => {
    const ledgers = faultyLedgers(4, 200);
    const store = new LedgerRowsStore();
    for (const l of ledgers) store.add(l.row, l.shopOrderId);
    const norm = (r: LedgerRow) => ({ ...r, idempotencyKey: r.idempotencyKey, traceId: r.traceId });
    expect([...store.rows(false)]).toEqual(ledgers.map((l) => norm(l.row)));
    expect([...store.rows(true, ['capture'])]).toEqual(ledgers.filter((l) => l.row.kind === 'capture').map((l) => norm({ ...l.row, orderId: l.shopOrderId })));
    store.close();
  });

  it('negative control: grouped wrongly (no-double-charge by payment), the same comparison turns red', () => {
    const ledgers = faultyLedgers(1, 3000);
    const shop = ledgers.map((l) => ({ ...l.row, orderId: l.shopOrderId }));
    const store = new LedgerRowsStore();
    for (const l of ledgers) store.add(l.row, l.shopOrderId);
    const broken = checkByGroup(store.groups('payment'), checkNoDoubleCharge);
    store.close();
    expect(broken).not.toEqual(checkNoDoubleCharge(shop));
  });
});
