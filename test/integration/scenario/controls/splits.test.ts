import { describe, expect, it } from 'vitest';
import { runOne, shippedScenario, withRegression } from '../../../helpers/edited-scenario.js';

/**
 * Negative control — marketplace splits (issue #15): marketplace-splits runs Stripe destination
 * charges and Adyen splits through the reference gateway and a real stack; its books must balance
 * and match Stripe's report split by split. The same file against a gateway that books each split
 * but never sends it (splitOff) must exit 1 with reconciliation-clean red, split-mismatch alone.
 */
describe('negative controls: marketplace splits', () => {
  it('marketplace-splits reconciles every split against Stripe\'s report, and exits 1 with split-mismatch when the gateway books splits it never sends (splitOff)', async () => {
    const good = await runOne(shippedScenario('marketplace-splits.yaml'));
    const results = good.entries[0]!.results!;
    const clean = results.invariants.find((i) => i.name === 'reconciliation-clean')!;
    expect(good.exitCode, JSON.stringify(clean.violations.slice(0, 3))).toBe(0);
    expect(clean.checked).toBeGreaterThan(20);
    expect(results.invariants.find((i) => i.name === 'ledger-balances')!.passed).toBe(true);
    expect(results.reconciliation?.byKind['split-mismatch']).toBe(0);

    const bad = await runOne(await withRegression('marketplace-splits.yaml', { splitOff: true }));
    expect(bad.exitCode).toBe(1);
    const red = bad.entries[0]!.results!.invariants.find((i) => i.name === 'reconciliation-clean')!;
    expect(red.passed).toBe(false);
    expect(red.violations.length).toBeGreaterThan(5);
    expect(red.violations.every((v) => v.provider === 'stripe' && v.message.startsWith('split-mismatch: ')), JSON.stringify(red.violations.slice(0, 3))).toBe(true);
    expect(bad.entries[0]!.results!.reconciliation?.byKind['split-mismatch']).toBe(red.violations.length);
  }, 150_000);
});
