import { afterEach, describe, expect, it } from 'vitest';
import { buildStripeSim, type StripeSim } from '../../../../simulators/stripe/index.js';
import { post } from './helpers.js';

let sim: StripeSim;
afterEach(async () => sim?.app.close());

const PAY = { amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: 'ord_i' } };

describe('Stripe Idempotency-Key', () => {
  it('replays the stored response for a duplicate and never captures twice', async () => {
    sim = buildStripeSim({ seed: 7 });
    const first = await post(sim.app, '/v1/payment_intents', PAY, { 'idempotency-key': 'dup-1' });
    const second = await post(sim.app, '/v1/payment_intents', PAY, { 'idempotency-key': 'dup-1' });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(sim.ledger.count('capture')).toBe(1);
  });

  it('replays a decline as the same 402', async () => {
    sim = buildStripeSim({ seed: 7 });
    const params = { ...PAY, payment_method: 'pm_card_chargeDeclined' };
    const first = await post(sim.app, '/v1/payment_intents', params, { 'idempotency-key': 'dec-1' });
    const second = await post(sim.app, '/v1/payment_intents', params, { 'idempotency-key': 'dec-1' });
    expect([first.status, second.status]).toEqual([402, 402]);
    expect(second.body).toEqual(first.body);
  });

  it('answers the same key with different parameters with 400 idempotency_error', async () => {
    sim = buildStripeSim({ seed: 7 });
    await post(sim.app, '/v1/payment_intents', PAY, { 'idempotency-key': 'k' });
    const res = await post(sim.app, '/v1/payment_intents', { ...PAY, amount: 2000 }, { 'idempotency-key': 'k' });
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('idempotency_error');
    expect(sim.ledger.count('capture')).toBe(1);
  });

  it('answers the same key on another endpoint with 400 idempotency_error', async () => {
    sim = buildStripeSim({ seed: 7 });
    const pi = await post(sim.app, '/v1/payment_intents', PAY, { 'idempotency-key': 'k' });
    const res = await post(sim.app, '/v1/refunds', { payment_intent: pi.body.id }, { 'idempotency-key': 'k' });
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('idempotency_error');
  });

  it('answers a duplicate that arrives while the first is still executing with 409', async () => {
    sim = buildStripeSim({ seed: 7, profile: { latency: { kind: 'fixed', value: '150ms' } } });
    const [a, b] = await Promise.all([
      post(sim.app, '/v1/payment_intents', PAY, { 'idempotency-key': 'race' }),
      post(sim.app, '/v1/payment_intents', PAY, { 'idempotency-key': 'race' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const conflict = a.status === 409 ? a : b;
    expect(conflict.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_in_use' });
    expect(sim.ledger.count('capture')).toBe(1);
  });

  it('does not store a validation failure: the same key with corrected parameters executes', async () => {
    sim = buildStripeSim({ seed: 7 });
    const bad = await post(sim.app, '/v1/payment_intents', { ...PAY, amount: 'ten' }, { 'idempotency-key': 'v' });
    expect(bad.status).toBe(400);
    const good = await post(sim.app, '/v1/payment_intents', PAY, { 'idempotency-key': 'v' });
    expect(good.status).toBe(200);
    expect(good.headers['idempotent-replayed']).toBeUndefined();
  });

  it('commit then 500: the charge is in the ledger, the caller sees 500, and a retry with the key replays the 500', async () => {
    sim = buildStripeSim({ seed: 7, profile: { commitThenError: { rate: 1 } } });
    const first = await post(sim.app, '/v1/payment_intents', PAY, { 'idempotency-key': 'c5' });
    expect(first.status).toBe(500);
    expect(first.body.error.type).toBe('api_error');
    expect(sim.ledger.count('capture')).toBe(1);
    expect(sim.ledger.entries()[1]).toMatchObject({ kind: 'capture', orderId: 'ord_i', idempotencyKey: 'c5', amount: 1000 });
    const retry = await post(sim.app, '/v1/payment_intents', PAY, { 'idempotency-key': 'c5' });
    expect(retry.status).toBe(500);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(sim.ledger.count('capture')).toBe(1);
  });

  it('does not store an injected 5xx that came before execution: the retry with the key executes', async () => {
    sim = buildStripeSim({ seed: 7, profile: { serverErrors: { rate: 1, status: 503 } } });
    const failed = await post(sim.app, '/v1/payment_intents', PAY, { 'idempotency-key': 'pre' });
    expect(failed.status).toBe(503);
    expect(sim.ledger.size).toBe(0);
    await sim.app.inject({ method: 'PUT', url: '/__sim/behaviour', payload: {} });
    const retry = await post(sim.app, '/v1/payment_intents', PAY, { 'idempotency-key': 'pre' });
    expect(retry.status).toBe(200);
    expect(sim.ledger.count('capture')).toBe(1);
  });

  it('fails a keyed request with an unstored 500 while the idempotency store is down', async () => {
    sim = buildStripeSim({ seed: 7, profile: { idempotencyOutage: { rate: 1 } } });
    const res = await post(sim.app, '/v1/payment_intents', PAY, { 'idempotency-key': 'down' });
    expect(res.status).toBe(500);
    expect(sim.ledger.size).toBe(0);
    await sim.app.inject({ method: 'PUT', url: '/__sim/behaviour', payload: {} });
    const retry = await post(sim.app, '/v1/payment_intents', PAY, { 'idempotency-key': 'down' });
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
  });

  it('rejects a key longer than 255 characters', async () => {
    sim = buildStripeSim({ seed: 7 });
    const res = await post(sim.app, '/v1/payment_intents', PAY, { 'idempotency-key': 'x'.repeat(256) });
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('invalid_request_error');
    expect(sim.ledger.size).toBe(0);
  });
});
