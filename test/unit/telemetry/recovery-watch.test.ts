import { describe, expect, it } from 'vitest';
import type { PaymentEvent } from '../../../src/analysis/index.js';
import { HarnessMetrics, RecoveryWatch } from '../../../src/telemetry/harness/index.js';

const payment = (over: Partial<PaymentEvent> = {}): PaymentEvent => ({ t: 0, variant: 'baseline', provider: 'stripe', method: 'card', outcome: 'succeeded', latencyMs: 12, status: 201, orderId: 'o1', idempotencyKey: 'k1', ...over });

describe('time to recover after a fault step (RecoveryWatch)', () => {
  it('is the time from the step end to the first payment sent after it that the target answered successfully itself', () => {
    const w = new RecoveryWatch();
    w.ended('stripe-down', 'stripe', 10_000);
    // Before the end, a failover away from stripe, a failure at stripe, another provider: none is stripe serving again.
    expect(w.record(payment({ t: 9_900 }))).toEqual([]);
    expect(w.record(payment({ t: 10_100, provider: 'adyen', failoverFrom: 'stripe' }))).toEqual([]);
    expect(w.record(payment({ t: 10_200, outcome: 'failed', errorCode: 'provider_unavailable' }))).toEqual([]);
    expect(w.record(payment({ t: 10_300, provider: 'adyen' }))).toEqual([]);
    expect(w.record(payment({ t: 11_250 }))).toEqual([{ fault: 'stripe-down', target: 'stripe', seconds: 1.25 }]);
    // Reported once.
    expect(w.record(payment({ t: 11_300 }))).toEqual([]);
  });

  it('a gateway variant as the target recovers when it answers a payment again (a kill and restart)', () => {
    const w = new RecoveryWatch();
    w.ended('kill-canary', 'canary', 5_000);
    expect(w.record(payment({ t: 5_400, variant: 'baseline', provider: 'adyen' }))).toEqual([]);
    expect(w.record(payment({ t: 5_500, variant: 'canary', provider: 'adyen' }))).toEqual([{ fault: 'kill-canary', target: 'canary', seconds: 0.5 }]);
  });

  it('the control: a payment failed over away from the target never counts as the target recovered', () => {
    const w = new RecoveryWatch();
    w.ended('stripe-down', 'stripe', 0);
    // Same provider name on the answer would be a bug; a failed-over success is excluded whatever it names.
    expect(w.record(payment({ t: 100, failoverFrom: 'stripe' }))).toEqual([]);
    expect(w.record(payment({ t: 200 }))).toEqual([{ fault: 'stripe-down', target: 'stripe', seconds: 0.2 }]);
  });

  it('the harness exposes it as paychaos_recovery_seconds{fault, target} with the run labels, absent until recovered', async () => {
    const h = new HarnessMetrics({ scenario: 'psp-outage', runId: 'run-7' });
    h.faultStarted({ id: 'stripe-down', target: 'stripe' });
    h.faultEnded({ id: 'stripe-down', target: 'stripe' }, 3_000);
    h.recordPayment(payment({ t: 3_100, provider: 'adyen', failoverFrom: 'stripe' }));
    expect(await h.text()).not.toMatch(/^paychaos_recovery_seconds/m);
    h.recordPayment(payment({ t: 4_500 }));
    const text = await h.text();
    await h.close();
    expect(text).toMatch(/^paychaos_recovery_seconds\{fault="stripe-down",target="stripe",paychaos_scenario="psp-outage",paychaos_run="run-7"\} 1\.5$/m);
  });
});
