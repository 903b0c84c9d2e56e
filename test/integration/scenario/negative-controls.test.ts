import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios, runSuite } from '../../../src/scenario/index.js';
import { editedScenario, shippedScenario, withRegression } from '../../helpers/edited-scenario.js';

/**
 * Negative controls: a scenario that claims to catch a bug must turn red when the bug is there.
 * The shipped scenario file is run unchanged but for the reference gateway's regression (the
 * same `regression` block the canary uses), so it is the check itself that is proven.
 */
/** The shipped scenario with one part of its stack changed (a canary's regression, a timeout). */
const withStack = (file: string, patch: (stack: Record<string, unknown>) => Record<string, unknown>): Promise<string> =>
  editedScenario(file, (doc) => void (doc.stack = patch(doc.stack ?? {})));

/** The shipped scenario with one fault step added to its timeline. */
const withStep = (file: string, step: Record<string, unknown>): Promise<string> => editedScenario(file, (doc) => void (doc.timeline = [...(doc.timeline ?? []), step]));

const runOne = async (path: string): Promise<Awaited<ReturnType<typeof runSuite>>> => runSuite(await loadScenarios([path]), { paychaosVersion: '0.0.0-test', outDir: await mkdtemp(join(tmpdir(), 'paychaos-negative-out-')) });

describe('negative controls', () => {
  it('settlement-reconciliation holds against the reference gateway, and exits 1 when Alipay\'s settlement file leaves out lines (each other settlement fault: test/integration/reconcile/)', async () => {
    const good = await runOne(shippedScenario('settlement-reconciliation.yaml'));
    const clean = good.entries[0]!.results!.invariants.find((i) => i.name === 'reconciliation-clean')!;
    expect(good.exitCode, JSON.stringify(clean.violations.slice(0, 3))).toBe(0);
    expect(clean.checked).toBeGreaterThan(50);
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
    expect(clean.violations.every((v) => v.provider === 'stripe' && v.message.startsWith('missing-ours: chargebacks of '))).toBe(true);
  }, 120_000);

  it('duplicate-submit exits 1 against the gateway without its order guard (skipOrderGuard): orders charged twice', async () => {
    const path = await withRegression('duplicate-submit.yaml', { skipOrderGuard: true });
    const out = await mkdtemp(join(tmpdir(), 'paychaos-negative-out-'));
    const outcome = await runSuite(await loadScenarios([path]), { paychaosVersion: '0.0.0-test', outDir: out });
    expect(outcome.exitCode).toBe(1);
    const [entry] = outcome.entries;
    expect(entry!.status).toBe('completed');
    const doubleCharge = entry!.results!.invariants.find((i) => i.name === 'no-double-charge')!;
    expect(doubleCharge.passed).toBe(false);
    expect(doubleCharge.violations.length).toBeGreaterThan(0);
    // The junit report says so too, naming the invariant.
    const junit = await readFile(join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase name="invariant no-double-charge"[^>]*>\s*<failure type="invariant"/);
  }, 120_000);

  it('charged-then-error holds against the reference gateway, and exits 1 against the gateway without its order guard: a resubmit after the error charges again', async () => {
    const good = await runOne(shippedScenario('charged-then-error.yaml'));
    expect(good.exitCode, JSON.stringify([good.entries[0]!.results!.assertions, good.entries[0]!.results!.invariants])).toBe(0);
    const path = await withRegression('charged-then-error.yaml', { skipOrderGuard: true });
    const out = await mkdtemp(join(tmpdir(), 'paychaos-negative-out-'));
    const outcome = await runSuite(await loadScenarios([path]), { paychaosVersion: '0.0.0-test', outDir: out });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.entries[0]!.results!.invariants.find((i) => i.name === 'no-double-charge')!.passed).toBe(false);
  }, 120_000);

  it('crash-recovery holds against the reference gateway and exits 1 against one that never queries what it left pending (noRecovery)', async () => {
    const run = async (file: string): Promise<Awaited<ReturnType<typeof runSuite>>> => runSuite(await loadScenarios([file]), { paychaosVersion: '0.0.0-test', outDir: await mkdtemp(join(tmpdir(), 'paychaos-negative-out-')) });
    const good = await run(shippedScenario('crash-recovery.yaml'));
    const settledGood = good.entries[0]!.results!.invariants.find((i) => i.name === 'orders-settled')!;
    expect(good.exitCode, JSON.stringify(good.entries[0]!.results!.assertions)).toBe(0);
    // The crash really left payments mid-call: there was something to settle.
    expect(settledGood.checked).toBeGreaterThan(0);
    const bad = await run(await withRegression('crash-recovery.yaml', { noRecovery: true }));
    expect(bad.exitCode).toBe(1);
    const settledBad = bad.entries[0]!.results!.invariants.find((i) => i.name === 'orders-settled')!;
    expect(settledBad.passed).toBe(false);
    expect(settledBad.violations.length).toBeGreaterThan(0);
  }, 180_000);

  it('smoke exits 1 against a gateway that fails one payment in five before calling the provider: success rate and provider-error share both turn red', async () => {
    const bad = await runOne(await withRegression('smoke.yaml', { providerErrorRate: 0.2 }));
    expect(bad.exitCode).toBe(1);
    const failed = bad.entries[0]!.results!.assertions.filter((a) => !a.passed).map((a) => a.name);
    expect(failed.some((n) => n.startsWith('success_rate'))).toBe(true);
    expect(failed.some((n) => n.includes('provider_error'))).toBe(true);
  }, 120_000);

  it('weak-network holds against the reference gateway, and exits 1 against one 400 ms slower on every payment: "fast again after" is really checked', async () => {
    const good = await runOne(shippedScenario('weak-network.yaml'));
    expect(good.exitCode, JSON.stringify(good.entries[0]!.results!.assertions)).toBe(0);
    const bad = await runOne(await withRegression('weak-network.yaml', { extraLatencyMs: 400 }));
    expect(bad.exitCode).toBe(1);
    const after = bad.entries[0]!.results!.assertions.find((a) => a.name.startsWith('latency') && a.name.includes('after'))!;
    expect(after.passed).toBe(false);
    expect(after.measured).toBeGreaterThanOrEqual(300);
  }, 120_000);

  it('provider-latency holds against the reference gateway (10 s timeout), and exits 1 against one whose 300 ms provider timeout is shorter than the 400 ms slowdown', async () => {
    const duringStep = (r: { name: string }) => r.name.includes('success_rate{provider:stripe}') && r.name.includes('slow-acquirer');
    const good = await runOne(shippedScenario('provider-latency.yaml'));
    expect(good.exitCode, JSON.stringify(good.entries[0]!.results!.assertions)).toBe(0);
    const bad = await runOne(await withRegression('provider-latency.yaml', { timeoutMs: 300 }));
    expect(bad.exitCode).toBe(1);
    const red = bad.entries[0]!.results!.assertions.find(duringStep)!;
    expect(red.passed).toBe(false);
    // What it got wrong is the shoppers' experience, not the money: a timeout after sending is an
    // unknown outcome, settled by query, never charged twice.
    expect(bad.entries[0]!.results!.invariants.find((i) => i.name === 'no-double-charge')!.passed).toBe(true);
  }, 120_000);

  it('singles-day holds against the reference gateway, and exits 1 against the gateway without its order guard: the resubmits of the spike are charged again', async () => {
    const good = await runOne(shippedScenario('singles-day.yaml'));
    expect(good.exitCode, JSON.stringify([good.entries[0]!.results!.assertions, good.entries[0]!.results!.invariants])).toBe(0);
    const outcome = await runOne(await withRegression('singles-day.yaml', { skipOrderGuard: true }));
    expect(outcome.exitCode).toBe(1);
    expect(outcome.entries[0]!.results!.invariants.find((i) => i.name === 'no-double-charge')!.passed).toBe(false);
  }, 120_000);

  it('webhook-storm holds against the reference gateway and exits 1 against one that acknowledges notifications without checking their signature (ignoreWebhookSignature)', async () => {
    const good = await runOne(shippedScenario('webhook-storm.yaml'));
    const results = good.entries[0]!.results!;
    expect(good.exitCode, JSON.stringify([results.assertions, results.invariants])).toBe(0);
    const forgedGood = results.invariants.find((i) => i.name === 'webhooks-forged-rejected')!;
    // The storm really forged notifications, and the wallets really waited for one: there was something to refuse and to settle.
    expect(forgedGood.checked).toBeGreaterThan(10);
    expect(results.invariants.find((i) => i.name === 'orders-settled')!.checked).toBeGreaterThan(10);
    const bad = await runOne(await withRegression('webhook-storm.yaml', { ignoreWebhookSignature: true }));
    expect(bad.exitCode).toBe(1);
    const forgedBad = bad.entries[0]!.results!.invariants.find((i) => i.name === 'webhooks-forged-rejected')!;
    expect(forgedBad.passed).toBe(false);
    expect(forgedBad.violations.length).toBeGreaterThan(0);
  }, 180_000);

  it('canary-regression passes the same release, and exits 1 when the canary fails one payment in five before calling the provider: the judge fails it', async () => {
    const good = await runOne(shippedScenario('canary-regression.yaml'));
    expect(good.exitCode, JSON.stringify(good.entries[0]!.results!.canary)).toBe(0);
    const outcome = await runOne(await withStack('canary-regression.yaml', (stack) => ({ ...stack, canary: { ...(stack.canary as object), regression: { providerErrorRate: 0.2 } } })));
    expect(outcome.exitCode).toBe(1);
    expect(outcome.entries[0]!.results!.canary?.verdict).toBe('fail');
  }, 120_000);

});
