import { describe, expect, it } from 'vitest';
import { MIX_PRESETS, TRAFFIC_DEFAULTS, TrafficConfigError, resolveTrafficConfig } from '../../../load/lib/index.js';

function problemsOf(input: Record<string, unknown>): string[] {
  try {
    resolveTrafficConfig(input);
  } catch (err) {
    expect(err).toBeInstanceOf(TrafficConfigError);
    return (err as TrafficConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
}

describe('traffic config', () => {
  it('fills every default and freezes the result', () => {
    const config = resolveTrafficConfig({ runId: 'run1' });
    expect(config).toMatchObject({ ...TRAFFIC_DEFAULTS, runId: 'run1' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.behaviours)).toBe(true);
    expect(Object.isFrozen(config.mix[0]!.paymentMethods)).toBe(true);
  });

  it('merges a partial config over the defaults', () => {
    const config = resolveTrafficConfig({ runId: 'r', behaviours: { pay: 1, duplicate_submit: 0 }, doubleClick: { maxClicks: 6 } });
    expect(config.behaviours).toEqual({ ...TRAFFIC_DEFAULTS.behaviours, pay: 1, duplicate_submit: 0 });
    expect(config.doubleClick).toEqual({ ...TRAFFIC_DEFAULTS.doubleClick, maxClicks: 6 });
  });

  it('takes a mix preset by name', () => {
    expect(resolveTrafficConfig({ runId: 'r', mix: 'double11' }).mix).toEqual(MIX_PRESETS.double11);
    expect(problemsOf({ runId: 'r', mix: 'black-friday' })).toEqual([expect.stringMatching(/^mix: unknown preset "black-friday"/)]);
  });

  it('reports every problem at once, each with its path', () => {
    const problems = problemsOf({
      runId: 'has space',
      seed: -1,
      colour: 'red',
      variants: { baseline: 0, canary: 0 },
      behaviours: { pay: -1, teleport: 3 },
      doubleClick: { minClicks: 1 },
      resumeAfter: { minMs: 10, maxMs: 5 },
      mix: [{ provider: 'stripe', method: 'card', weight: 1, paymentMethods: [['pm_card_visa', 1]], currencies: [['euro', 1]], amount: { min: 0, max: 10 } }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^colour: unknown key/),
        expect.stringMatching(/^runId: /),
        expect.stringMatching(/^seed: /),
        expect.stringMatching(/^variants: at least one/),
        expect.stringMatching(/^behaviours\.teleport: unknown key/),
        expect.stringMatching(/^behaviours\.pay: expected a number >= 0/),
        expect.stringMatching(/^doubleClick\.minClicks: /),
        expect.stringMatching(/^resumeAfter\.maxMs: expected >= minMs/),
        expect.stringMatching(/^mix\[0\]\.currencies\[0\]: expected an ISO 4217 code/),
        expect.stringMatching(/^mix\[0\]\.amount: expected integers >= 1/),
      ]),
    );
    expect(problems).toHaveLength(10);
  });
});

describe('the 3-D Secure journeys in a config', () => {
  const only3ds = { pay: 0, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0, three_ds_passed: 1 };
  it('are weighted 0 by default, and the presets\' Stripe card entries carry the challenge card (Adyen\'s none)', () => {
    expect([TRAFFIC_DEFAULTS.behaviours.three_ds_passed, TRAFFIC_DEFAULTS.behaviours.three_ds_failed, TRAFFIC_DEFAULTS.behaviours.three_ds_abandoned]).toEqual([0, 0, 0]);
    expect(MIX_PRESETS.all.filter((e) => e.threeDSecure !== undefined).map((e) => [e.provider, e.method, e.threeDSecure])).toEqual([['stripe', 'card', 'pm_card_threeDSecure2Required']]);
    expect(() => resolveTrafficConfig({ runId: 'r', mix: 'all', behaviours: only3ds })).not.toThrow();
  });

  it('refuses them weighted on a mix with no entry that hands out a challenge, naming the behaviour and the fix', () => {
    const mix = [{ provider: 'alipay', method: 'wallet', weight: 1, paymentMethods: [['pm_alipay', 1]], currencies: [['cny', 1]] }];
    expect(problemsOf({ runId: 'r', mix, behaviours: only3ds })).toEqual([expect.stringMatching(/^behaviours\.three_ds_passed: .*threeDSecure/)]);
    expect(problemsOf({ runId: 'r', mix: [{ ...mix[0], threeDSecure: 7 }], behaviours: only3ds })).toContain('mix[0].threeDSecure: expected the payment method id of a card that asks for a 3-D Secure challenge, such as "pm_card_threeDSecure2Required"');
  });
});
