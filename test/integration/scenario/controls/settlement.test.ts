import { describe, expect, it } from 'vitest';
import { shippedScenario, withRegression, withStep, runOne } from '../../../helpers/edited-scenario.js';

/**
 * Negative controls — settlement and disputes: the books against the providers' reports.
 * A scenario that claims to catch a bug must turn red when the bug is there. The shipped
 * scenario file is run unchanged but for the one part named (the reference gateway's
 * regression, a timeout, a fault step), so it is the check itself that is proven. One file per
 * theme, so the runs spread over the test workers instead of queueing in one file.
 */
describe('negative controls: settlement', () => {
  it('settlement-reconciliation holds against the reference gateway, and exits 1 when Alipay\'s settlement file leaves out lines (each other settlement fault: test/integration/reconcile/)', async () => {
    const good = await runOne(shippedScenario('settlement-reconciliation.yaml'));
    const clean = good.entries[0]!.results!.invariants.find((i) => i.name === 'reconciliation-clean')!;
    expect(good.exitCode, JSON.stringify(clean.violations.slice(0, 3))).toBe(0);
    expect(clean.checked).toBeGreaterThan(50);
    // A day per second (stack.timeScale): the run waited for the last T+2 cycle, so every line is in the files — none merely not yet due.
    expect(good.entries[0]!.results!.reconciliation).toMatchObject({ notYetDue: 0, mismatches: 0 });
    expect(good.entries[0]!.results!.reconciliation!.matched).toBe(clean.checked);
    expect(good.entries[0]!.results!.invariants.find((i) => i.name === 'ledger-balances')!.passed).toBe(true);
    const bad = await runOne(await withStep('settlement-reconciliation.yaml', { id: 'lost-lines', at: '2s', for: '4s', target: 'alipay', type: 'settlement-discrepancy', missingLine: 0.3 }));
    expect(bad.exitCode).toBe(1);
    const red = bad.entries[0]!.results!.invariants.find((i) => i.name === 'reconciliation-clean')!;
    expect(red.passed).toBe(false);
    expect(red.violations.length).toBeGreaterThan(0);
    expect(red.violations.every((v) => v.provider === 'alipay' && v.message.startsWith('missing-theirs: '))).toBe(true);
  }, 120_000);

  it('settlement-reconciliation judges the fees the gateway books: exits 1 with fee-mismatch alone when Stripe\'s report keeps 5 cents more than its price', async () => {
    const bad = await runOne(await withStep('settlement-reconciliation.yaml', { id: 'fee-off', at: '1s', for: '6s', target: 'stripe', type: 'settlement-discrepancy', feeOff: { share: 0.5, byMinor: 5 } }));
    expect(bad.exitCode).toBe(1);
    const red = bad.entries[0]!.results!.invariants.find((i) => i.name === 'reconciliation-clean')!;
    expect(red.passed).toBe(false);
    expect(red.violations.length).toBeGreaterThan(0);
    expect(red.violations.every((v) => v.provider === 'stripe' && v.message.startsWith('fee-mismatch: ')), JSON.stringify(red.violations.slice(0, 3))).toBe(true);
  }, 120_000);

  it('settlement-reconciliation books every dispute from its notifications, and exits 1 against a gateway that ignores them (ignoreDisputes): disputes-booked and reconciliation-clean turn red on Stripe\'s chargebacks', async () => {
    const good = await runOne(shippedScenario('settlement-reconciliation.yaml'));
    const booked = good.entries[0]!.results!.invariants.find((i) => i.name === 'disputes-booked')!;
    expect(good.exitCode, JSON.stringify(booked.violations.slice(0, 3))).toBe(0);
    expect(booked.checked).toBeGreaterThan(2);
    const bad = await runOne(await withRegression('settlement-reconciliation.yaml', { ignoreDisputes: true }));
    expect(bad.exitCode).toBe(1);
    const red = bad.entries[0]!.results!.invariants.find((i) => i.name === 'disputes-booked')!;
    expect(red.passed).toBe(false);
    expect(red.violations.length).toBeGreaterThan(2);
    expect(red.violations.every((v) => v.provider === 'stripe' && v.message.includes('no dispute entry at all'))).toBe(true);
    const clean = bad.entries[0]!.results!.invariants.find((i) => i.name === 'reconciliation-clean')!;
    expect(clean.violations.length).toBeGreaterThan(0);
    // Books without the chargeback lack its dispute fee too: fee-mismatch beside it on the same payments.
    expect(clean.violations.some((v) => v.message.startsWith('missing-ours: chargebacks of '))).toBe(true);
    expect(clean.violations.every((v) => v.provider === 'stripe' && (v.message.startsWith('missing-ours: chargebacks of ') || v.message.startsWith('fee-mismatch: ')))).toBe(true);
  }, 120_000);

  it('settlement-reconciliation judges dispute fees: exits 1 with fee-mismatch alone, on Stripe\'s disputed payments, against a gateway that books chargebacks without them (ignoreDisputeFees)', async () => {
    const bad = await runOne(await withRegression('settlement-reconciliation.yaml', { ignoreDisputeFees: true }));
    expect(bad.exitCode).toBe(1);
    const red = bad.entries[0]!.results!.invariants.find((i) => i.name === 'reconciliation-clean')!;
    expect(red.passed).toBe(false);
    expect(red.violations.length).toBeGreaterThan(0);
    expect(red.violations.every((v) => v.provider === 'stripe' && v.message.startsWith('fee-mismatch: ')), JSON.stringify(red.violations.slice(0, 3))).toBe(true);
    expect(bad.entries[0]!.results!.invariants.find((i) => i.name === 'disputes-booked')!.passed).toBe(true);
  }, 120_000);
});
