import { describe, expect, it } from 'vitest';
import { editedScenario, runOne } from '../../helpers/edited-scenario.js';

/**
 * A capture and a cancel of one held authorisation sent at the same instant, against a real stack
 * (Stripe simulator, the reference gateway as a child process): money-lifecycle cut down to the
 * race alone, a few seconds of load, no fault. With the gateway's per-payment guard every order
 * ends in one state and its answers agree with Stripe; with `raceBlind` (a cancel answered
 * succeeded without waiting for the capture in flight) journeys-end-state turns red.
 */
const raceOnly = (regression?: Record<string, unknown>) =>
  editedScenario('money-lifecycle.yaml', (doc) => {
    const load = doc.load as Record<string, unknown> & { mix: Array<Record<string, unknown>> };
    load.rate = 15;
    load.duration = '3s';
    load.mix = load.mix.filter((e) => e.provider === 'stripe');
    load.behaviours = { pay: 0, duplicate_submit: 0, new_key_retry: 0, double_click: 0, retry_on_timeout: 0, abandon_resume: 0, void_race_capture: 1 };
    doc.timeline = [];
    doc.expect = { invariants: ['journeys-end-state', 'void-never-captured', 'ledger-balances'] };
    if (regression) doc.stack = { ...(doc.stack ?? {}), gateway: { ...(doc.stack?.gateway ?? {}), regression } };
  });

describe('void_race_capture', () => {
  it('holds against the reference gateway: each race ends captured once or voided, never both, and the answers agree with Stripe', async () => {
    const good = await runOne(await raceOnly());
    const results = good.entries[0]!.results!;
    const verdicts = JSON.stringify(results.invariants.map((i) => [i.name, i.passed, i.checked, i.violations.slice(0, 2).map((v) => v.message)]));
    expect(good.exitCode, verdicts).toBe(0);
    const journeys = results.invariants.find((i) => i.name === 'journeys-end-state')!;
    expect(journeys.checked).toBeGreaterThan(20);
    // Both sides really raced: some captures won, some cancels did.
    const byStep = results.variants.baseline!.byBehaviour!;
    expect(byStep.race_capture!.succeeded, JSON.stringify(byStep)).toBeGreaterThan(0);
    expect(byStep.race_cancel!.requests).toBe(byStep.race_capture!.requests);
  }, 120_000);

  it('exits 1 against a gateway that answers a cancel succeeded without waiting for the capture in flight (raceBlind): captured orders told voided', async () => {
    const bad = await runOne(await raceOnly({ raceBlind: true }));
    const results = bad.entries[0]!.results!;
    const verdicts = JSON.stringify(results.invariants.map((i) => [i.name, i.passed, i.violations.slice(0, 2).map((v) => v.message)]));
    expect(bad.exitCode, verdicts).toBe(1);
    const journeys = results.invariants.find((i) => i.name === 'journeys-end-state')!;
    expect(journeys.passed, verdicts).toBe(false);
    expect(journeys.violations.every((v) => v.provider === 'stripe' && /^void_race_capture: captured \d+ at stripe after its cancel was answered succeeded/.test(v.message)), verdicts).toBe(true);
  }, 120_000);
});
