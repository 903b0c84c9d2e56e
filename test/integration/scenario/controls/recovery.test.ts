import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios, runSuite } from '../../../../src/scenario/index.js';
import { shippedScenario, withRegression, withStack, runOne } from '../../../helpers/edited-scenario.js';

/**
 * Negative controls — recovery, notifications and the canary judge.
 * A scenario that claims to catch a bug must turn red when the bug is there. The shipped
 * scenario file is run unchanged but for the one part named (the reference gateway's
 * regression, a timeout, a fault step), so it is the check itself that is proven. One file per
 * theme, so the runs spread over the test workers instead of queueing in one file.
 */
describe('negative controls: recovery', () => {
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
