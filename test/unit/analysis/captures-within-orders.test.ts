import { describe, expect, it } from 'vitest';
import { PlacedOrders, checkCapturesWithinOrders, checkNoDoubleCharge, type LedgerRow } from '../../../src/analysis/index.js';
import { OrdersPlaced } from '../../../src/scenario/orders-placed.js';

const row = (provider: string, kind: LedgerRow['kind'], paymentId: string, orderId: string, amount: number, currency = 'CNY'): LedgerRow => ({ provider, kind, paymentId, orderId, amount, currency });
const charge = (provider: string, paymentId: string, orderId: string, amount: number, currency = 'CNY'): LedgerRow[] => [
  row(provider, 'authorization', paymentId, orderId, amount, currency),
  row(provider, 'capture', paymentId, orderId, amount, currency),
];
const placedOf = (...orders: [string, string, number][]) => {
  const p = new PlacedOrders();
  for (const [provider, currency, amount] of orders) p.add(provider, currency, amount);
  return p;
};

describe('captures-within-orders', () => {
  it('catches the double charge the order-id join cannot see: one order charged under two merchant order numbers', () => {
    // A gateway that derived the wallet's out_trade_no from each attempt's key, not from the order.
    const ledger = [...charge('alipay', 'T1', 'shop_1_k1', 1234), ...charge('alipay', 'T2', 'shop_1_k2', 1234)];
    expect(checkNoDoubleCharge(ledger).passed).toBe(true);
    const result = checkCapturesWithinOrders(ledger, placedOf(['alipay', 'cny', 1234]));
    expect(result.passed).toBe(false);
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]).toMatchObject({ provider: 'alipay', paymentIds: ['T1', 'T2'] });
    expect(result.violations[0]!.message).toMatch(/holds 2 payments of 1234 cny but shoppers placed 1/);
  });

  it('holds when every charge is matched by a placed order, two orders of one amount included', () => {
    const ledger = [...charge('alipay', 'T1', 'a', 1234), ...charge('alipay', 'T2', 'b', 1234), ...charge('stripe', 'pi_1', 'c', 500, 'eur')];
    const result = checkCapturesWithinOrders(ledger, placedOf(['alipay', 'CNY', 1234], ['alipay', 'cny', 1234], ['stripe', 'EUR', 500]));
    expect(result).toMatchObject({ name: 'captures-within-orders', passed: true, checked: 3 });
  });

  it('matches by provider and currency too: the same amount placed elsewhere does not account for a charge', () => {
    expect(checkCapturesWithinOrders(charge('wechatpay', 'W1', 'a', 990), placedOf(['alipay', 'cny', 990])).passed).toBe(false);
    expect(checkCapturesWithinOrders(charge('alipay', 'T1', 'a', 990, 'USD'), placedOf(['alipay', 'cny', 990])).passed).toBe(false);
  });

  it('flags money taken for an amount no shopper ordered (a capture beyond the order)', () => {
    expect(checkCapturesWithinOrders(charge('adyen', 'P1', 'a', 2000, 'EUR'), placedOf(['adyen', 'eur', 1000])).passed).toBe(false);
  });

  it('does not count a fully refunded payment, and keeps a partially refunded one matched to its order', () => {
    const ledger = [
      ...charge('paypal', 'O1', 'a', 700, 'USD'),
      row('paypal', 'refund', 'O1', 'a', 700, 'USD'),
      ...charge('paypal', 'O2', 'a', 700, 'USD'),
      ...charge('paypal', 'O3', 'b', 900, 'USD'),
      row('paypal', 'refund', 'O3', 'b', 100, 'USD'),
    ];
    expect(checkCapturesWithinOrders(ledger, placedOf(['paypal', 'usd', 700], ['paypal', 'usd', 900]))).toMatchObject({ passed: true, checked: 2 });
  });

  it('ignores authorisations that never captured', () => {
    expect(checkCapturesWithinOrders([row('stripe', 'authorization', 'pi_1', 'a', 100, 'eur')], new PlacedOrders())).toMatchObject({ passed: true, checked: 0 });
  });
});

describe('OrdersPlaced (the run side)', () => {
  const event = (behaviour: string, amount?: number) => ({
    t: 0, variant: 'baseline' as const, provider: 'alipay', outcome: 'succeeded' as const, latencyMs: 1, status: 201, orderId: 'o1', idempotencyKey: 'k',
    behaviour, ...(amount !== undefined ? { amount, currency: 'cny' } : {}),
  });

  it('counts each order once, at its first submit or a returning shopper\'s, never at a duplicate or a retry', () => {
    const placed = new OrdersPlaced();
    for (const b of ['first', 'duplicate', 'new_key', 'double_click', 'retry']) placed.see(event(b, 1234));
    const twoCharges = [...charge('alipay', 'T1', 'x', 1234), ...charge('alipay', 'T2', 'y', 1234)];
    expect(placed.check(twoCharges)[0]).toMatchObject({ name: 'captures-within-orders', passed: false });
    placed.see(event('resume', 1234));
    expect(placed.check(twoCharges)[0]!.passed).toBe(true);
  });

  it('leaves the invariant out (rather than passing it) when the engine did not say what orders were for', () => {
    const placed = new OrdersPlaced();
    placed.see(event('first'));
    expect(placed.check(charge('alipay', 'T1', 'x', 1234))).toEqual([]);
  });
});
