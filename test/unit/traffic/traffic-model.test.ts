import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AWAIT_PAID_TRIES, BEHAVIOURS, planShopper, requestFor, resolveTrafficConfig, type ShopperPlan } from '../../../load/lib/index.js';

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
    const weights = { pay: 25, duplicate_submit: 10, new_key_retry: 10, double_click: 10, abandon_resume: 10, retry_on_timeout: 10, refund_full: 5, refund_partial: 5, refund_partials: 5, pay_cancel: 5, pay_other_currency: 5, three_ds_passed: 0, three_ds_failed: 0, three_ds_abandoned: 0, pay_capture: 0, void_race_capture: 0 };
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

  it('plans the money-lifecycle journeys: refunds once paid (whole, a part, several parts under the whole), a cancel once held, each retried once under its own key, and carries the expected end state', () => {
    const config = resolveTrafficConfig({ runId: 'm', seed: 5, behaviours: { pay: 0, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0, refund_full: 1, refund_partial: 1, refund_partials: 1, pay_cancel: 1 } });
    const all = plans(config, 4000);
    const of = (b: ShopperPlan['behaviour']): ShopperPlan[] => all.filter((p) => p.behaviour === b);
    for (const p of all) expect(p.steps[0]).toMatchObject({ kind: 'pay', label: 'first', idempotencyKey: `${p.orderId}-k1` });

    for (const p of of('refund_full')) {
      expect(p.steps.slice(1).map((s) => [s.kind, s.label, s.idempotencyKey, s.amount, s.when])).toEqual([
        // A payment answered 202 (a redirect waiting for its webhook) is asked after, a few times, until paid.
        ...Array.from({ length: AWAIT_PAID_TRIES }, () => ['query', 'await_paid', '', undefined, 'while_waiting']),
        ['refund', 'refund', `${p.orderId}-r1`, p.amount, 'if_paid'],
        ['refund', 'refund_retry', `${p.orderId}-r1`, p.amount, 'after_lifecycle_unknown'],
      ]);
      expect(p.expect).toEqual({ refunds: [p.amount], cancel: false });
    }
    for (const p of of('refund_partial')) {
      const amount = p.steps.find((s) => s.label === 'refund')!.amount!;
      expect(amount).toBeGreaterThanOrEqual(1);
      if (p.amount >= 10) expect(amount).toBeLessThan(p.amount);
      expect(p.expect).toEqual({ refunds: [amount], cancel: false });
    }
    const partials = of('refund_partials');
    expect(new Set(partials.map((p) => p.expect.refunds.length))).toEqual(new Set([2, 3]));
    for (const p of partials) {
      const asks = p.steps.filter((s) => s.label === 'refund');
      expect(asks.map((s) => s.idempotencyKey)).toEqual(asks.map((_, i) => `${p.orderId}-r${i + 1}`));
      expect(p.expect.refunds).toEqual(asks.map((s) => s.amount));
      // Together under the whole (when the order is big enough to split): a part applied twice still fits the capture.
      if (p.amount >= 100) expect(p.expect.refunds.reduce((a, b) => a + b, 0)).toBeLessThan(p.amount);
      // Each refund is followed by its own retry, same key and amount.
      p.steps.forEach((s, i) => s.label === 'refund' && expect(p.steps[i + 1]).toMatchObject({ label: 'refund_retry', idempotencyKey: s.idempotencyKey, amount: s.amount }));
    }
    for (const p of of('pay_cancel')) {
      expect(p.steps.slice(1).map((s) => [s.kind, s.label, s.idempotencyKey, s.when])).toEqual([
        // A channel that holds voids the authorisation after a lost answer too; a waiting wallet only once answered 202.
        ['cancel', 'cancel', `${p.orderId}-c1`, p.capture === 'manual' ? 'if_authorised' : 'if_held'],
        ['cancel', 'cancel_retry', `${p.orderId}-c1`, 'after_lifecycle_unknown'],
      ]);
      expect(p.expect).toEqual({ refunds: [], cancel: true });
    }
    // The other journeys ask for nothing after the charge.
    expect(plans(resolveTrafficConfig({ runId: 'm', seed: 5 }), 500).every((p) => p.expect.refunds.length === 0 && !p.expect.cancel)).toBe(true);
  });

  it('plans the capture journeys on a channel that holds: authorise only, then a capture of the whole hold (retried once under its key), or a capture and a cancel in one burst', () => {
    const mix = [
      { provider: 'alipay', method: 'wallet', weight: 5, paymentMethods: [['pm_alipay', 1]], currencies: [['cny', 1]], amount: { min: 990, max: 2000 } },
      { provider: 'adyen', method: 'card', weight: 1, paymentMethods: [['pm_card_visa', 1]], currencies: [['eur', 1]], amount: { min: 100, max: 5000 }, manualCapture: true },
    ] as const;
    const behaviours = { pay: 0, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0, pay_capture: 1, void_race_capture: 1 };
    const all = plans(resolveTrafficConfig({ runId: 'cap', seed: 9, mix: mix.map((e) => ({ ...e, paymentMethods: e.paymentMethods.map((x) => [...x] as [string, number]), currencies: e.currencies.map((x) => [...x] as [string, number]) })), behaviours }), 2000);
    expect(new Set(all.map((p) => p.behaviour))).toEqual(new Set(['pay_capture', 'void_race_capture']));
    for (const p of all) {
      // Redrawn onto the channel that holds, whatever the mix's weights.
      expect(p).toMatchObject({ provider: 'adyen', capture: 'manual' });
      expect(requestFor(p, p.steps[0]!).body).toContain('"capture":"manual"');
      if (p.behaviour === 'pay_capture') {
        expect(p.steps.slice(1).map((s) => [s.kind, s.label, s.idempotencyKey, s.when, s.amount, s.concurrent])).toEqual([
          ['capture', 'capture', `${p.orderId}-p1`, 'if_authorised', p.amount, false],
          ['capture', 'capture_retry', `${p.orderId}-p1`, 'after_lifecycle_unknown', p.amount, false],
        ]);
        expect(p.expect).toEqual({ refunds: [], cancel: false, capture: p.amount });
        expect(requestFor(p, p.steps[1]!)).toMatchObject({ method: 'POST', path: `/payments/${p.orderId}/capture`, body: JSON.stringify({ amount: p.amount }), name: 'POST /payments/{orderId}/capture' });
      } else {
        expect(p.steps.slice(1).map((s) => [s.kind, s.label, s.when, s.concurrent])).toEqual([
          ['capture', 'race_capture', 'if_authorised', false],
          ['cancel', 'race_cancel', 'if_authorised', true],
        ]);
        expect(p.steps[2]!.delayMs).toBe(0);
        expect(p.expect).toEqual({ refunds: [], cancel: false, race: true });
      }
    }
    // Without a channel that holds, the capture journeys are refused up front, naming the field.
    expect(() => resolveTrafficConfig({ runId: 'cap', seed: 9, mix: [{ ...mix[0], paymentMethods: [['pm_alipay', 1]], currencies: [['cny', 1]] }], behaviours })).toThrow(/behaviours\.pay_capture: the capture journeys need a mix entry with manualCapture: true/);
    // pay_cancel on the channel that holds voids after a lost authorisation answer too; on the wallet, only once answered 202.
    const cancels = plans(resolveTrafficConfig({ runId: 'cap', seed: 9, mix: mix.map((e) => ({ ...e, paymentMethods: e.paymentMethods.map((x) => [...x] as [string, number]), currencies: e.currencies.map((x) => [...x] as [string, number]) })), behaviours: { ...behaviours, pay_capture: 0, void_race_capture: 0, pay_cancel: 1 } }), 400);
    expect(new Set(cancels.map((p) => `${p.provider} ${p.steps[1]!.when}`))).toEqual(new Set(['adyen if_authorised', 'alipay if_held']));
  });

  it('pays a shopper abroad in a currency of its channel other than the main one, and only that shopper', () => {
    const only = { pay: 0, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0, pay_other_currency: 1 };
    const config = resolveTrafficConfig({ runId: 'fx', seed: 8, mix: 'all', behaviours: only });
    const abroad = plans(config, 3000);
    const seen = new Set<string>();
    for (const p of abroad) {
      expect(p.steps).toHaveLength(1);
      expect(p.expect).toEqual({ refunds: [], cancel: false });
      // The channel the shopper paid through, and its main (heaviest) currency.
      const channel = config.mix.find((e) => e.provider === p.provider && e.method === p.method && e.paymentMethods.some(([pm]) => pm === p.paymentMethod))!;
      const main = [...channel.currencies].sort((a, b) => b[1] - a[1])[0]![0];
      const others = channel.currencies.filter(([c, w]) => c !== main && w > 0).map(([c]) => c);
      // Abroad wherever the channel takes another currency (Stripe cards: usd, gbp …; GrabPay: myr);
      // a one-currency channel (Alipay, iDEAL, UnionPay) can only pay in its own.
      if (others.length > 0) expect(others, `${p.provider} ${p.method}`).toContain(p.currency);
      else expect(p.currency, `${p.provider} ${p.method}`).toBe(main);
      seen.add(`${p.provider}:${p.currency}`);
    }
    expect(seen).toContain('stripe:usd');
    expect(seen).toContain('adyen:gbp');
    expect(seen).toContain('paypal:eur');
  });

  it('keeps the older journeys\' plans unchanged when the lifecycle journeys are weighted 0 (same seed, same shoppers as before they existed)', () => {
    const config = resolveTrafficConfig({ runId: 'z', seed: 9 });
    const digest = createHash('sha256');
    for (let index = 0; index < 2000; index++) {
      const { expect: _expected, ...plan } = planShopper({ index }, config);
      digest.update(JSON.stringify(plan));
    }
    // Computed from the model before the lifecycle journeys were added: their zero weights draw nothing.
    expect(digest.digest('hex')).toBe('11a547de5cac864939aed3aa1490e2ec6c1326cf259d5038c6b0924a4b8eef4a');
  });

  it('records the virtual arrival time it was given', () => {
    expect(planShopper({ index: 3, timeMs: 1234.5 }, resolveTrafficConfig({ runId: 't' })).timeMs).toBe(1234.5);
  });
});
