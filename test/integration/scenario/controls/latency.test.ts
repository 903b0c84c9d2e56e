import { describe, expect, it } from 'vitest';
import { shippedScenario, withRegression, runOne } from '../../../helpers/edited-scenario.js';

/**
 * Negative controls — success rate and latency: the thresholds really checked.
 * A scenario that claims to catch a bug must turn red when the bug is there. The shipped
 * scenario file is run unchanged but for the one part named (the reference gateway's
 * regression, a timeout, a fault step), so it is the check itself that is proven. One file per
 * theme, so the runs spread over the test workers instead of queueing in one file.
 */
describe('negative controls: latency', () => {
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
});
