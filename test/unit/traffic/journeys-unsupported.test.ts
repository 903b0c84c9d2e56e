import { describe, expect, it } from 'vitest';
import { planShopper } from '../../../load/lib/index.js';
import { trafficConfig } from '../../../src/load/traffic.js';

const wallet = { provider: 'wiremock:ecny', method: 'wallet', weight: 1, paymentMethods: [['pm_ecny', 1]], currencies: [['cny', 1]], amount: { min: 990, max: 2000 } };
const card = { provider: 'unionpay', method: 'card', weight: 1, paymentMethods: [['pm_card_unionpay', 1]], currencies: [['cny', 1]], amount: { min: 990, max: 2000 } };

describe('journeys a channel cannot take', () => {
  it('refuses a refund journey at a WireMock wallet with PAYCHAOS_ERR_LOAD_JOURNEY_UNSUPPORTED naming the weight and the fix', () => {
    let caught: unknown;
    try {
      trafficConfig({ runId: 'r', mix: [wallet], behaviours: { pay: 1, refund_partial: 1 } });
    } catch (err) {
      caught = err;
    }
    expect((caught as { code?: string }).code).toBe('PAYCHAOS_ERR_LOAD_JOURNEY_UNSUPPORTED');
    expect((caught as Error).message).toMatch(/behaviours\.refund_partial: mix\[0\] \(wiremock:ecny wallet\) has no refund: .*refund_partial: 0/);
  });

  it('refuses a cancel at UnionPay but takes its refunds', () => {
    expect(() => trafficConfig({ runId: 'r', mix: [card], behaviours: { pay: 1, pay_cancel: 1 } })).toThrow(/mix\[0\] \(unionpay card\) has no cancel/);
    expect(() => trafficConfig({ runId: 'r', mix: [card], behaviours: { pay: 1, refund_full: 1 } })).not.toThrow();
  });

  it('lets a mix entry leave a journey out by its own behaviours, and its shoppers never follow it', () => {
    const config = trafficConfig({ runId: 'r', mix: [card, { ...wallet, behaviours: { refund_full: 0 } }], behaviours: { pay: 1, refund_full: 3 } });
    const plans = Array.from({ length: 400 }, (_, index) => planShopper({ index }, config));
    expect(plans.some((p) => p.provider === 'wiremock:ecny')).toBe(true);
    expect(plans.filter((p) => p.provider === 'wiremock:ecny' && p.behaviour.startsWith('refund'))).toEqual([]);
    expect(plans.some((p) => p.provider === 'unionpay' && p.behaviour === 'refund_full')).toBe(true);
  });
});
