import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProviderStack, type StartedProviderStack } from '../../../src/stack/index.js';
import { capturesByOrder, cardOrder, routerFor, type Sample } from './resilience-helpers.js';

/**
 * The failover drill against the real Stripe and Adyen simulators behind the embedded Toxiproxy:
 * cards route stripe → adyen. The primary goes `down` (its proxy disabled) mid-traffic; the router
 * must move payments to Adyen within the breaker's window, record why, and come back to Stripe
 * once the proxy is back and the half-open probe succeeds. Time to detect and time to recover are
 * measured and asserted with generous bounds (two shared cores); the money is checked in the ledgers.
 */
const HALF_OPEN_AFTER_MS = 400;
const GAP_MS = 20;

describe('failover to a backup channel, against the simulators behind the proxy', () => {
  let stack: StartedProviderStack;
  beforeAll(async () => {
    stack = await startProviderStack({ providers: ['stripe', 'adyen'], seed: 11 });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('switches to Adyen within the breaker window while Stripe is down, records it, and switches back after recovery', async () => {
    const { router } = await routerFor(stack, {
      routes: { 'pm_card_*': ['stripe', 'adyen'] },
      breaker: { failureThreshold: 3, halfOpenAfterMs: HALF_OPEN_AFTER_MS },
      retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
    });
    const samples: Sample[] = [];
    const pay = async (): Promise<Sample> => {
      const t = performance.now();
      const order = cardOrder('drill');
      const sample = { t, orderId: order.orderId, result: await router.charge(order, 'stripe') };
      samples.push(sample);
      await new Promise((r) => setTimeout(r, GAP_MS));
      return sample;
    };

    // Steady state: every payment at the primary.
    for (let i = 0; i < 10; i++) await pay();
    expect(samples.every((s) => s.result.provider === 'stripe' && s.result.outcome === 'succeeded')).toBe(true);

    const fault = await stack.chaos.applyFault({ type: 'down', target: stack.providers.stripe!.proxy });
    const faultAt = performance.now();
    let detectedAt: number | undefined;
    // Bounded: at most 200 payments or 8 s, whichever first, until the breaker has opened and 10 payments went to Adyen on it.
    for (let i = 0; i < 200 && performance.now() - faultAt < 8_000; i++) {
      const s = await pay();
      if (detectedAt === undefined && s.result.provider === 'adyen') detectedAt = performance.now();
      if (samples.filter((x) => x.t > faultAt && x.result.failoverReason === 'circuit_open').length >= 10) break;
    }
    expect(router.state().stripe!.state).not.toBe('closed');
    await fault.remove();
    const recoveredAt = performance.now();
    let backAt: number | undefined;
    for (let i = 0; i < 300 && performance.now() - recoveredAt < 10_000; i++) {
      const s = await pay();
      if (s.result.provider === 'stripe' && s.result.outcome === 'succeeded') {
        backAt = performance.now();
        break;
      }
    }
    for (let i = 0; i < 5; i++) await pay();

    const timeToDetectMs = detectedAt! - faultAt;
    const timeToRecoverMs = backAt! - recoveredAt;
    const breakerOpenedAfterMs = router.state().stripe!.lastOpenedAt! - faultAt;
    console.log(`failover drill: time to detect ${timeToDetectMs.toFixed(0)} ms, breaker open after ${breakerOpenedAfterMs.toFixed(0)} ms, time to recover ${timeToRecoverMs.toFixed(0)} ms (half-open after ${HALF_OPEN_AFTER_MS} ms), ${samples.length} payments`);
    expect(detectedAt, 'no payment reached Adyen while Stripe was down').toBeDefined();
    expect(backAt, 'no payment came back to Stripe after recovery').toBeDefined();
    // Detection: the first refused payment already fails over; generous bound for a loaded machine.
    expect(timeToDetectMs).toBeLessThan(2_000);
    // Recovery: at most one half-open window after the fault ends, plus slack.
    expect(timeToRecoverMs).toBeLessThan(HALF_OPEN_AFTER_MS + 3_000);
    expect(router.state().stripe!.state).toBe('closed');

    // Recorded on each payment: from where and why.
    const during = samples.filter((s) => s.t > faultAt && s.t < recoveredAt);
    const movedOver = during.filter((s) => s.result.failover);
    expect(movedOver.length).toBeGreaterThanOrEqual(10);
    for (const s of movedOver) expect(s.result).toMatchObject({ provider: 'adyen', failoverFrom: 'stripe', failoverReason: expect.stringMatching(/^(connection_refused|circuit_open)$/) });
    expect(movedOver.some((s) => s.result.failoverReason === 'circuit_open')).toBe(true);
    // Once open, the primary is not called at all: those payments carry a skipped attempt, no call.
    for (const s of movedOver.filter((x) => x.result.failoverReason === 'circuit_open')) expect(s.result.attempts[0]).toMatchObject({ provider: 'stripe', skipped: expect.any(String) });
    // After switch-back, payments are on the primary again, not failed over.
    expect(samples.slice(-5).every((s) => s.result.provider === 'stripe' && !s.result.failover)).toBe(true);

    // The money: every succeeded payment charged exactly once, at the provider that answered it.
    const captures = await capturesByOrder(stack);
    for (const s of samples) {
      const got = captures.get(s.orderId) ?? [];
      if (s.result.outcome === 'succeeded') expect(got, s.orderId).toEqual([expect.objectContaining({ provider: s.result.provider })]);
      else expect(got.length, s.orderId).toBeLessThanOrEqual(1);
    }
    // Nearly every payment succeeded: only one whose connection died under it may be left pending.
    expect(samples.filter((s) => s.result.outcome !== 'succeeded').length).toBeLessThanOrEqual(2);
  }, 60_000);

  it('under concurrent load (20 in flight, 300 payments) through an outage and back: no order charged twice, pending ones never sent to Adyen, back on Stripe after recovery', async () => {
    const { router } = await routerFor(stack, {
      routes: { 'pm_card_*': ['stripe', 'adyen'] },
      breaker: { failureThreshold: 5, halfOpenAfterMs: 300 },
      retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
    });
    const TOTAL = 300;
    const results: Sample[] = [];
    let next = 0;
    let fault: Awaited<ReturnType<typeof stack.chaos.applyFault>> | undefined;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < TOTAL && performance.now() - started < 20_000) {
        const i = next++;
        // The outage covers the middle third of the payments.
        if (i === 100) fault = await stack.chaos.applyFault({ type: 'down', target: stack.providers.stripe!.proxy });
        if (i === 200 && fault) await fault.remove();
        const order = cardOrder('load');
        results.push({ t: performance.now(), orderId: order.orderId, result: await router.charge(order, 'stripe') });
      }
    };
    try {
      await Promise.all(Array.from({ length: 20 }, worker));
    } finally {
      await fault?.remove().catch(() => undefined);
    }
    expect(results.length).toBe(TOTAL);
    const captures = await capturesByOrder(stack);
    for (const s of results) {
      const got = captures.get(s.orderId) ?? [];
      expect(got.length, s.orderId).toBeLessThanOrEqual(1);
      if (s.result.outcome === 'succeeded') expect(got[0]?.provider, s.orderId).toBe(s.result.provider);
      // A payment left pending (its connection died under it) was never sent to Adyen.
      if (s.result.outcome === 'pending') expect(s.result.attempts.some((a) => a.provider === 'adyen')).toBe(false);
    }
    const moved = results.filter((s) => s.result.failover);
    expect(moved.length).toBeGreaterThanOrEqual(50);
    expect(results.filter((s) => s.result.outcome === 'succeeded').length).toBeGreaterThanOrEqual(TOTAL - 25);
    // Back on the primary by the end.
    await new Promise((r) => setTimeout(r, 400));
    expect((await router.charge(cardOrder('load-after'), 'stripe')).provider).toBe('stripe');
  }, 60_000);

  it('negative control: with noFailover the same outage fails the payments instead of moving them', async () => {
    const { router } = await routerFor(stack, {
      routes: { 'pm_card_*': ['stripe', 'adyen'] },
      breaker: { failureThreshold: 3, halfOpenAfterMs: HALF_OPEN_AFTER_MS },
      regression: { noFailover: true },
    });
    const fault = await stack.chaos.applyFault({ type: 'down', target: stack.providers.stripe!.proxy });
    const results = [];
    try {
      for (let i = 0; i < 10; i++) results.push(await router.charge(cardOrder('nofailover'), 'stripe'));
    } finally {
      await fault.remove();
    }
    expect(results.every((r) => r.provider === 'stripe' && r.outcome !== 'succeeded' && !r.failover)).toBe(true);
  }, 30_000);
});
