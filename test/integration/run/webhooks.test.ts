import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseTimeline } from '../../../src/chaos/index.js';
import { trafficConfig } from '../../../src/load/index.js';
import { newRunId, runScenario, type RunSpec } from '../../../src/run/index.js';

/**
 * In a run, the simulators' notifications reach the reference gateway through the stack's webhook
 * paths (simulator → proxy → POST /webhooks/<provider>), are verified with the keys the simulators
 * list at /__sim/keys, and settle payments nothing else can.
 *
 * Wallet shoppers confirm on their phone (Alipay answers 10003) 3.5 s after the merchant asks: later than the gateway's
 * settle window (Alipay's polling gives up at 3 s), so every charge is answered pending. Through
 * Adyen (an aggregator carrying Alipay) such a payment has no status query at all — Adyen's
 * Checkout API has none — so only its AUTHORISATION notification can make it succeed. Through
 * Alipay the notify_url is the gateway's own path, sent with each trade.pay.
 */
const APPROVES_AFTER_MS = 3500;

function spec(outDir: string, options: { regression?: Record<string, unknown>; timeline?: unknown[] } = {}): RunSpec {
  const runId = newRunId('hooks');
  const wallet = (provider: string) => ({ provider, method: 'wallet', weight: 1, paymentMethods: [['pm_alipay', 1]], currencies: [['cny', 1]], amount: { min: 990, max: 5000 } });
  return {
    runId,
    scenario: 'webhooks-test',
    outDir,
    paychaosVersion: '0.0.0-test',
    stack: {
      providers: ['alipay', 'adyen'],
      seed: 11,
      simulator: { shopperApprovesAfterMs: APPROVES_AFTER_MS },
      systems: [
        {
          variant: 'baseline',
          mode: 'in-process',
          // The file is read after the run: what the gateway believes of each payment, and its inbox.
          config: { variant: 'baseline', version: 'test', db: join(outDir, 'gateway.sqlite'), ...(options.regression ? { regression: options.regression } : {}) },
        },
      ],
    },
    load: {
      engine: 'builtin',
      rate: 4,
      durationMs: 2000,
      maxInFlight: 50,
      traffic: trafficConfig({ runId, seed: 11, mix: [wallet('adyen'), wallet('alipay')], behaviours: { pay: 1, duplicate_submit: 0, new_key_retry: 0, double_click: 0, abandon_resume: 0, retry_on_timeout: 0 } }),
    },
    // Alipay's bar-code pay succeeds at once unless the buyer must confirm on the phone (10003): make every buyer confirm.
    timeline: parseTimeline([{ id: 'confirm-on-phone', type: 'behaviour', target: 'alipay', at: '0s', profile: { outcomes: { '10003': 1 } } }, ...(options.timeline ?? [])]),
    // orders-settled keeps the gateway up (asking round after round) until the notifications land.
    expect: { invariants: ['no-double-charge', 'captures-within-orders', 'orders-settled', 'webhooks-forged-rejected'], settleWithinMs: 10_000 },
  };
}

interface Row {
  order_id: string;
  provider: string;
  status: string;
}

function gatewayState(outDir: string): { payments: Row[]; inbox: Array<{ provider: string; event_type: string; payment_id: string | null }> } {
  const db = new Database(join(outDir, 'gateway.sqlite'), { readonly: true });
  try {
    return {
      payments: db.prepare('SELECT order_id, provider, status FROM payments').all() as Row[],
      inbox: db.prepare('SELECT provider, event_type, payment_id FROM webhook_inbox').all() as Array<{ provider: string; event_type: string; payment_id: string | null }>,
    };
  } finally {
    db.close();
  }
}

async function paymentLines(eventsPath: string): Promise<Array<{ provider: string; outcome: string }>> {
  return (await readFile(eventsPath, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; provider: string; outcome: string })
    .filter((e) => e.type === 'payment');
}

describe('webhooks in a run', () => {
  it('settles wallet payments the shopper approved after the settle window, by their notifications', async () => {
    const out = await mkdtemp(join(tmpdir(), 'paychaos-hooks-'));
    const outcome = await runScenario(spec(out));
    expect(outcome.results.status).toBe('completed');
    // Every charge was answered pending: the shopper had not confirmed yet.
    const answered = await paymentLines(outcome.eventsPath);
    expect(answered.length).toBeGreaterThanOrEqual(6);
    expect(answered.every((p) => p.outcome === 'pending'), JSON.stringify(answered)).toBe(true);

    const settled = outcome.results.invariants.find((i) => i.name === 'orders-settled')!;
    expect(settled, JSON.stringify(settled.violations)).toMatchObject({ passed: true });
    expect(settled.checked).toBe(answered.length);
    const { payments, inbox } = gatewayState(out);
    expect(payments.length).toBe(answered.length);
    expect(payments.every((p) => p.status === 'succeeded'), JSON.stringify(payments)).toBe(true);
    // Adyen's payments can only have learnt it from a verified AUTHORISATION notification.
    const adyen = payments.filter((p) => p.provider === 'adyen');
    expect(adyen.length).toBeGreaterThan(0);
    expect(inbox.filter((e) => e.provider === 'adyen' && e.event_type === 'payment.succeeded' && e.payment_id !== null).length).toBe(adyen.length);
    // Alipay notified the notify_url the gateway sent: the gateway's own path.
    expect(inbox.filter((e) => e.provider === 'alipay' && e.event_type === 'payment.succeeded' && e.payment_id !== null).length).toBeGreaterThan(0);
    expect(outcome.results.invariants.every((i) => i.passed)).toBe(true);
    // The paths are part of the stack, named and written to stack.json.
    expect(Object.keys(outcome.results.stack ?? {})).toEqual(expect.arrayContaining(['webhooks-adyen-baseline', 'webhooks-alipay-baseline']));
  }, 60_000);

  it('refuses forged notifications; the gateway with ignoreWebhookSignature applies them and webhooks-forged-rejected fails', async () => {
    // Every notification signed with the wrong key, from the first to the last: a forger's.
    const forge = [
      { id: 'forge-adyen', type: 'webhook', target: 'adyen', at: '0s', badSignature: 1 },
      { id: 'forge-alipay', type: 'webhook', target: 'alipay', at: '0s', badSignature: 1 },
    ];
    // orders-settled holds each gateway up for 5 s after the load, so the late shoppers' notifications arrive while it listens.
    const FORGED_EXPECT = { invariants: ['webhooks-forged-rejected', 'orders-settled'], settleWithinMs: 5000 };
    const goodOut = await mkdtemp(join(tmpdir(), 'paychaos-hooks-'));
    const good = await runScenario({ ...spec(goodOut, { timeline: forge }), expect: FORGED_EXPECT });
    const goodCheck = good.results.invariants.find((i) => i.name === 'webhooks-forged-rejected')!;
    expect(goodCheck.checked).toBeGreaterThan(0);
    expect(goodCheck).toMatchObject({ passed: true, violations: [] });
    // (Faults are undone when the load ends: notifications after that, and the retries of refused
    // ones, are signed right and may be taken; so only the senders' logs tell forged from genuine.)

    const badOut = await mkdtemp(join(tmpdir(), 'paychaos-hooks-'));
    const bad = await runScenario({ ...spec(badOut, { timeline: forge, regression: { ignoreWebhookSignature: true } }), expect: FORGED_EXPECT });
    expect(bad.exitCode).toBe(1);
    const badCheck = bad.results.invariants.find((i) => i.name === 'webhooks-forged-rejected')!;
    expect(badCheck.passed).toBe(false);
    expect(badCheck.violations.length).toBeGreaterThan(0);
    expect(badCheck.violations[0]!.message).toMatch(/signed with the wrong secret, yet acknowledged/);
    // The forged notifications were applied: recorded in the gateway's inbox, its payments settled by them.
    const badState = gatewayState(badOut);
    expect(badState.inbox.length).toBeGreaterThan(0);
    expect(badState.payments.filter((p) => p.status === 'succeeded').length).toBeGreaterThan(0);
  }, 90_000);
});
