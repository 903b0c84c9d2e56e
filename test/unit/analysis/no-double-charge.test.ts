import { describe, expect, it } from 'vitest';
import { checkNoDoubleCharge, type LedgerRow } from '../../../src/analysis/index.js';

const row = (kind: LedgerRow['kind'], orderId: string, paymentId: string, amount = 1000, provider = 'stripe'): LedgerRow => ({ kind, orderId, paymentId, amount, currency: 'eur', provider });

describe('no-double-charge invariant', () => {
  it.each([
    ['one capture per order holds', [row('authorization', 'A', 'p1'), row('capture', 'A', 'p1'), row('capture', 'B', 'p2')], true, 2],
    ['two captures for one order under different payments is a double charge', [row('capture', 'A', 'p1'), row('capture', 'A', 'p2')], false, 1],
    ['a second charge that was refunded in full is not a double charge', [row('capture', 'A', 'p1'), row('capture', 'A', 'p2'), row('refund', 'A', 'p2')], true, 1],
    ['a partial refund of the second charge still leaves a double charge', [row('capture', 'A', 'p1'), row('capture', 'A', 'p2'), row('refund', 'A', 'p2', 400)], false, 1],
    ['the same order charged at two providers (failover gone wrong) is a double charge', [row('capture', 'A', 'p1', 1000, 'stripe'), row('capture', 'A', 'x1', 1000, 'adyen')], false, 1],
    ['authorisations alone move no money', [row('authorization', 'A', 'p1'), row('authorization', 'A', 'p2')], true, 0],
    ['one payment captured twice beyond its authorisation is a double charge', [row('authorization', 'A', 'p1'), row('capture', 'A', 'p1'), row('capture', 'A', 'p1')], false, 1],
    ['a payment captured in two parts within its authorisation holds', [row('authorization', 'A', 'p1'), row('capture', 'A', 'p1', 600), row('capture', 'A', 'p1', 400)], true, 1],
    ['a second capture of one payment refunded back holds', [row('authorization', 'A', 'p1'), row('capture', 'A', 'p1'), row('capture', 'A', 'p1'), row('refund', 'A', 'p1')], true, 1],
    ['a captured and fully refunded order is still judged', [row('authorization', 'A', 'p1'), row('capture', 'A', 'p1'), row('refund', 'A', 'p1')], true, 1],
  ] as const)('%s', (_name, rows, passed, checked) => {
    const result = checkNoDoubleCharge(rows);
    expect(result.passed).toBe(passed);
    expect(result.checked).toBe(checked);
    expect(result.violations.length).toBe(passed ? 0 : 1);
  });

  it('names the order, the provider and the payments in a violation', () => {
    const result = checkNoDoubleCharge([{ ...row('capture', 'ORD-9', 'pi_1'), traceId: 'abc' }, row('capture', 'ORD-9', 'pi_2')]);
    expect(result.violations[0]).toMatchObject({ orderId: 'ORD-9', provider: 'stripe', paymentIds: ['pi_1', 'pi_2'], traceId: 'abc' });
    expect(result.violations[0]!.message).toContain('ORD-9');
  });
});
