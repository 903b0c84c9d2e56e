import { describe, expect, it } from 'vitest';
import { runOne, withRegression } from '../../../helpers/edited-scenario.js';

/**
 * Negative control — 3-D Secure: journeys-end-state claims a failed or abandoned challenge is
 * never captured. threeDSecureAsPaid (money-lifecycle.test.ts) only books money nobody took, so
 * the provider's ledger stays clean and this claim is never tested; here the gateway really has
 * Stripe capture a failed challenge (threeDSecureFallbackCard: the intent confirmed again with a
 * card that needs no challenge), and journeys-end-state itself must turn red — on those orders only.
 * The shipped money-lifecycle.yaml runs unchanged but for the regression.
 *
 * An abandoned challenge (three_ds_abandoned: the shopper never opens the page) is reported by
 * nothing, so threeDSecureFallbackCard leaves it alone; threeDSecureAbandonedFallback is its
 * control: past the gateway's wait the intent, still requires_action, is confirmed again with a
 * card that needs no challenge, and journeys-end-state must turn red on those orders only.
 */
describe('negative controls: 3-D Secure', () => {
  // [regression, journey, what its shopper did]: threeDSecureFallbackCard confirms a failed
  // challenge again with another card; threeDSecureAbandonedFallback confirms an unanswered one
  // again after the gateway's wait.
  const controls = [
    ['threeDSecureFallbackCard', 'three_ds_failed', 'failed'],
    ['threeDSecureAbandonedFallback', 'three_ds_abandoned', 'abandoned'],
  ] as const;
  it.each(controls)('exits 1 against a gateway with %s: journeys-end-state red on %s orders alone', async (regression, journey, did) => {
    const bad = await runOne(await withRegression('money-lifecycle.yaml', { [regression]: true }));
    const results = bad.entries[0]!.results!;
    const verdicts = JSON.stringify(results.invariants.map((i) => [i.name, i.passed, i.violations.slice(0, 2).map((v) => v.message)]));
    expect(bad.exitCode, verdicts).toBe(1);
    const journeys = results.invariants.find((i) => i.name === 'journeys-end-state')!;
    expect(journeys.passed, verdicts).toBe(false);
    expect(journeys.violations.length).toBeGreaterThan(0);
    // Each one a Stripe order whose shopper failed (or never opened) the challenge, captured all the same; no other journey is touched.
    for (const v of journeys.violations) {
      expect(v.provider, v.message).toBe('stripe');
      expect(v.message).toMatch(new RegExp(`^${journey}: captured \\d+ at stripe, but its shopper ${did} the 3-D Secure challenge$`));
    }
    expect(new Set(journeys.violations.map((v) => v.orderId)).size).toBe(journeys.violations.length);
  }, 180_000);
});
