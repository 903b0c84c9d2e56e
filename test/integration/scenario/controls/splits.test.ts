import { describe, expect, it } from 'vitest';
import { runOne, shippedScenario, withRegression } from '../../../helpers/edited-scenario.js';

/**
 * Negative control — marketplace splits (issue #15): marketplace-splits runs Stripe destination
 * charges, Adyen splits and Alipay / WeChat Pay 分账 through the reference gateway and a real
 * stack; its books must balance and match Stripe's, Alipay's and WeChat Pay's reports split by split. The same file against a gateway that books each split
 * but never sends it (splitOff) must exit 1 with reconciliation-clean red, split-mismatch alone.
 */
describe('negative controls: marketplace splits', () => {
  it('marketplace-splits reconciles every split against Stripe\'s, Alipay\'s and WeChat Pay\'s reports, and exits 1 with split-mismatch at each when the gateway books splits it never sends (splitOff)', async () => {
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
    expect(red.violations.every((v) => v.message.startsWith('split-mismatch: ')), JSON.stringify(red.violations.slice(0, 3))).toBe(true);
    // Every provider whose report lists splits catches it: Stripe's transfers, Alipay's and WeChat Pay's 分账 rows.
    expect([...new Set(red.violations.map((v) => v.provider))].sort()).toEqual(['alipay', 'stripe', 'wechatpay']);
    expect(bad.entries[0]!.results!.reconciliation?.byKind['split-mismatch']).toBe(red.violations.length);
  }, 150_000);
});
