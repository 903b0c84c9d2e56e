import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkNoDoubleCharge, type LedgerRow, type PaymentEvent } from '../../../src/analysis/index.js';
import type { ShopperPlan } from '../../../src/load/index.js';
import { OrdersPlaced } from '../../../src/run/index.js';

const capture = (provider: string, paymentId: string, orderId: string, amount = 990): LedgerRow[] => [
  { provider, kind: 'authorization', paymentId, orderId, amount, currency: 'cny' },
  { provider, kind: 'capture', paymentId, orderId, amount, currency: 'cny' },
];
const plan = (orderId: string, provider: string) => ({ orderId, provider, variant: 'baseline', amount: 990, currency: 'cny', behaviour: 'pay', expect: { refunds: [], cancel: false } }) as unknown as ShopperPlan;
const answer = (orderId: string, provider: string, ids: Pick<PaymentEvent, 'providerPaymentId' | 'providerReference'>): PaymentEvent => ({
  t: 0, variant: 'baseline', provider, outcome: 'succeeded', latencyMs: 1, status: 201, orderId, idempotencyKey: `k-${Math.random()}`, ...ids,
});

describe('joining ledgers to the shop\'s orders on the ids the system under test reported', () => {
  it('maps a provider numbering that differs from the order id (Alipay out_trade_no, WeChat Pay hashed) without knowing it', () => {
    const orders = new OrdersPlaced();
    orders.placing(plan('shop-1', 'alipay'));
    orders.placing(plan('shop-order-with-a-very-long-identifier-2', 'wechatpay'));
    // Whatever the gateway chose to send: the harness only reads it back from the answers.
    orders.see(answer('shop-1', 'alipay', { providerPaymentId: '2026112222001', providerReference: 'X9_arbitrary' }));
    orders.see(answer('shop-order-with-a-very-long-identifier-2', 'wechatpay', { providerPaymentId: '4200001', providerReference: 'opaque-ref-77' }));
    const rows = [...capture('alipay', '2026112222001', 'X9_arbitrary'), ...capture('wechatpay', '4200001', 'opaque-ref-77')].map((r) => orders.inShopTerms(r));
    expect(rows.map((r) => r.orderId)).toEqual(['shop-1', 'shop-1', 'shop-order-with-a-very-long-identifier-2', 'shop-order-with-a-very-long-identifier-2']);
    expect(orders.check(rows)).toMatchObject({ passed: true, checked: 2 });
  });

  it('joins on the payment id first, so an order charged twice under two provider numbers is caught (and is not without the join)', () => {
    // A gateway that numbers each attempt afresh: two payments at Alipay, two out_trade_nos, one order.
    const orders = new OrdersPlaced();
    orders.placing(plan('shop-9', 'alipay'));
    orders.see(answer('shop-9', 'alipay', { providerPaymentId: 'T-a', providerReference: 'attempt_1' }));
    orders.see(answer('shop-9', 'alipay', { providerPaymentId: 'T-b', providerReference: 'attempt_2' }));
    const raw = [...capture('alipay', 'T-a', 'attempt_1'), ...capture('alipay', 'T-b', 'attempt_2')];
    // Negative control: in the provider's numbering the two charges look like two orders.
    expect(checkNoDoubleCharge(raw).passed).toBe(true);
    const joined = checkNoDoubleCharge(raw.map((r) => orders.inShopTerms(r)));
    expect(joined).toMatchObject({ passed: false, unit: 'orders' });
    expect(joined.violations[0]).toMatchObject({ orderId: 'shop-9', paymentIds: ['T-a', 'T-b'] });
  });

  it('keeps providers apart: the same payment id at two providers belongs to each one\'s order', () => {
    const orders = new OrdersPlaced();
    orders.see(answer('a', 'alipay', { providerPaymentId: 'P1' }));
    orders.see(answer('b', 'wechatpay', { providerPaymentId: 'P1' }));
    expect(orders.inShopTerms(capture('alipay', 'P1', 'x')[0]!).orderId).toBe('a');
    expect(orders.inShopTerms(capture('wechatpay', 'P1', 'y')[0]!).orderId).toBe('b');
  });

  it('lists only the orders no answer named, for the system under test to be asked about', () => {
    const orders = new OrdersPlaced();
    orders.placing(plan('answered', 'alipay'));
    orders.placing(plan('cut-off', 'alipay'));
    orders.see(answer('answered', 'alipay', { providerReference: 'answered' }));
    expect(orders.unanswered()).toEqual([{ variant: 'baseline', provider: 'alipay', orderId: 'cut-off' }]);
  });

  it('leaves no provider numbering in the harness: only the gateway (and the stack that starts it) knows it', () => {
    const root = join(import.meta.dirname, '../../..');
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.ts') && !f.startsWith('src/gateway/'));
    const knowing = files.filter((f) => /OutTradeNo|providerOrderNumber/.test(readFileSync(join(root, f), 'utf8')));
    expect(knowing).toEqual([]);
  });
});
