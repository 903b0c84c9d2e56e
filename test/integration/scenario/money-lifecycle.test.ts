import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios, runSuite } from '../../../src/scenario/index.js';
import { shippedScenario, withRegression } from '../../helpers/edited-scenario.js';

const runOne = async (path: string): Promise<Awaited<ReturnType<typeof runSuite>>> => runSuite(await loadScenarios([path]), { paychaosVersion: '0.0.0-test', outDir: await mkdtemp(join(tmpdir(), 'paychaos-lifecycle-out-')) });

describe('money-lifecycle', () => {
  it('holds against the reference gateway: every journey ends where it said, refunds retried after charged-then-500 applied once, books clean', async () => {
    const good = await runOne(shippedScenario('money-lifecycle.yaml'));
    const results = good.entries[0]!.results!;
    const summary = JSON.stringify({ invariants: results.invariants.map((i) => ({ name: i.name, passed: i.passed, checked: i.checked, v: i.violations.slice(0, 3) })), failed: results.assertions.filter((a) => !a.passed) });
    expect(good.exitCode, summary).toBe(0);
    const journeys = results.invariants.find((i) => i.name === 'journeys-end-state')!;
    expect(journeys.checked).toBeGreaterThan(150);
    // The journeys really ran: refunds done and cancels accepted, and the fault met refunds.
    const events = (await readFile(join(good.entries[0]!.outDir, 'events.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; behaviour?: string; outcome?: string; status?: number });
    const steps = (label: string, outcome: string): number => events.filter((e) => e.type === 'payment' && e.behaviour === label && e.outcome === outcome).length;
    // The fault met refunds: some were answered unknown and retried under their key.
    expect(events.filter((e) => e.type === 'payment' && e.behaviour === 'refund_retry').length).toBeGreaterThan(0);
    expect(steps('refund', 'succeeded')).toBeGreaterThan(20);
    expect(steps('cancel', 'succeeded')).toBeGreaterThan(10);
    // 3-D Secure shoppers met their challenge page (at the address the gateway's 202 named, through
    // Stripe's proxy) and passed or failed it; journeys-end-state held each to its captures.
    expect(steps('challenge', 'succeeded')).toBeGreaterThan(0);
    expect(steps('challenge', 'failed')).toBeGreaterThan(0);
    // Stripe's pay_cancel shoppers authorised only (capture: manual): their cancels voided real holds.
    expect(results.invariants.find((i) => i.name === 'void-never-captured')!.checked).toBeGreaterThan(5);
    // Results by journey step: refunds and cancels counted apart from the payments' first submits.
    const byStep = results.variants.baseline!.byBehaviour!;
    expect(byStep.first!.requests).toBe(journeys.checked);
    expect(byStep.refund!.requests).toBeGreaterThan(20);
    expect(Object.values(byStep).reduce((n, c) => n + c.requests, 0)).toBe(results.variants.baseline!.requests);
  }, 180_000);

  it('exits 1 against a gateway that sends each refund request under a fresh provider key (refundKeyPerRequest): a refund retried after charged-then-500 is applied twice, within its capture, and journeys-end-state turns red', async () => {
    const bad = await runOne(await withRegression('money-lifecycle.yaml', { refundKeyPerRequest: true }));
    const results = bad.entries[0]!.results!;
    expect(bad.exitCode).toBe(1);
    const journeys = results.invariants.find((i) => i.name === 'journeys-end-state')!;
    expect(journeys.passed, JSON.stringify(results.invariants.map((i) => [i.name, i.passed]))).toBe(false);
    expect(journeys.violations.length).toBeGreaterThan(0);
    expect(journeys.violations.every((v) => v.provider === 'stripe' && /a refund applied twice/.test(v.message))).toBe(true);
  }, 180_000);

  it('exits 1 against a gateway that takes a card waiting for its 3-D Secure challenge for paid (threeDSecureAsPaid): orders booked captured that no provider captured', async () => {
    const bad = await runOne(await withRegression('money-lifecycle.yaml', { threeDSecureAsPaid: true }));
    const results = bad.entries[0]!.results!;
    const verdicts = JSON.stringify(results.invariants.map((i) => [i.name, i.passed, i.violations.slice(0, 2).map((v) => v.message)]));
    expect(bad.exitCode, verdicts).toBe(1);
    const red = results.invariants.filter((i) => !i.passed).map((i) => i.name);
    expect(red, verdicts).toContain('reconciliation-clean');
  }, 180_000);
});
