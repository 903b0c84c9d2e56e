import { describe, expect, it } from 'vitest';
import { TrafficConfigError, planShopper, requestFor, resolveTrafficConfig, splitFor, type Step } from '../../../load/lib/index.js';

/** A marketplace channel in the traffic model (issue #15): a mix entry's `split` reaches every order's POST /payments. */
const marketplace = { provider: 'stripe', method: 'card', weight: 1, paymentMethods: [['pm_card_visa', 1]], currencies: [['eur', 1]], amount: { min: 1000, max: 5000 } };

function problemsOf(input: Record<string, unknown>): string[] {
  try {
    resolveTrafficConfig(input);
  } catch (err) {
    expect(err).toBeInstanceOf(TrafficConfigError);
    return (err as TrafficConfigError).problems;
  }
  return [];
}

describe('a marketplace mix entry', () => {
  it('prices the commission as percent of the amount, rounded to the minor unit, plus fixed, capped at the amount', () => {
    expect(splitFor({ destination: 'acct_a', platformFee: { percent: 10, fixed: 30 } }, 1_005)).toEqual({ destination: 'acct_a', platformFee: 131 });
    expect(splitFor({ destination: 'acct_a', platformFee: { percent: 0, fixed: 0 } }, 999)).toEqual({ destination: 'acct_a', platformFee: 0 });
    expect(splitFor({ destination: 'acct_a', platformFee: { percent: 50, fixed: 500 } }, 600)).toEqual({ destination: 'acct_a', platformFee: 600 });
  });

  it('puts the split on every order of the entry, and in its POST /payments body, duplicates included', () => {
    const config = resolveTrafficConfig({ runId: 'mkt', seed: 3, mix: [{ ...marketplace, split: { destination: 'acct_seller1', platformFee: { percent: 12.5, fixed: 25 } } }] });
    for (let index = 0; index < 20; index++) {
      const plan = planShopper({ index }, config);
      expect(plan.split).toEqual({ destination: 'acct_seller1', platformFee: Math.round(plan.amount * 0.125) + 25 });
      const step: Step = { kind: 'pay', label: 'first', idempotencyKey: `${plan.orderId}-k`, delayMs: 0, concurrent: false, when: 'always' };
      expect(JSON.parse(requestFor(plan, step).body!).split).toEqual(plan.split);
    }
  });

  it('leaves orders of an entry without split unsplit (no field sent)', () => {
    const plan = planShopper({ index: 0 }, resolveTrafficConfig({ runId: 'plain', seed: 3, mix: [marketplace] }));
    expect(plan.split).toBeUndefined();
    expect(JSON.parse(requestFor(plan, { kind: 'pay', label: 'first', idempotencyKey: 'k', delayMs: 0, concurrent: false, when: 'always' }).body!)).not.toHaveProperty('split');
  });

  it('refuses a bad split with every problem at once, each naming its path and the fix', () => {
    const problems = problemsOf({ runId: 'r', mix: [{ ...marketplace, split: { destination: 'acct seller', platformFee: { percent: 120, fixed: 1.5, cap: 3 } } }] });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^mix\[0\]\.split\.destination: expected the provider's id/),
        expect.stringMatching(/^mix\[0\]\.split\.platformFee\.percent: expected a number from 0 to 100/),
        expect.stringMatching(/^mix\[0\]\.split\.platformFee\.fixed: expected an integer >= 0/),
        expect.stringMatching(/^mix\[0\]\.split\.platformFee\.cap/),
      ]),
    );
    expect(problemsOf({ runId: 'r', mix: [{ ...marketplace, split: 'acct_x' }] })).toEqual([expect.stringMatching(/^mix\[0\]\.split: expected \{ destination/)]);
  });
});
