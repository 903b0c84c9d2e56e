import { afterEach, describe, expect, it, vi } from 'vitest';
import { BEHAVIOURS, planShopper, resolveTrafficConfig, type ShopperPlan } from '../../../load/lib/index.js';

const N = 40_000;

/** Observed counts must sit within 4 standard deviations of n·p (binomial): a 1-in-15,000 false alarm. */
function expectProportion(count: number, n: number, p: number): void {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(Math.abs(count - n * p), `${count} of ${n}, expected ≈ ${(n * p).toFixed(0)} ± ${(4 * sd).toFixed(0)}`).toBeLessThanOrEqual(4 * sd + 1);
}

function plans(config = resolveTrafficConfig({ runId: 'mix', seed: 42 }), n = N): ShopperPlan[] {
  return Array.from({ length: n }, (_, index) => planShopper({ index }, config));
}

describe('the traffic model', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives the same shopper for the same seed and index, whatever order iterations run in', () => {
    const config = resolveTrafficConfig({ runId: 'r', seed: 7 });
    const forward = [0, 1, 2, 3, 500, 123_456].map((index) => planShopper({ index }, config));
    const backward = [123_456, 500, 3, 2, 1, 0].map((index) => planShopper({ index }, config)).reverse();
    expect(backward).toEqual(forward);
    expect(planShopper({ index: 1 }, resolveTrafficConfig({ runId: 'r', seed: 8 }))).not.toEqual(forward[1]);
  });

  it('never calls Math.random', () => {
    const spy = vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random called');
    });
    plans(undefined, 2000);
    expect(spy).not.toHaveBeenCalled();
  });

  it('matches the configured behaviour weights over many seeded iterations', () => {
    const weights = { pay: 30, duplicate_submit: 10, new_key_retry: 10, double_click: 10, abandon_resume: 10, retry_on_timeout: 10, refund_full: 5, refund_partial: 5, refund_partials: 5, pay_cancel: 5 };
    const all = plans(resolveTrafficConfig({ runId: 'b', seed: 3, behaviours: weights }));
    for (const b of BEHAVIOURS) expectProportion(all.filter((p) => p.behaviour === b).length, N, weights[b] / 100);
  });

  it('matches the configured provider, payment-method and currency mix', () => {
    const config = resolveTrafficConfig({
      runId: 'm',
      seed: 5,
      mix: [
        { provider: 'stripe', method: 'card', weight: 3, paymentMethods: [['pm_card_visa', 9], ['pm_card_chargeDeclined', 1]], currencies: [['eur', 1], ['usd', 1]], amount: { min: 100, max: 1000 } },
        { provider: 'alipay', method: 'wallet', weight: 1, paymentMethods: [['pm_alipay', 1]], currencies: [['cny', 1]], amount: { min: 990, max: 990 } },
      ],
    });
    const all = plans(config);
    const stripe = all.filter((p) => p.provider === 'stripe');
    expectProportion(stripe.length, N, 0.75);
    expectProportion(stripe.filter((p) => p.paymentMethod === 'pm_card_chargeDeclined').length, stripe.length, 0.1);
    expectProportion(stripe.filter((p) => p.currency === 'eur').length, stripe.length, 0.5);
    expect(stripe.filter((p) => p.method !== 'card' || !Number.isInteger(p.amount) || p.amount < 100 || p.amount > 1000)).toEqual([]);
    const alipay = all.filter((x) => x.provider === 'alipay');
    expect(alipay.filter((p) => p.method !== 'wallet' || p.currency !== 'cny' || p.amount !== 990 || p.paymentMethod !== 'pm_alipay')).toEqual([]);
  });

  it('splits shoppers between baseline and canary by weight', () => {
    const all = plans(resolveTrafficConfig({ runId: 'v', seed: 9, variants: { baseline: 0.8, canary: 0.2 } }));
    expectProportion(all.filter((p) => p.variant === 'canary').length, N, 0.2);
    expect(plans(resolveTrafficConfig({ runId: 'v' }), 1000).every((p) => p.variant === 'baseline')).toBe(true);
  });

  it('gives every shopper a fresh order id the reference gateway accepts', () => {
    const all = plans(resolveTrafficConfig({ runId: 'k6-lq3x9a2b-d11', seed: 1 }), 5000);
    expect(new Set(all.map((p) => p.orderId)).size).toBe(all.length);
    for (const p of all) expect(p.orderId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(planShopper({ index: 2 ** 40 }, resolveTrafficConfig({ runId: 'x'.repeat(40) })).orderId.length).toBeLessThanOrEqual(64);
  });

  it('builds each behaviour from the right requests: same key, new key, burst, query-then-pay, retry after unknown', () => {
    const all = plans(resolveTrafficConfig({ runId: 's', seed: 11 }), 20_000);
    const one = (b: ShopperPlan['behaviour']): ShopperPlan => all.find((p) => p.behaviour === b)!;
    const k1 = (p: ShopperPlan): string => `${p.orderId}-k1`;

    expect(one('pay').steps).toEqual([{ kind: 'pay', label: 'first', idempotencyKey: k1(one('pay')), delayMs: 0, concurrent: false, when: 'always' }]);

    const dup = one('duplicate_submit');
    expect(dup.steps.map((s) => [s.kind, s.label, s.idempotencyKey, s.concurrent])).toEqual([['pay', 'first', k1(dup), false], ['pay', 'duplicate', k1(dup), false]]);
    expect(dup.steps[1]!.delayMs).toBeGreaterThanOrEqual(200);

    const trap = one('new_key_retry');
    expect(trap.steps.map((s) => [s.label, s.idempotencyKey])).toEqual([['first', k1(trap)], ['new_key', `${trap.orderId}-k2`]]);

    for (const burst of all.filter((p) => p.behaviour === 'double_click')) {
      expect(burst.steps.length).toBeGreaterThanOrEqual(2);
      expect(burst.steps.length).toBeLessThanOrEqual(4);
      expect(burst.steps.slice(1).every((s) => s.concurrent && s.label === 'double_click' && s.idempotencyKey === k1(burst) && s.delayMs <= 150)).toBe(true);
    }

    const abandon = one('abandon_resume');
    expect(abandon.steps.map((s) => [s.kind, s.label, s.when])).toEqual([['query', 'query', 'always'], ['pay', 'resume', 'unless_paid']]);
    expect(abandon.steps[0]!.delayMs).toBeGreaterThanOrEqual(2000);

    const retry = one('retry_on_timeout');
    expect(retry.steps.map((s) => [s.kind, s.label, s.idempotencyKey, s.when])).toEqual([
      ['pay', 'first', k1(retry), 'always'],
      ['query', 'query', '', 'after_unknown'],
      ['pay', 'retry', k1(retry), 'after_unknown'],
    ]);
  });

  it('records the virtual arrival time it was given', () => {
    expect(planShopper({ index: 3, timeMs: 1234.5 }, resolveTrafficConfig({ runId: 't' })).timeMs).toBe(1234.5);
  });
});
