import { describe, expect, it } from 'vitest';
import { TrafficOverrides, planShopperWith, reweigh, trafficConfig } from '../../../src/load/index.js';
import type { ShopperPlan } from '../../../src/load/index.js';

/** Client fault steps change what the built-in driver plans: counted over a seeded run. */
const config = trafficConfig({ runId: 'ov', seed: 42, variants: { baseline: 1, canary: 1 } });
const N = 4000;
const plan = (overrides?: TrafficOverrides) => Array.from({ length: N }, (_, index) => planShopperWith({ index }, config, overrides));
const count = (plans: ShopperPlan[], pred: (p: ShopperPlan) => boolean) => plans.filter(pred).length;

describe('TrafficOverrides', () => {
  it('plans exactly the base model when no override is active', () => {
    const overrides = new TrafficOverrides();
    expect(plan(overrides)).toEqual(plan());
  });

  it('gives the forced share of shoppers the behaviour (seeded count), keeping each shopper\'s order, variant and amount', () => {
    const base = plan();
    const overrides = new TrafficOverrides();
    const release = overrides.add('dup', { shares: { new_key_retry: 0.5 } });
    const hit = plan(overrides);
    // 2 % of shoppers retry with a new key in the base model; half of them while the step lasts.
    expect(count(base, (p) => p.behaviour === 'new_key_retry')).toBeLessThan(N * 0.04);
    const forced = count(hit, (p) => p.behaviour === 'new_key_retry');
    expect(forced).toBeGreaterThan(N * 0.46);
    expect(forced).toBeLessThan(N * 0.54);
    expect(hit.map((p) => [p.orderId, p.variant, p.amount, p.currency])).toEqual(base.map((p) => [p.orderId, p.variant, p.amount, p.currency]));
    // The new key is the trap the step is for: a second submit of the same order under another key.
    const trap = hit.find((p) => p.behaviour === 'new_key_retry')!;
    expect(trap.steps.map((s) => s.idempotencyKey)).toEqual([`${trap.orderId}-k1`, `${trap.orderId}-k2`]);
    release();
    release(); // idempotent
    expect(plan(overrides)).toEqual(base);
  });

  it('aims at one variant when asked, and tunes the behaviour it forces', () => {
    const overrides = new TrafficOverrides();
    overrides.add('clicks', { shares: { double_click: 1 }, doubleClick: { minClicks: 6, maxClicks: 6 }, variant: 'canary' });
    const plans = plan(overrides);
    const canary = plans.filter((p) => p.variant === 'canary');
    const baseline = plans.filter((p) => p.variant === 'baseline');
    expect(canary.every((p) => p.behaviour === 'double_click' && p.steps.length === 6)).toBe(true);
    expect(count(baseline, (p) => p.behaviour === 'double_click')).toBeLessThan(baseline.length * 0.05);
  });

  it('keeps overlapping overrides apart: releasing one leaves the other in force', () => {
    const overrides = new TrafficOverrides();
    const a = overrides.add('a', { shares: { abandon_resume: 0.5 } });
    overrides.add('b', { shares: { retry_on_timeout: 0.5 } });
    a();
    const plans = plan(overrides);
    expect(count(plans, (p) => p.behaviour === 'retry_on_timeout')).toBeGreaterThan(N * 0.45);
    expect(count(plans, (p) => p.behaviour === 'abandon_resume')).toBeLessThan(N * 0.05);
    expect(() => overrides.add('b', {})).toThrow(/already active/);
  });

  it('reweighs: forced shares kept (scaled if above 1 together), the rest split in base proportions', () => {
    const base = { pay: 90, duplicate_submit: 3, new_key_retry: 2, double_click: 2, abandon_resume: 2, retry_on_timeout: 1, refund_full: 0, refund_partial: 0, refund_partials: 0, pay_cancel: 0, pay_other_currency: 0, three_ds_passed: 0, three_ds_failed: 0, three_ds_abandoned: 0, pay_capture: 0, void_race_capture: 0 };
    const w = reweigh(base, { double_click: 0.4 });
    expect(w.double_click).toBeCloseTo(0.4);
    expect(w.pay).toBeCloseTo((90 / 98) * 0.6);
    const over = reweigh(base, { double_click: 0.8, abandon_resume: 0.8 });
    expect(over.double_click).toBeCloseTo(0.5);
    expect(over.pay).toBe(0);
    expect(reweigh({ ...base, pay: 0, duplicate_submit: 0, new_key_retry: 0, abandon_resume: 0, retry_on_timeout: 0 }, { double_click: 0 })).toEqual({ ...base, pay: 0, duplicate_submit: 0, new_key_retry: 0, abandon_resume: 0, retry_on_timeout: 0 });
  });
});
