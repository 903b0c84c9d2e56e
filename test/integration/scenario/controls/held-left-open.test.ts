import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOne } from '../../../helpers/edited-scenario.js';

/**
 * Negative control — a hold left open (issue #15): PayPal authorise-only shoppers who capture,
 * while PayPal commits half its authorisations and then answers 500. A shopper whose
 * authorisation's answer was lost still captures (the traffic model's `if_authorised`), and the
 * gateway must find the hold (a status query) and capture it. Against a gateway that never asks
 * (noRecovery) the capture is refused NOT_HELD while PayPal holds the money: journeys-end-state
 * must turn red on exactly those orders, "left held", and on nothing else.
 *
 * every-channel.yaml has the same fault, but too few capture shoppers meet it to be a control.
 */
const SCENARIO = `name: held-left-open
description: PayPal authorise-only shoppers who capture while PayPal commits half its authorisations, then answers 500.
stack:
  seed: 15
  gateway:
    # A breaker that never opens: every shopper reaches PayPal and its fault.
    breaker: { failureThreshold: 1000, halfOpenAfterMs: 1000 }
REGRESSION
load:
  executor: constant-arrival-rate
  rate: 10
  duration: 4s
  mix:
    - { provider: paypal, method: wallet, weight: 1, manualCapture: true, paymentMethods: [[pm_paypal, 1]], currencies: [[usd, 1]], amount: { min: 500, max: 5000 } }
  behaviours: { pay: 0, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0, pay_capture: 1 }
timeline:
  - { id: paypal-commits-then-500, at: 0s, for: 4s, target: paypal, type: charged-then-error, rate: 0.5 }
expect:
  invariants: [no-double-charge, journeys-end-state]
`;

async function scenario(regression: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'paychaos-held-')), 'held-left-open.yaml');
  await writeFile(path, SCENARIO.replace('REGRESSION\n', regression));
  return path;
}

describe('negative controls: a hold left open', () => {
  it('holds against the reference gateway (captures after a lost authorisation answer find the hold), and exits 1 with journeys-end-state red, "left held", against one that never asks (noRecovery)', async () => {
    const good = await runOne(await scenario(''));
    const goodResults = good.entries[0]!.results!;
    const goodVerdicts = JSON.stringify(goodResults.invariants.map((i) => [i.name, i.passed, i.violations.slice(0, 2).map((v) => v.message)]));
    expect(good.exitCode, goodVerdicts).toBe(0);
    expect(goodResults.invariants.find((i) => i.name === 'journeys-end-state')!.checked).toBeGreaterThan(0);

    const bad = await runOne(await scenario('    regression: { noRecovery: true }\n'));
    const results = bad.entries[0]!.results!;
    const verdicts = JSON.stringify(results.invariants.map((i) => [i.name, i.passed, i.violations.slice(0, 2).map((v) => v.message)]));
    expect(bad.exitCode, verdicts).toBe(1);
    const journeys = results.invariants.find((i) => i.name === 'journeys-end-state')!;
    expect(journeys.violations.length, verdicts).toBeGreaterThan(0);
    for (const v of journeys.violations) {
      expect(v.provider, v.message).toBe('paypal');
      expect(v.message).toMatch(/^pay_capture: authorised \d+ at paypal and left held at the end of the run, never captured nor voided, though its shopper's capture answered failed$/);
    }
    // No order was charged twice either way: the red is the hold, nothing else.
    expect(results.invariants.find((i) => i.name === 'no-double-charge')!.passed).toBe(true);
  });
});
