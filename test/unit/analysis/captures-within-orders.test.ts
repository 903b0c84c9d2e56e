import { describe, expect, it } from 'vitest';
import { PlacedOrders, checkCapturesWithinOrders, checkNoDoubleCharge, type LedgerRow } from '../../../src/analysis/index.js';
import type { ShopperPlan } from '../../../src/load/index.js';
import { OrdersPlaced } from '../../../src/run/index.js';

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
    expect(result.violations[0]).toMatchObject({ provider: 'alipay', paymentIds: ['T2'] });
    expect(result.violations[0]!.message).toMatch(/holds 1 payment\(s\) of 1234 cny that no placed order accounts for/);
  });

  it('matches by id first, so a declined order of the same amount cannot hide a second charge of another order', () => {
    const placed = new PlacedOrders();
    placed.add('stripe', 'eur', 500, 'declined-1');
    placed.add('stripe', 'eur', 500, 'paid-1');
    // paid-1 charged twice: once under its id, once under a number nobody placed.
    const ledger = [...charge('stripe', 'pi_1', 'paid-1', 500, 'eur'), ...charge('stripe', 'pi_2', 'paid-1-retry', 500, 'eur')];
    const toldFailed = (_p: string, orderId: string) => orderId === 'declined-1';
    const result = checkCapturesWithinOrders(ledger, placed, { toldFailed });
    expect(result.violations.map((v) => v.paymentIds)).toEqual([['pi_2']]);
    // Without what the shopper was told, the declined order would absorb it: the documented floor.
    expect(checkCapturesWithinOrders(ledger, placed).passed).toBe(true);
  });

  it('flags money taken for an order whose shopper was only ever told it failed', () => {
    const placed = new PlacedOrders();
    placed.add('paypal', 'usd', 700, 'o-1');
    const result = checkCapturesWithinOrders(charge('paypal', 'P1', 'o-1', 700, 'USD'), placed, { toldFailed: () => true });
    expect(result.passed).toBe(false);
    expect(result.violations[0]!.message).toMatch(/took 700 usd for order o-1 \(payment P1\), but every answer the shopper got said the payment failed/);
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
  const plan = (orderId: string, provider = 'alipay', amount = 1234, currency = 'cny') => ({ orderId, provider, amount, currency, behaviour: 'pay', expect: { refunds: [], cancel: false } }) as unknown as ShopperPlan;
  const event = (orderId: string, outcome: 'succeeded' | 'failed' | 'pending', provider = 'alipay') => ({
    t: 0, variant: 'baseline' as const, provider, outcome, latencyMs: 1, status: 201, orderId, idempotencyKey: 'k', behaviour: 'first',
  });

  it('counts an order placed as it is sent, so an order whose answer never came still accounts for its charge', () => {
    const placed = new OrdersPlaced();
    placed.placing(plan('demo-1'));
    // No event: an interrupt cut the answer off. The charge is still the order's (matched by amount).
    expect(placed.check(charge('alipay', 'T1', 'demo_1', 1234))).toMatchObject({ name: 'captures-within-orders', passed: true, checked: 1 });
    // The run then asks the system under test about it (GET /payments/{orderId}), and the
    // reference its answer names reads the ledger back in the shop's order id.
    expect(placed.unanswered()).toEqual([{ variant: undefined, provider: 'alipay', orderId: 'demo-1' }]);
    placed.learn('alipay', 'demo-1', { providerReference: 'demo_1' });
    const ledger = charge('alipay', 'T1', 'demo_1', 1234).map((r) => placed.inShopTerms(r));
    expect(ledger[0]!.orderId).toBe('demo-1');
    expect(placed.check(ledger)).toMatchObject({ name: 'captures-within-orders', passed: true, checked: 1 });
    expect(placed.unanswered()).toEqual([]);
  });

  it('places an order once however often it is sent, and a second charge is caught', () => {
    const placed = new OrdersPlaced();
    placed.placing(plan('o1'));
    placed.placing(plan('o1'));
    placed.see(event('o1', 'succeeded'));
    expect(placed.check([...charge('alipay', 'T1', 'o1', 1234), ...charge('alipay', 'T2', 'o1', 1234)]).passed).toBe(false);
  });

  it('reads provider order numbers back as the shop order ids, from the references the answers named (no numbering known)', () => {
    const placed = new OrdersPlaced();
    placed.placing(plan('demo-20261122T024500Z-a1b2c3-1abc', 'wechatpay'));
    placed.see({ ...event('demo-20261122T024500Z-a1b2c3-1abc', 'succeeded', 'wechatpay'), providerReference: 'demo-20261122T0_eb4b74474080cb23' });
    const [row] = charge('wechatpay', 'W1', 'demo-20261122T0_eb4b74474080cb23', 1234);
    expect(placed.inShopTerms(row!).orderId).toBe('demo-20261122T024500Z-a1b2c3-1abc');
    // A number this run never placed is left as the provider wrote it.
    expect(placed.inShopTerms({ ...row!, orderId: 'other' }).orderId).toBe('other');
  });

  it('knows an order whose every answer was a failure, and one that ever got anything else', () => {
    const placed = new OrdersPlaced();
    placed.placing(plan('f1', 'stripe', 900, 'eur'));
    placed.placing(plan('p1', 'stripe', 901, 'eur'));
    placed.see(event('f1', 'failed', 'stripe'));
    placed.see(event('p1', 'failed', 'stripe'));
    placed.see(event('p1', 'pending', 'stripe'));
    const result = placed.check([...charge('stripe', 'pi_f', 'f1', 900, 'eur'), ...charge('stripe', 'pi_p', 'p1', 901, 'eur')]);
    expect(result.violations.map((v) => v.paymentIds)).toEqual([['pi_f']]);
  });

  it('says it was not evaluated (rather than passing) when the engine did not report placing orders', () => {
    const placed = new OrdersPlaced();
    placed.see(event('o1', 'succeeded'));
    expect(placed.check(charge('alipay', 'T1', 'x', 1234))).toMatchObject({ passed: true, notEvaluated: expect.stringMatching(/k6/) });
  });
});
