import { describe, expect, it } from 'vitest';
import { FailoverTracker, type PaymentEvent } from '../../../src/analysis/index.js';

const pay = (t: number, provider: string, extra: Partial<PaymentEvent> = {}): PaymentEvent => ({ t, variant: 'baseline', provider, outcome: 'succeeded', latencyMs: 5, status: 201, orderId: `o${t}`, idempotencyKey: `k${t}`, ...extra });

describe('FailoverTracker: the drill figures from what shoppers saw', () => {
  const window = { target: 'stripe', startS: 3, endS: 7 };
  it('time to detect: from the step start to the first payment failed over from its target', () => {
    const t = new FailoverTracker();
    for (let ms = 0; ms < 3000; ms += 100) t.record(pay(ms, 'stripe'));
    // During the outage the first ones fail at the dead primary, then the gateway switches.
    t.record(pay(3050, 'stripe', { outcome: 'failed', errorCode: 'network_error' }));
    t.record(pay(3450, 'adyen', { failoverFrom: 'stripe', failoverReason: 'connection_refused' }));
    t.record(pay(3600, 'adyen', { failoverFrom: 'stripe', failoverReason: 'circuit_open' }));
    t.record(pay(7900, 'stripe'));
    const m = t.measure({ step: 's', timeToDetectMs: 1000, timeToSwitchBackMs: 2000 }, window);
    expect(m.detectS).toBe(0.4);
    expect(m.switchBackS).toBe(0.9);
  });
  it('a failover before the step, or the primary serving before its end, does not count', () => {
    const t = new FailoverTracker();
    t.record(pay(1000, 'adyen', { failoverFrom: 'stripe' }));
    t.record(pay(5000, 'stripe'));
    const m = t.measure({ step: 's' }, window);
    expect(m.detectS).toBeNull();
    expect(m.switchBackS).toBeNull();
  });
  it('a failed answer from the primary after the fault is not a switch back', () => {
    const t = new FailoverTracker();
    t.record(pay(7500, 'stripe', { outcome: 'failed', errorCode: 'provider_error' }));
    t.record(pay(8000, 'adyen', { failoverFrom: 'stripe' }));
    expect(t.measure({ step: 's' }, window).switchBackS).toBeNull();
  });
});
