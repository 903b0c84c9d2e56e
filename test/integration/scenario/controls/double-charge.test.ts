import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios, runSuite } from '../../../../src/scenario/index.js';
import { shippedScenario, withRegression, runOne } from '../../../helpers/edited-scenario.js';

/**
 * Negative controls — double charges: resubmits against a gateway without its order guard.
 * A scenario that claims to catch a bug must turn red when the bug is there. The shipped
 * scenario file is run unchanged but for the one part named (the reference gateway's
 * regression, a timeout, a fault step), so it is the check itself that is proven. One file per
 * theme, so the runs spread over the test workers instead of queueing in one file.
 */
describe('negative controls: double-charge', () => {
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

  it('singles-day holds against the reference gateway, and exits 1 against the gateway without its order guard: the resubmits of the spike are charged again', async () => {
    const good = await runOne(shippedScenario('singles-day.yaml'));
    expect(good.exitCode, JSON.stringify([good.entries[0]!.results!.assertions, good.entries[0]!.results!.invariants])).toBe(0);
    const outcome = await runOne(await withRegression('singles-day.yaml', { skipOrderGuard: true }));
    expect(outcome.exitCode).toBe(1);
    expect(outcome.entries[0]!.results!.invariants.find((i) => i.name === 'no-double-charge')!.passed).toBe(false);
  }, 120_000);
});
