import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProviderStack, type StartedProviderStack } from '../../../src/stack/index.js';
import { captureFee } from '../../../gateway/fees.js';
import { capturesByOrder, setBehaviour } from './resilience-helpers.js';
import { cardPayment, gatewayFor, pay } from './gateway-wiring-helpers.js';

/**
 * POST /payments through the router, end to end: the gateway's HTTP answer, its payment row and
 * attempts rows, and the simulators' ledgers (Stripe and Adyen behind the embedded proxy).
 */
const ROUTES = { 'pm_card_*': ['stripe', 'adyen'] };
const CLOSED = { failureThreshold: 1000 };
const FAST_RETRY = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 };

describe('the gateway routes payments (real simulators behind the proxy)', () => {
  let stack: StartedProviderStack;
  beforeAll(async () => {
    stack = await startProviderStack({ providers: ['stripe', 'adyen'], seed: 21 });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });
  afterEach(async () => {
    await setBehaviour(stack, 'stripe', {});
  });

  it('with its primary down, a payment fails over to the backup: answer, row, one attempts row per call, one charge', async () => {
    const gw = await gatewayFor(stack, { routes: ROUTES, breaker: CLOSED, retry: FAST_RETRY });
    const fault = await stack.chaos.applyFault({ type: 'down', target: stack.providers.stripe!.proxy });
    const p = cardPayment('fo');
    let res;
    try {
      res = await pay(gw, p);
    } finally {
      await fault.remove();
    }
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ status: 'succeeded', provider: 'adyen', failover: true, failoverFrom: 'stripe', failoverReason: 'connection_refused' });
    const row = gw.store.payments.get(body.paymentId)!;
    expect(row).toMatchObject({ provider: 'adyen', failover: true, failoverFrom: 'stripe', failoverReason: 'connection_refused', status: 'succeeded' });
    // Refused twice at Stripe (one retry: network_error is back_off), then Adyen: three rows, one provider key.
    const attempts = gw.store.attempts.forPayment(body.paymentId);
    expect(attempts.map((a) => [a.provider, a.outcome])).toEqual([['stripe', 'failed'], ['stripe', 'failed'], ['adyen', 'succeeded']]);
    expect(new Set(attempts.map((a) => a.providerKey)).size).toBe(1);
    expect((await capturesByOrder(stack)).get(p.body.orderId as string)).toEqual([{ provider: 'adyen', key: attempts[0]!.providerKey }]);
    // The capture is booked to the provider that took the money, net of that provider's fee.
    expect(gw.store.ledger.balance('provider_clearing:adyen', 'eur')).toBe(1500 - captureFee('adyen', 1500, 'eur'));
    expect(captureFee('adyen', 1500, 'eur')).toBeGreaterThan(0);
    expect(gw.store.ledger.balance('provider_clearing:stripe', 'eur')).toBe(0);
  }, 30_000);

  it('the drill over HTTP: the breaker opens (later payments skip Stripe, recorded as skipped rows, reason circuit_open) and payments switch back once Stripe is up', async () => {
    const gw = await gatewayFor(stack, { routes: ROUTES, breaker: { failureThreshold: 3, halfOpenAfterMs: 300 }, retry: FAST_RETRY });
    const fault = await stack.chaos.applyFault({ type: 'down', target: stack.providers.stripe!.proxy });
    const during = [];
    try {
      // Bounded: 12 payments one after another.
      for (let i = 0; i < 12; i++) during.push((await pay(gw, cardPayment('drill'))).json());
    } finally {
      await fault.remove();
    }
    expect(during.every((b) => b.status === 'succeeded' && b.provider === 'adyen' && b.failoverFrom === 'stripe')).toBe(true);
    const open = during.filter((b) => b.failoverReason === 'circuit_open');
    expect(open.length).toBeGreaterThanOrEqual(8);
    // A payment that found the circuit open: one skipped row at Stripe (no call), one call at Adyen.
    const rows = gw.store.attempts.forPayment(open.at(-1).paymentId);
    expect(rows.map((r) => [r.provider, r.outcome, r.providerCode ?? ''])).toEqual([['stripe', 'skipped', 'breaker_open'], ['adyen', 'succeeded', expect.any(String)]]);
    // Switch back: after the half-open window the probe succeeds and payments go to Stripe again (bounded: 40 tries, 100 ms apart).
    let back;
    for (let i = 0; i < 40 && !back; i++) {
      await sleep(100);
      const b = (await pay(gw, cardPayment('back'))).json();
      if (b.provider === 'stripe') back = b;
    }
    expect(back).toMatchObject({ status: 'succeeded', provider: 'stripe', failover: false });
  }, 30_000);

  it('a healthy primary answers: failover false, one attempts row', async () => {
    const gw = await gatewayFor(stack, { routes: ROUTES });
    const res = await pay(gw, cardPayment('ok'));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ provider: 'stripe', failover: false });
    expect(res.json().failoverFrom).toBeUndefined();
    expect(gw.store.attempts.forPayment(res.json().paymentId)).toHaveLength(1);
  }, 30_000);

  it('"charged, then 500" stays pending at the primary: never failed over, one charge; the failoverOnUnknown regression charges twice (negative control)', async () => {
    await setBehaviour(stack, 'stripe', { commitThenError: { rate: 1, status: 500 } });
    const good = await gatewayFor(stack, { routes: ROUTES, breaker: CLOSED, retry: FAST_RETRY });
    const p = cardPayment('c500');
    const res = await pay(good, p);
    expect(res.json()).toMatchObject({ status: 'pending', provider: 'stripe', failover: false });
    expect(good.store.attempts.forPayment(res.json().paymentId)).toHaveLength(1);

    const bad = await gatewayFor(stack, { routes: ROUTES, breaker: CLOSED, retry: FAST_RETRY, regression: { failoverOnUnknown: true } });
    const q = cardPayment('c500bug');
    expect((await pay(bad, q)).json()).toMatchObject({ provider: 'adyen', failover: true, failoverReason: 'outcome_unknown' });
    const captures = await capturesByOrder(stack);
    expect(captures.get(p.body.orderId as string)).toHaveLength(1);
    expect(captures.get(q.body.orderId as string)).toHaveLength(2);
  }, 30_000);

  it('the recovery loop queries the provider the payment was sent to, not the one it named', async () => {
    // Named Adyen (down: refused), failed over to Stripe, which is too slow for the timeout: unknown at Stripe.
    await setBehaviour(stack, 'stripe', { latency: { kind: 'fixed', value: 1_500 } });
    const gw = await gatewayFor(stack, { routes: ROUTES, breaker: CLOSED, retry: FAST_RETRY, regression: { timeoutMs: 200 } });
    const fault = await stack.chaos.applyFault({ type: 'down', target: stack.providers.adyen!.proxy });
    const p = cardPayment('rq', { provider: 'adyen' });
    let res;
    try {
      res = await pay(gw, p);
    } finally {
      await fault.remove();
    }
    expect(res.statusCode).toBe(504);
    expect(res.json()).toMatchObject({ status: 'pending', errorCode: 'outcome_unknown', provider: 'stripe', failover: true, failoverFrom: 'adyen', failoverReason: 'connection_refused' });
    await sleep(2_300); // the simulator finishes the charge the gateway gave up waiting for
    await gw.recovery.runPass();
    const row = gw.store.payments.get(res.json().paymentId)!;
    // Adyen has no status query: had the row kept naming Adyen, the payment would still be pending.
    expect(row).toMatchObject({ status: 'succeeded', provider: 'stripe' });
    const queries = gw.store.attempts.forPayment(row.paymentId).filter((a) => a.kind === 'query');
    expect(queries.map((q) => [q.provider, q.outcome])).toEqual([['stripe', 'succeeded']]);
    expect((await capturesByOrder(stack)).get(p.body.orderId as string)).toHaveLength(1);
  }, 30_000);

  it('sheds load beyond its bound: 429, Retry-After, PAYCHAOS_ERR_GATEWAY_OVERLOADED; with shedding off none is refused (negative control)', async () => {
    await setBehaviour(stack, 'stripe', { latency: { kind: 'fixed', value: 600 } });
    const run = async (maxInFlight: number) => {
      const gw = await gatewayFor(stack, { shedding: { maxInFlight, retryAfterS: 2 } });
      return Promise.all(Array.from({ length: 5 }, (_, i) => pay(gw, cardPayment(`shed${maxInFlight}_${i}`))));
    };
    const shed = await run(2);
    const refused = shed.filter((r) => r.statusCode === 429);
    expect(refused).toHaveLength(3);
    for (const r of refused) {
      expect(r.headers['retry-after']).toBe('2');
      expect(r.json().error.code).toBe('PAYCHAOS_ERR_GATEWAY_OVERLOADED');
    }
    expect(shed.filter((r) => r.statusCode === 201)).toHaveLength(2);
    const open = await run(0);
    expect(open.every((r) => r.statusCode === 201)).toBe(true);
  }, 30_000);
});
