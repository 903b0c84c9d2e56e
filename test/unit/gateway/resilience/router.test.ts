import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createRouter, type RouterSettings } from '../../../../gateway/resilience/index.js';
import { chargedThen500, declined, instant, ok, order, refused, scripted, timedOut, unavailable, type ScriptedClient } from './scripted-client.js';

/** For tests of retries alone: a breaker that would open would stop the calls being counted. */
const NEVER_OPENS = { failureThreshold: 1000 };
const CARDS: RouterSettings['routes'] = { 'pm_card_*': ['stripe', 'adyen'] };

function pair(primary: ScriptedClient['answer'], backup: ScriptedClient['answer'] = () => ok) {
  const stripe = scripted('stripe', primary);
  const adyen = scripted('adyen', backup);
  return { stripe, adyen, clients: new Map([['stripe', stripe], ['adyen', adyen]] as const) };
}

describe('the router without routes: today\'s behaviour', () => {
  it('sends a payment to the provider it names and never elsewhere, even when that provider refuses', async () => {
    const { stripe, adyen, clients } = pair(() => refused);
    const router = createRouter({}, clients, instant);
    const result = await router.charge(order(), 'stripe');
    expect(result).toMatchObject({ provider: 'stripe', outcome: 'failed', errorCode: 'network_error', failover: false });
    expect(adyen.calls).toHaveLength(0);
    // Refused is back_off and certainly not charged: retried once (the default), with the same key.
    expect(stripe.calls.map((c) => c.providerKey)).toEqual([stripe.calls[0]!.providerKey, stripe.calls[0]!.providerKey]);
  });

  it('sends a payment that names no provider to the first configured', async () => {
    const { stripe, clients } = pair(() => ok);
    const result = await createRouter({}, clients, instant).charge(order());
    expect(result).toMatchObject({ provider: 'stripe', outcome: 'succeeded', failover: false });
    expect(stripe.calls).toHaveLength(1);
  });
});

describe('failover', () => {
  it('moves a refused payment to the next channel and records from where and why', async () => {
    const { stripe, adyen, clients } = pair(() => refused);
    const result = await createRouter({ routes: CARDS }, clients, instant).charge(order(), 'stripe');
    expect(result).toMatchObject({ provider: 'adyen', outcome: 'succeeded', failover: true, failoverFrom: 'stripe', failoverReason: 'connection_refused' });
    expect(stripe.calls).toHaveLength(2);
    expect(adyen.calls).toHaveLength(1);
    expect(result.attempts.map((a) => [a.provider, a.attempt])).toEqual([['stripe', 1], ['stripe', 2], ['adyen', 3]]);
  });

  it('moves a payment the provider refused before executing (503 provider_unavailable, failed) to the backup', async () => {
    const { adyen, clients } = pair(() => unavailable);
    const result = await createRouter({ routes: CARDS }, clients, instant).charge(order(), 'stripe');
    expect(result).toMatchObject({ provider: 'adyen', failover: true, failoverReason: 'provider_unavailable' });
    expect(adyen.calls).toHaveLength(1);
  });

  it.each([
    ['a timeout after sending', timedOut],
    ['charged, then 500', chargedThen500],
  ])('never fails over %s: it stays pending at the primary, and the backup is never called', async (_, unknown) => {
    const { stripe, adyen, clients } = pair(() => unknown);
    const result = await createRouter({ routes: CARDS }, clients, instant).charge(order(), 'stripe');
    expect(result).toMatchObject({ provider: 'stripe', outcome: 'pending', failover: false });
    expect(adyen.calls).toHaveLength(0);
    // query_first: not retried blindly either.
    expect(stripe.calls).toHaveLength(1);
  });

  it('negative control: with failoverOnUnknown the same unknown payment is charged at the backup too', async () => {
    const { stripe, adyen, clients } = pair(() => timedOut);
    const result = await createRouter({ routes: CARDS, regression: { failoverOnUnknown: true } }, clients, instant).charge(order(), 'stripe');
    expect(stripe.calls).toHaveLength(1);
    expect(adyen.calls).toHaveLength(1);
    expect(result).toMatchObject({ provider: 'adyen', failover: true, failoverReason: 'outcome_unknown' });
  });

  it('does not fail over a decline: the shopper\'s card is the problem, not the provider', async () => {
    const { stripe, adyen, clients } = pair(() => declined);
    const result = await createRouter({ routes: CARDS }, clients, instant).charge(order(), 'stripe');
    expect(result).toMatchObject({ provider: 'stripe', errorCode: 'card_declined', failover: false });
    expect(stripe.calls).toHaveLength(1);
    expect(adyen.calls).toHaveLength(0);
  });

  it('noFailover keeps every payment on its primary', async () => {
    const { adyen, clients } = pair(() => refused);
    const result = await createRouter({ routes: CARDS, regression: { noFailover: true } }, clients, instant).charge(order(), 'stripe');
    expect(result).toMatchObject({ provider: 'stripe', outcome: 'failed', failover: false });
    expect(adyen.calls).toHaveLength(0);
  });

  it('starts from the named provider when the route has it, and honours a provider named outside the route alone', async () => {
    const { stripe, adyen, clients } = pair(() => refused, () => refused);
    const router = createRouter({ routes: { pm_card_visa: ['stripe'] } }, clients, instant);
    await router.charge(order(), 'adyen');
    expect(stripe.calls).toHaveLength(0);
    expect(adyen.calls.length).toBeGreaterThan(0);
  });
});

describe('the breaker', () => {
  it('opens after the threshold, fails over without calling the primary, probes after halfOpenAfterMs and switches back', async () => {
    let primaryUp = false;
    const { stripe, adyen, clients } = pair(() => (primaryUp ? ok : refused));
    const states: string[] = [];
    const router = createRouter({ routes: CARDS, breaker: { failureThreshold: 3, halfOpenAfterMs: 100 }, retry: { maxAttempts: 1 } }, clients, { ...instant, onBreakerChange: (p, s) => states.push(`${p}:${s}`) });
    for (let i = 0; i < 3; i++) expect(await router.charge(order(), 'stripe')).toMatchObject({ provider: 'adyen', failoverReason: 'connection_refused' });
    expect(router.state().stripe).toMatchObject({ state: 'open', opened: 1 });
    const before = stripe.calls.length;
    expect(await router.charge(order(), 'stripe')).toMatchObject({ provider: 'adyen', failover: true, failoverReason: 'circuit_open' });
    expect(stripe.calls.length).toBe(before); // open: the primary was not called
    primaryUp = true;
    await sleep(150);
    // The half-open probe is a real payment at the primary; it succeeds and closes the circuit.
    expect(await router.charge(order(), 'stripe')).toMatchObject({ provider: 'stripe', failover: false });
    expect(router.state().stripe!.state).toBe('closed');
    expect(await router.charge(order(), 'stripe')).toMatchObject({ provider: 'stripe', failover: false });
    expect(states).toEqual(['stripe:open', 'stripe:half_open', 'stripe:closed']);
    expect(adyen.calls).toHaveLength(4);
  });

  it('while the probe is out, other payments fail over at once instead of waiting for it', async () => {
    let release!: () => void;
    const hanging = new Promise<void>((r) => (release = r));
    let open = true;
    const { adyen, clients } = pair(async () => {
      if (open) return refused;
      await hanging;
      return ok;
    });
    const router = createRouter({ routes: CARDS, breaker: { failureThreshold: 1, halfOpenAfterMs: 50 }, retry: { maxAttempts: 1 } }, clients, instant);
    await router.charge(order(), 'stripe');
    open = false;
    await sleep(80);
    const probe = router.charge(order(), 'stripe');
    const other = await router.charge(order(), 'stripe');
    expect(other).toMatchObject({ provider: 'adyen', failoverReason: 'circuit_open' });
    release();
    expect(await probe).toMatchObject({ provider: 'stripe', outcome: 'succeeded' });
    expect(adyen.calls).toHaveLength(2);
  });

  it('counts declines as health: a run of declines never opens the circuit', async () => {
    const { clients } = pair(() => declined);
    const router = createRouter({ routes: CARDS, breaker: { failureThreshold: 2 } }, clients, instant);
    for (let i = 0; i < 5; i++) await router.charge(order(), 'stripe');
    expect(router.state().stripe).toMatchObject({ state: 'closed', opened: 0 });
  });

  it('answers a fast, certain failure when every channel is open', async () => {
    const { stripe, clients } = pair(() => refused, () => refused);
    const router = createRouter({ routes: CARDS, breaker: { failureThreshold: 1, halfOpenAfterMs: 60_000 }, retry: { maxAttempts: 1 } }, clients, instant);
    await router.charge(order(), 'stripe');
    const calls = stripe.calls.length;
    const result = await router.charge(order(), 'stripe');
    expect(result).toMatchObject({ outcome: 'failed', errorCode: 'provider_unavailable', providerCode: 'circuit_open', provider: 'adyen', failover: true, failoverFrom: 'stripe', failoverReason: 'circuit_open' });
    expect(stripe.calls.length).toBe(calls);
    expect(result.attempts.every((a) => a.skipped === 'open')).toBe(true);
  });
});

describe('retries', () => {
  it('retries only where the code\'s advice is back_off and the charge certainly did not happen, always with the same key', async () => {
    const cases = [
      [refused, 3],
      [unavailable, 3],
      [{ outcome: 'failed', errorCode: 'rate_limited', providerStatus: 429 }, 3],
      [declined, 1],
      [timedOut, 1],
      [chargedThen500, 1],
      [{ outcome: 'failed', errorCode: 'insufficient_funds', providerStatus: 402 }, 1],
    ] as const;
    for (const [answer, calls] of cases) {
      const client = scripted('stripe', () => answer);
      await createRouter({ retry: { maxAttempts: 3 } }, new Map([['stripe', client]]), instant).charge(order(), 'stripe');
      expect(client.calls, JSON.stringify(answer)).toHaveLength(calls);
      expect(new Set(client.calls.map((c) => c.providerKey)).size).toBe(1);
    }
  });

  it('negative control: retryWithNewKey retries a timed-out call under a fresh key (the provider sees two payments)', async () => {
    const client = scripted('stripe', () => timedOut);
    await createRouter({ regression: { retryWithNewKey: true } }, new Map([['stripe', client]]), instant).charge(order(), 'stripe');
    expect(client.calls).toHaveLength(2);
    expect(new Set(client.calls.map((c) => c.providerKey)).size).toBe(2);
  });

  it('waits with full jitter between retries: random, never above the exponential ceiling', async () => {
    const waits: number[] = [];
    const client = scripted('stripe', () => refused);
    const router = createRouter({ breaker: NEVER_OPENS, retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250, budgetMinRetries: 1000 } }, new Map([['stripe', client]]), { sleep: async (ms) => void waits.push(ms) });
    for (let i = 0; i < 50; i++) await router.charge(order(), 'stripe');
    const byRetry = [0, 1, 2].map((r) => waits.filter((_, i) => i % 3 === r));
    expect(Math.max(...byRetry[0]!)).toBeLessThanOrEqual(100);
    expect(Math.max(...byRetry[1]!)).toBeLessThanOrEqual(200);
    expect(Math.max(...byRetry[2]!)).toBeLessThanOrEqual(250);
    // Jittered, not a fixed delay: the waits of one retry spread over their range.
    expect(new Set(byRetry[2]).size).toBeGreaterThan(20);
    expect(Math.min(...byRetry[2]!)).toBeLessThan(100);
  });

  it('spends at most the retry budget when a provider fails everything', async () => {
    const client = scripted('stripe', () => refused);
    const router = createRouter({ breaker: NEVER_OPENS, retry: { maxAttempts: 3, budgetRatio: 0.1, budgetMinRetries: 5 } }, new Map([['stripe', client]]), instant);
    for (let i = 0; i < 100; i++) await router.charge(order(), 'stripe');
    // 100 payments: 100 first attempts, retries ≤ 5 + 0.1 × 100 = 15 (without a budget: 200).
    expect(client.calls.length).toBeGreaterThanOrEqual(100 + 14);
    expect(client.calls.length).toBeLessThanOrEqual(100 + 15);
    // Control: the same storm with a budget too large to bind retries every payment twice.
    const unbudgeted = scripted('stripe', () => refused);
    const free = createRouter({ breaker: NEVER_OPENS, retry: { maxAttempts: 3, budgetMinRetries: 100_000 } }, new Map([['stripe', unbudgeted]]), instant);
    for (let i = 0; i < 100; i++) await free.charge(order(), 'stripe');
    expect(unbudgeted.calls).toHaveLength(300);
  });
});

describe('the observe hook (the server\'s client span per provider call)', () => {
  it('wraps every call with its attempt number across channels and its role (first, retry, failover), and no call the breaker skipped', async () => {
    const { clients } = pair(() => refused);
    const seen: Array<[string, number, string]> = [];
    const router = createRouter({ routes: CARDS, retry: { maxAttempts: 2 } }, clients, {
      ...instant,
      observe: (client, req, attempt, role) => {
        seen.push([client.provider, attempt, role]);
        return client.charge(req);
      },
    });
    await router.charge(order(), 'stripe');
    expect(seen).toEqual([['stripe', 1, 'first'], ['stripe', 2, 'retry'], ['adyen', 3, 'failover']]);
  });
});
