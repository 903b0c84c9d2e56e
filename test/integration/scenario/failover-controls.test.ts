import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios, runSuite } from '../../../src/scenario/index.js';
import { shippedScenario, withRegression } from '../../helpers/edited-scenario.js';

const run = async (path: string) => (await runSuite(await loadScenarios([path]), { paychaosVersion: '0.0.0-test', outDir: await mkdtemp(join(tmpdir(), 'paychaos-failover-out-')) })).entries[0]!;

/**
 * The failover drill (issue #12 item 5, #11 item 5): Stripe dies mid-run, cards are routed
 * Stripe → Adyen. The reference gateway fails over within its bound and switches back; the same
 * drill against a gateway that never fails over turns red on the failover assertions.
 */
describe('provider-outage-failover', () => {
  it('holds against the reference gateway: failed over within 2 s, switched back within 3 s, no order charged twice', async () => {
    const entry = await run(shippedScenario('provider-outage-failover.yaml'));
    const results = entry.results!;
    expect(entry.exitCode, JSON.stringify(results.assertions)).toBe(0);
    const detect = results.assertions.find((a) => a.name.startsWith('failover{step:stripe-down} time_to_detect'))!;
    expect(detect.passed).toBe(true);
    expect(detect.measured).not.toBeNull();
    // Adyen really carried shoppers while Stripe was away.
    expect(results.variants.baseline!.byProvider?.adyen?.succeeded ?? 0).toBeGreaterThan(10);
    expect(results.invariants.every((i) => i.passed)).toBe(true);
  }, 120_000);

  it('exits 1 against a gateway that never fails over (noFailover): nothing failed over, success drops during the outage', async () => {
    const entry = await run(await withRegression('provider-outage-failover.yaml', { noFailover: true }));
    expect(entry.exitCode).toBe(1);
    const detect = entry.results!.assertions.find((a) => a.name.startsWith('failover{step:stripe-down} time_to_detect'))!;
    expect(detect).toMatchObject({ passed: false, measured: null });
  }, 120_000);
});

/**
 * The wallet drill: Alipay dies mid-run, wallet payments are routed Alipay → Adyen, where they
 * wait for the shopper and are settled only by Adyen's AUTHORISATION notification — which the
 * stack routes to the gateway. The same drill against a gateway that never fails over turns red.
 */
describe('wallet-outage-failover', () => {
  it('holds against the reference gateway: failed over within 2 s, switched back within 3 s, every order Adyen carried settled by its notification', async () => {
    const entry = await run(shippedScenario('wallet-outage-failover.yaml'));
    const results = entry.results!;
    expect(entry.exitCode, JSON.stringify([results.assertions, results.invariants])).toBe(0);
    const detect = results.assertions.find((a) => a.name.startsWith('failover{step:alipay-down} time_to_detect'))!;
    expect(detect).toMatchObject({ passed: true });
    expect(detect.measured).not.toBeNull();
    // Adyen carried wallet shoppers while Alipay was away, answering them pending...
    expect(results.variants.baseline!.byProvider?.adyen?.requests ?? 0).toBeGreaterThan(20);
    // ...and each of those orders was settled afterwards: only a notification could do it.
    expect(results.invariants.find((i) => i.name === 'orders-settled')!.checked).toBeGreaterThan(20);
    expect(results.invariants.every((i) => i.passed)).toBe(true);
  }, 120_000);

  it('exits 1 against a gateway that never fails over (noFailover): nothing failed over to Adyen', async () => {
    const entry = await run(await withRegression('wallet-outage-failover.yaml', { noFailover: true }));
    expect(entry.exitCode).toBe(1);
    const detect = entry.results!.assertions.find((a) => a.name.startsWith('failover{step:alipay-down} time_to_detect'))!;
    expect(detect).toMatchObject({ passed: false, measured: null });
  }, 120_000);
});
