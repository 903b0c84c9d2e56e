import { afterEach, describe, expect, it } from 'vitest';
import { isPaychaosError } from '../../../../src/kernel/index.js';
import { buildStripeSim, type StripeSim } from '../../../../simulators/stripe/index.js';
import { get, post } from './helpers.js';

let sim: StripeSim;
afterEach(async () => sim?.app.close());

const PAY = { amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true };
const put = (body: unknown) => sim.app.inject({ method: 'PUT', url: '/__sim/behaviour', payload: body as object });

describe('Stripe simulator behaviour profile', () => {
  it('answers 503 in Stripe shape during a maintenance window and recovers when it is lifted', async () => {
    sim = buildStripeSim({ seed: 11, profile: { maintenance: {} } });
    const down = await post(sim.app, '/v1/payment_intents', PAY);
    expect(down.status).toBe(503);
    expect(down.body.error.type).toBe('api_error');
    expect((await put({})).statusCode).toBe(200);
    expect((await post(sim.app, '/v1/payment_intents', PAY)).status).toBe(200);
  });

  it('rate limits with 429 rate_limit_error and a Retry-After header', async () => {
    // A frozen clock: the bucket cannot refill between requests however slow the machine is.
    sim = buildStripeSim({ seed: 11, now: () => new Date('2026-11-11T00:00:00Z'), profile: { rateLimit: { perSecond: 2, retryAfter: '3s' } } });
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 4; i++) {
      const res = await post(sim.app, '/v1/payment_intents', PAY);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(limited?.headers['retry-after']).toBe('3');
    expect(limited?.body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit' });
  });

  it('forces outcomes by provider code, and the control routes stay reachable', async () => {
    sim = buildStripeSim({ seed: 11, profile: { outcomes: { insufficient_funds: 1 } } });
    const res = await post(sim.app, '/v1/payment_intents', PAY);
    expect(res.status).toBe(402);
    expect(res.body.error.decline_code).toBe('insufficient_funds');
    expect((await get(sim.app, '/__sim/behaviour')).body.profile.outcomes).toEqual({ insufficient_funds: 1 });
  });

  it('runs outcome chains: an order declines on its first attempt and succeeds on the retry', async () => {
    sim = buildStripeSim({ seed: 11, profile: { chain: { rate: 1, code: 'try_again_later' } } });
    const first = await post(sim.app, '/v1/payment_intents', { ...PAY, metadata: { order_id: 'chain-1' } });
    expect(first.status).toBe(402);
    expect(first.body.error.decline_code).toBe('try_again_later');
    const retry = await post(sim.app, `/v1/payment_intents/${first.body.error.payment_intent.id}/confirm`, { payment_method: 'pm_card_visa' });
    expect(retry.body.status).toBe('succeeded');
    const other = await post(sim.app, '/v1/payment_intents', { ...PAY, metadata: { order_id: 'chain-2' } });
    expect(other.status).toBe(402);
    expect(sim.ledger.byOrder('chain-1').map((e) => e.kind)).toEqual(['authorization', 'capture']);
  });

  it('mixes outcomes in about the configured shares', async () => {
    sim = buildStripeSim({ seed: 11, profile: { outcomes: { generic_decline: 0.2, fraudulent: 0.1 } } });
    const counts: Record<string, number> = {};
    for (let i = 0; i < 400; i++) {
      const res = await post(sim.app, '/v1/payment_intents', PAY);
      const key = res.status === 200 ? 'ok' : res.body.error.decline_code;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    // 400 draws: binomial sd ≈ 8 for 20%, ≈ 6 for 10%; a ±4 sd band.
    expect(counts.generic_decline).toBeGreaterThan(80 - 32);
    expect(counts.generic_decline).toBeLessThan(80 + 32);
    expect(counts.fraudulent).toBeGreaterThan(40 - 24);
    expect(counts.fraudulent).toBeLessThan(40 + 24);
  });

  it('rejects an invalid live profile with every problem and its path, and keeps the old one', async () => {
    sim = buildStripeSim({ seed: 11, profile: { outcomes: { card_declined: 0.5 } } });
    const res = await put({ outcomes: { martian_decline: 0.5 }, latency: { kind: 'fixed', value: -1 }, extra: true });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('PAYCHAOS_ERR_SIM_BAD_PROFILE');
    expect(body.error.problems.map((p: { path: string }) => p.path)).toEqual(expect.arrayContaining(['outcomes.martian_decline', 'latency.value', '(root)']));
    expect((await get(sim.app, '/__sim/behaviour')).body.profile.outcomes).toEqual({ card_declined: 0.5 });
  });

  it('refuses to start with an invalid profile, with a coded error naming the field', () => {
    try {
      buildStripeSim({ profile: { webhooks: { drop: 7 } } });
      expect.unreachable();
    } catch (err) {
      expect(isPaychaosError(err, 'PAYCHAOS_ERR_SIM_BAD_PROFILE')).toBe(true);
      expect((err as Error).message).toMatch(/webhooks\.drop/);
    }
  });

  it('replays a run: the same seed and requests give the same ids and outcomes', async () => {
    const run = async () => {
      const s = buildStripeSim({ seed: 99, profile: { outcomes: { generic_decline: 0.5 } }, now: () => new Date(0) });
      const out: unknown[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await post(s.app, '/v1/payment_intents', PAY);
        out.push([res.status, res.status === 200 ? res.body.id : res.body.error.payment_intent.id]);
      }
      await s.app.close();
      return out;
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    expect(new Set(a.map((x) => (x as number[])[0])).size).toBe(2);
  });

  it('adds processing latency to the answer', async () => {
    sim = buildStripeSim({ seed: 11, profile: { latency: { kind: 'uniform', min: 60, max: 80 } } });
    const started = performance.now();
    await post(sim.app, '/v1/payment_intents', PAY);
    // Timers may fire a little early on a loaded machine: 5 ms of tolerance below the minimum.
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('serves the ledger as a Stripe-style settlement CSV of captures and refunds', async () => {
    sim = buildStripeSim({ seed: 11, now: () => new Date('2026-11-11T00:00:01.500Z') });
    const pi = await post(sim.app, '/v1/payment_intents', { ...PAY, amount: 1050, currency: 'eur', metadata: { order_id: 'o,1' } }, { 'idempotency-key': 'sk' });
    await post(sim.app, '/v1/refunds', { payment_intent: pi.body.id, amount: 50 });
    const res = await sim.app.inject({ method: 'GET', url: '/__sim/settlement.csv' });
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,reporting_category,source_id,payment_intent_id,payment_metadata[order_id],idempotency_key,trace_id');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(`txn_2,2026-11-11 00:00:01,2026-11-11 00:00:01,eur,10.50,0.00,10.50,charge,${pi.body.latest_charge},${pi.body.id},"o,1",sk,`);
    expect(lines[2]).toMatch(/^txn_3,.*,eur,-0\.50,0\.00,-0\.50,refund,re_/);
  });
});
