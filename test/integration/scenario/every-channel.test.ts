import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runOne, shippedScenario, withRegression } from '../../helpers/edited-scenario.js';

type Event = { type: string; provider?: string; method?: string; behaviour?: string; outcome?: string; status?: number; orderId?: string; errorCode?: string };

/** The scenario's transport faults: every provider with a simulator, and one WireMock wallet's proxy. */
const COMMITS_THEN_500 = ['adyen', 'paypal', 'alipay', 'wechatpay', 'unionpay'] as const;
const NETWORK_FAULTS = { 'stripe-answers-late': 'stripe', 'ecny-resets': 'wiremock:ecny', 'unionpay-black-hole': 'unionpay' } as const;

/** Issue #15's "done when": every channel paid, refunded and (where it holds a payment) cancelled or captured, disputes at three providers, the books against every settlement report. */
describe('every-channel', () => {
  it('holds against the reference gateway under duplicates and transport faults: every channel pays, refunds where it can and cancels where it holds, disputes are booked at Stripe, Adyen and PayPal, and reconciliation names each provider without a settlement report', async () => {
    const good = await runOne(shippedScenario('every-channel.yaml'));
    const entry = good.entries[0]!;
    const results = entry.results!;
    const verdicts = JSON.stringify({ invariants: results.invariants.map((i) => [i.name, i.passed, i.checked, i.violations.slice(0, 2).map((v) => v.message)]), failed: results.assertions.filter((a) => !a.passed) });
    expect(good.exitCode, verdicts).toBe(0);
    const events = (await readFile(join(entry.outDir, 'events.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event).filter((e) => e.type === 'payment');
    // Every transport fault really fired: applied and undone by the control plane for a window of
    // its own, and each "charged, then 500" made its simulator commit and then answer 500.
    const faults = new Map(results.faults.map((f) => [f.id, f]));
    for (const id of [...COMMITS_THEN_500.map((p) => `${p}-commits-then-500`), ...Object.keys(NETWORK_FAULTS)]) {
      const f = faults.get(id);
      expect(f, `${id} played`).toBeDefined();
      expect(f!.error, id).toBeUndefined();
      expect(f!.endS - f!.startS, `${id} lasted`).toBeGreaterThan(0.5);
    }
    for (const p of COMMITS_THEN_500) expect(faults.get(`${p}-commits-then-500`)!.observed?.commitThenError, `${p}: calls committed, then answered 500`).toBeGreaterThan(0);
    const db = new Database(join(entry.outDir, 'gateway-baseline.db'), { readonly: true });
    // The network faults lost answers — a timeout past the gateway's 2 s, a connection closed or
    // reset mid-answer — none of which a run without them has: charges the gateway sent and got no
    // answer to, and refunds, cancels and captures it answered 504 (outcome unknown) for that reason.
    const lost = db.prepare("SELECT a.provider, p.status, p.error_code AS code FROM attempts a JOIN payments p USING (payment_id) WHERE a.kind = 'charge' AND a.outcome = 'pending' AND a.error_code = 'outcome_unknown' AND a.provider_status = 0").all() as Array<{ provider: string; status: string; code: string | null }>;
    const unanswered = events.filter((e) => e.behaviour !== 'first' && e.status === 504 && e.errorCode === 'outcome_unknown');
    for (const provider of Object.values(NETWORK_FAULTS)) {
      expect(lost.filter((l) => l.provider === provider).length + unanswered.filter((e) => e.provider === provider).length, `${provider} lost answers: charges ${JSON.stringify(lost)}`).toBeGreaterThan(0);
    }
    // … and the gateway settled every charge it could ask about (status query, notification): none
    // left unknown at Stripe or UnionPay. (e-CNY has no lookup by reference: docs/scenarios.md.)
    expect(lost.filter((l) => l.provider !== 'wiremock:ecny' && l.code === 'outcome_unknown'), 'lost answers left unknown').toEqual([]);
    const count = (provider: string, method: string, behaviour: string, outcomes: string[]): number =>
      events.filter((e) => e.provider === provider && e.method === method && e.behaviour === behaviour && outcomes.includes(e.outcome!)).length;
    // Every channel paid (a redirect is answered pending until its webhook).
    const channels: Array<[string, string]> = [
      ['stripe', 'card'], ['adyen', 'card'], ['stripe', 'wallet_card'], ['adyen', 'wallet_card'], ['stripe', 'bank_redirect'], ['adyen', 'bank_redirect'], ['stripe', 'wallet'], ['adyen', 'wallet'],
      ['paypal', 'wallet'], ['alipay', 'wallet'], ['wechatpay', 'wallet'], ['unionpay', 'card'], ['wiremock:localwallet', 'wallet'], ['wiremock:ecny', 'wallet'], ['wiremock:cryptopay', 'wallet'],
    ];
    for (const [provider, method] of channels) expect(count(provider, method, 'first', ['succeeded', 'pending']), `${provider} ${method} paid`).toBeGreaterThan(0);
    // Every channel that refunds refunded: accepted (Adyen's [received], WeChat's PROCESSING: pending) or done —
    // the redirects (iDEAL, GrabPay) too, once a query showed their webhook made them paid.
    for (const [provider, method] of channels.filter(([p]) => !p.startsWith('wiremock:'))) {
      expect(count(provider, method, 'refund', ['succeeded', 'pending']), `${provider} ${method} refunded`).toBeGreaterThan(0);
    }
    for (const [provider, method] of [['stripe', 'bank_redirect'], ['adyen', 'bank_redirect'], ['stripe', 'wallet'], ['adyen', 'wallet']] as const) {
      // The path this channel needs: a refund of a payment first answered 202 pending (paid later by its webhook).
      const orders = new Set(events.filter((e) => e.provider === provider && e.method === method && e.behaviour === 'refund').map((e) => e.orderId));
      const firsts = events.filter((e) => orders.has(e.orderId) && e.behaviour === 'first').map((e) => e.status);
      expect(firsts.filter((s) => s === 202).length, `${provider} ${method} refunds after a pending answer: first answers ${JSON.stringify(firsts)}`).toBeGreaterThan(0);
    }
    // Cancels: a Stripe card's hold voided, a PayPal authorization voided; the redirects' cancels asked while they waited.
    expect(count('stripe', 'card', 'cancel', ['succeeded'])).toBeGreaterThan(0);
    expect(count('paypal', 'wallet', 'cancel', ['succeeded']), 'paypal authorization voided').toBeGreaterThan(0);
    // PayPal's holds captured (a capture, or the winner of a capture racing a cancel).
    expect(count('paypal', 'wallet', 'capture', ['succeeded']) + count('paypal', 'wallet', 'race_capture', ['succeeded']), 'paypal authorization captured').toBeGreaterThan(0);
    for (const [provider, method] of [['stripe', 'bank_redirect'], ['adyen', 'bank_redirect'], ['stripe', 'wallet'], ['adyen', 'wallet']] as const) {
      expect(count(provider, method, 'cancel', ['succeeded', 'pending', 'failed']), `${provider} ${method} cancel asked`).toBeGreaterThan(0);
    }
    expect(results.invariants.find((i) => i.name === 'void-never-captured')!.checked).toBeGreaterThan(0);
    // The channels that cannot refund or cancel never asked to.
    expect(events.filter((e) => e.provider?.startsWith('wiremock:') && (e.behaviour === 'refund' || e.behaviour === 'cancel'))).toEqual([]);
    // The faults met refunds: some answered unknown (a 5xx or no answer) and retried under their
    // key — the retry journeys-end-state holds to one refund.
    expect(events.filter((e) => e.behaviour === 'refund' && (e.errorCode === 'provider_error' || e.errorCode === 'outcome_unknown')).length, 'refunds answered unknown').toBeGreaterThan(0);
    expect(events.filter((e) => e.behaviour === 'refund_retry').length).toBeGreaterThan(0);
    // Disputes booked at all three dispute providers, lost and won.
    const disputes = db.prepare('SELECT provider, status, count(*) AS n FROM disputes GROUP BY provider, status').all() as Array<{ provider: string; status: string; n: number }>;
    db.close();
    for (const provider of ['stripe', 'adyen', 'paypal']) expect(disputes.filter((d) => d.provider === provider && (d.status === 'lost' || d.status === 'won')).map((d) => d.status).sort(), `${provider} disputes ${JSON.stringify(disputes)}`).toContain('lost');
    expect(results.invariants.find((i) => i.name === 'disputes-booked')!.checked).toBeGreaterThan(5);
    // Reconciliation checked every provider with a settlement report, and names each without one.
    const byProvider = results.reconciliation!.byProvider;
    for (const provider of ['stripe', 'adyen', 'paypal', 'alipay', 'wechatpay', 'unionpay']) expect(byProvider[provider]?.payments ?? 0, `${provider} reconciled`).toBeGreaterThan(0);
    const clean = results.invariants.find((i) => i.name === 'reconciliation-clean')!;
    expect(Object.keys(clean.notEvaluatedFor ?? {}).sort()).toEqual(['wiremock:cryptopay', 'wiremock:ecny', 'wiremock:localwallet']);
    expect(clean.notEvaluatedFor!['wiremock:ecny']).toMatch(/^it publishes no settlement report \(\d+ book entr/);
  }, 120_000);

  it('exits 1 against a gateway that ignores dispute notifications (ignoreDisputes): disputes-booked turns red at Adyen and PayPal as well as Stripe', async () => {
    const bad = await runOne(await withRegression('every-channel.yaml', { ignoreDisputes: true }));
    const results = bad.entries[0]!.results!;
    expect(bad.exitCode).toBe(1);
    const booked = results.invariants.find((i) => i.name === 'disputes-booked')!;
    expect(booked.passed).toBe(false);
    expect(new Set(booked.violations.map((v) => v.provider))).toEqual(new Set(['stripe', 'adyen', 'paypal']));
  }, 120_000);

  it('exits 1 against a gateway that sends each refund request under a fresh provider key (refundKeyPerRequest): refunds retried after a lost answer are applied twice at several providers, and journeys-end-state turns red', async () => {
    const bad = await runOne(await withRegression('every-channel.yaml', { refundKeyPerRequest: true }));
    const results = bad.entries[0]!.results!;
    expect(bad.exitCode).toBe(1);
    const journeys = results.invariants.find((i) => i.name === 'journeys-end-state')!;
    expect(journeys.passed, JSON.stringify(results.invariants.map((i) => [i.name, i.passed]))).toBe(false);
    expect(journeys.violations.every((v) => /a refund applied twice/.test(v.message)), JSON.stringify(journeys.violations.map((v) => v.message))).toBe(true);
    // Not one provider's quirk: the faults at several providers each leave a refund unknown.
    expect(new Set(journeys.violations.map((v) => v.provider)).size, JSON.stringify(journeys.violations.map((v) => v.provider))).toBeGreaterThan(1);
  }, 120_000);
});
