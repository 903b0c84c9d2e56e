import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProviderStack, type StartedProviderStack } from '../../../src/stack/index.js';
import { capturesByOrder, cardOrder, routerFor, setBehaviour } from './resilience-helpers.js';

/**
 * A payment whose outcome at the primary is unknown — the provider committed and answered 500, or
 * it was still working when the gateway's timeout fired — must end in exactly one charge and never
 * fail over. Each case has its regression as the negative control: the same test with the bug
 * shows the second charge in the simulators' ledgers (the no-double-charge invariant fails).
 */
const ROUTES = { 'pm_card_*': ['stripe', 'adyen'] };
// A breaker that stays closed: these tests are about single payments, not about the circuit.
const CLOSED = { failureThreshold: 1000 };
/**
 * How long the slow provider takes. Well above a second because undici runs headersTimeout on its
 * "fast timers", ticking about every 500 ms: a 200 ms timeout fires somewhere in 0.5–1 s, never at 200.
 */
const SLOW_MS = 2_000;

describe('unknown outcomes never fail over (real simulators behind the proxy)', () => {
  let stack: StartedProviderStack;
  beforeAll(async () => {
    stack = await startProviderStack({ providers: ['stripe', 'adyen'], seed: 12 });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });
  afterEach(async () => {
    await setBehaviour(stack, 'stripe', {});
  });

  /** Each order's charges across both providers, after the simulators have finished any work still under way. */
  async function chargesOf(orderIds: readonly string[], settleMs = 0): Promise<number[]> {
    if (settleMs > 0) await sleep(settleMs);
    const captures = await capturesByOrder(stack);
    return orderIds.map((id) => (captures.get(id) ?? []).length);
  }

  it('"charged, then 500": pending at the primary, one charge, the backup never called', async () => {
    await setBehaviour(stack, 'stripe', { commitThenError: { rate: 1, status: 500 } });
    const { router } = await routerFor(stack, { routes: ROUTES, breaker: CLOSED });
    const orders = Array.from({ length: 4 }, () => cardOrder('c500'));
    const results = [];
    for (const o of orders) results.push(await router.charge(o, 'stripe'));
    for (const r of results) expect(r).toMatchObject({ provider: 'stripe', outcome: 'pending', errorCode: 'provider_error', providerStatus: 500, failover: false });
    // query_first: called once, no blind retry.
    for (const r of results) expect(r.attempts).toHaveLength(1);
    expect(await chargesOf(orders.map((o) => o.orderId))).toEqual([1, 1, 1, 1]);
    const captures = await capturesByOrder(stack);
    for (const o of orders) expect(captures.get(o.orderId)).toEqual([{ provider: 'stripe', key: o.providerKey }]);
  }, 30_000);

  it('negative control: failoverOnUnknown charges each of those orders at Adyen too — two charges per order', async () => {
    await setBehaviour(stack, 'stripe', { commitThenError: { rate: 1, status: 500 } });
    const { router } = await routerFor(stack, { routes: ROUTES, breaker: CLOSED, regression: { failoverOnUnknown: true } });
    const orders = Array.from({ length: 3 }, () => cardOrder('c500bug'));
    for (const o of orders) expect(await router.charge(o, 'stripe')).toMatchObject({ provider: 'adyen', failover: true, failoverReason: 'outcome_unknown' });
    expect(await chargesOf(orders.map((o) => o.orderId))).toEqual([2, 2, 2]);
  }, 30_000);

  it('a timeout after sending (timeoutMs shorter than the provider takes): pending, then exactly one charge, no failover, no retry', async () => {
    await setBehaviour(stack, 'stripe', { latency: { kind: 'fixed', value: SLOW_MS } });
    const { router } = await routerFor(stack, { routes: ROUTES, breaker: CLOSED, regression: { timeoutMs: 200 } });
    const orders = Array.from({ length: 3 }, () => cardOrder('timeout'));
    const results = await Promise.all(orders.map((o) => router.charge(o, 'stripe')));
    for (const r of results) expect(r).toMatchObject({ provider: 'stripe', outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'timeout', failover: false });
    for (const r of results) expect(r.attempts).toHaveLength(1);
    // The simulator finishes its work after the gateway gave up: the charge exists, once.
    expect(await chargesOf(orders.map((o) => o.orderId), SLOW_MS + 800)).toEqual([1, 1, 1]);
  }, 30_000);

  it('timeoutMs is the regression that made it unknown: with the configured timeout the same payments simply succeed', async () => {
    await setBehaviour(stack, 'stripe', { latency: { kind: 'fixed', value: SLOW_MS } });
    const { router } = await routerFor(stack, { routes: ROUTES, breaker: CLOSED });
    const orders = Array.from({ length: 3 }, () => cardOrder('notimeout'));
    const results = await Promise.all(orders.map((o) => router.charge(o, 'stripe')));
    for (const r of results) expect(r).toMatchObject({ provider: 'stripe', outcome: 'succeeded', failover: false });
    expect(await chargesOf(orders.map((o) => o.orderId))).toEqual([1, 1, 1]);
  }, 30_000);

  it('negative control: retryWithNewKey retries the timed-out call under a fresh key — the provider ledger shows a double charge', async () => {
    await setBehaviour(stack, 'stripe', { latency: { kind: 'fixed', value: SLOW_MS } });
    const { router } = await routerFor(stack, { routes: ROUTES, breaker: CLOSED, retry: { baseDelayMs: 1, maxDelayMs: 1 }, regression: { timeoutMs: 200, retryWithNewKey: true } });
    const orders = Array.from({ length: 3 }, () => cardOrder('newkey'));
    const results = await Promise.all(orders.map((o) => router.charge(o, 'stripe')));
    for (const r of results) expect(r.attempts.map((a) => a.provider)).toEqual(['stripe', 'stripe']);
    expect(await chargesOf(orders.map((o) => o.orderId), 2 * SLOW_MS)).toEqual([2, 2, 2]);
    const captures = await capturesByOrder(stack);
    for (const o of orders) expect(new Set(captures.get(o.orderId)!.map((c) => c.key)).size).toBe(2);
  }, 30_000);

  it.each([
    ['stays pending at Stripe: one charge', { failoverOnUnknown: false }, [1, 1]],
    ['negative control, failoverOnUnknown: charged at Adyen too', { failoverOnUnknown: true }, [2, 2]],
  ] as const)('a black hole on the answer path (Toxiproxy timeout toxic, downstream) — Stripe charges, the gateway times out: %s', async (_, regression, expected) => {
    const { router } = await routerFor(stack, { routes: ROUTES, breaker: CLOSED, regression: { timeoutMs: 300, ...regression } });
    const fault = await stack.chaos.applyFault({ type: 'timeout', target: stack.providers.stripe!.proxy, direction: 'downstream', timeoutMs: 0 });
    const orders = Array.from({ length: 2 }, () => cardOrder('blackhole'));
    let results;
    try {
      results = await Promise.all(orders.map((o) => router.charge(o, 'stripe')));
    } finally {
      await fault.remove();
    }
    if (!regression.failoverOnUnknown) for (const r of results) expect(r).toMatchObject({ provider: 'stripe', outcome: 'pending', errorCode: 'outcome_unknown', failover: false });
    expect(await chargesOf(orders.map((o) => o.orderId), 300)).toEqual(expected);
  }, 30_000);

  it('a connection reset mid-request is unknown too: no failover for it, and once the breaker opens new payments move to Adyen uncharged at Stripe', async () => {
    const { router } = await routerFor(stack, { routes: ROUTES, breaker: { failureThreshold: 3, halfOpenAfterMs: 60_000 } });
    // reset_peer on the way up: the request reaches the proxy, the connection is reset — the gateway cannot know whether Stripe got it.
    const fault = await stack.chaos.applyFault({ type: 'reset_peer', target: stack.providers.stripe!.proxy, timeoutMs: 0 });
    const orders = Array.from({ length: 8 }, () => cardOrder('reset'));
    const results = [];
    try {
      for (const o of orders) results.push(await router.charge(o, 'stripe'));
    } finally {
      await fault.remove();
    }
    const unknown = results.filter((r) => r.outcome === 'pending');
    const moved = results.filter((r) => r.failover);
    expect(unknown.length).toBeGreaterThanOrEqual(1);
    for (const r of unknown) expect(r).toMatchObject({ provider: 'stripe', failover: false });
    expect(moved.length).toBeGreaterThanOrEqual(3);
    for (const r of moved) expect(r).toMatchObject({ provider: 'adyen', failoverReason: 'circuit_open', outcome: 'succeeded' });
    // At most one charge per order, whatever the proxy did to the primary's connections.
    const counts = await chargesOf(orders.map((o) => o.orderId), 300);
    expect(Math.max(...counts)).toBeLessThanOrEqual(1);
  }, 30_000);
});
