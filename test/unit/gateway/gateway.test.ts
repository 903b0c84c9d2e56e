import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../../../gateway/index.js';
import { checkNoDoubleCharge } from '../../../src/analysis/index.js';
import { startStripeSim } from '../../../simulators/index.js';

type Sim = Awaited<ReturnType<typeof startStripeSim>>;

describe('reference gateway construction', () => {
  it('refuses a provider it cannot speak, and an empty provider set, with coded errors', () => {
    expect(() => buildGateway({ providers: { 'wiremock:acme': { url: 'http://127.0.0.1:1' } } })).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_GATEWAY_UNKNOWN_PROVIDER' }));
    expect(() => buildGateway({ providers: {} })).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_GATEWAY_UNKNOWN_PROVIDER' }));
  });
});

describe('reference gateway', () => {
  let sim: Sim;
  let gw: { app: FastifyInstance; close(): Promise<void> };
  beforeEach(async () => {
    sim = await startStripeSim();
    gw = buildGateway({ providers: { stripe: { url: sim.url } } });
  });
  afterEach(async () => {
    await gw.close();
    await sim.close();
  });

  const pay = (key: string, body: Record<string, unknown>) =>
    gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': key }, payload: { orderId: 'A1', amount: 1000, currency: 'EUR', paymentMethod: 'pm_card_visa', ...body } });

  it('charges a good card once and answers 201 succeeded', async () => {
    const res = await pay('k1', {});
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ orderId: 'A1', status: 'succeeded', provider: 'stripe' });
    expect(sim.ledger.entries().filter((e) => e.kind === 'capture')).toHaveLength(1);
  });

  it('refuses a payment for a provider it was not given, naming the field and the providers it has, and charges nothing', async () => {
    const res = await pay('k1', { provider: 'alipay' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('PAYCHAOS_ERR_GATEWAY_UNKNOWN_PROVIDER');
    expect(res.json().error.message).toMatch(/provider: "alipay".*\(stripe\)/);
    expect(sim.ledger.entries()).toHaveLength(0);
    // The key was not spent on the refusal: the same key for a provider it has charges.
    expect((await pay('k1', { provider: 'stripe' })).statusCode).toBe(201);
  });

  it('refuses a malformed provider name as a bad request', async () => {
    const res = await pay('k1', { provider: 'Stripe!' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^provider:/);
  });

  it('replays the stored answer for a repeated Idempotency-Key without a second charge', async () => {
    const first = await pay('k1', {});
    const second = await pay('k1', {});
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(sim.ledger.entries().filter((e) => e.kind === 'capture')).toHaveLength(1);
  });

  it('charges once through Stripe for a client key of 255 characters, the longest it takes, and replays it for that key', async () => {
    const key = 'k'.repeat(255);
    const first = await pay(key, {});
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ status: 'succeeded' });
    expect((await pay(key, {})).json()).toEqual(first.json());
    expect(sim.ledger.entries().filter((e) => e.kind === 'capture')).toHaveLength(1);
  });

  it('refuses a reused key with different parameters with 422', async () => {
    await pay('k1', {});
    const res = await pay('k1', { amount: 2000 });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('PAYCHAOS_ERR_GATEWAY_IDEMPOTENCY_MISMATCH');
  });

  it('does not charge an order twice when the client retries with a new key', async () => {
    await pay('k1', {});
    const retry = await pay('k2', {});
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ orderId: 'A1', status: 'succeeded' });
    expect(checkNoDoubleCharge(sim.ledger.entries()).passed).toBe(true);
    expect(sim.ledger.entries().filter((e) => e.kind === 'capture')).toHaveLength(1);
  });

  it('answers concurrent submits of one key with one charge and a 409 or a replay for the rest', async () => {
    const answers = await Promise.all([pay('k1', {}), pay('k1', {}), pay('k1', {})]);
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    for (const s of statuses) expect([201, 409]).toContain(s);
    expect(sim.ledger.entries().filter((e) => e.kind === 'capture')).toHaveLength(1);
  });

  it('maps a decline to 402 with the normalised code and the provider code', async () => {
    const res = await pay('k1', { paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds' });
    expect(res.statusCode).toBe(402);
    expect(res.json()).toMatchObject({ status: 'failed', errorCode: 'insufficient_funds', providerCode: 'insufficient_funds' });
    expect(sim.ledger.entries()).toHaveLength(0);
  });

  it.each([
    [{ amount: -1 }, 'amount'],
    [{ amount: 10.5 }, 'amount'],
    [{ currency: 'EURO' }, 'currency'],
    [{ orderId: '' }, 'orderId'],
    [{ paymentMethod: 42 }, 'paymentMethod'],
  ])('rejects %j with 400 naming the field', async (body, field) => {
    const res = await pay('k1', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST');
    expect(res.json().error.message).toContain(field);
  });

  it('requires an Idempotency-Key', async () => {
    const res = await gw.app.inject({ method: 'POST', url: '/payments', payload: { orderId: 'A1', amount: 1, currency: 'EUR', paymentMethod: 'pm_card_visa' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('Idempotency-Key');
  });

  it('does not let a new key charge an order again after the provider committed it and answered 503', async () => {
    // "Charged, then 503": the provider's 503 looks like a maintenance 503, yet the money moved.
    const flaky = await startStripeSim({ seed: 7, profile: { commitThenError: { rate: 1, status: 503 } } });
    const g = buildGateway({ providers: { stripe: { url: flaky.url } } });
    try {
      const body = { orderId: 'C1', amount: 1000, currency: 'EUR', paymentMethod: 'pm_card_visa' };
      const first = await g.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': 'k1' }, payload: body });
      expect(first.json()).toMatchObject({ status: 'pending', errorCode: 'provider_unavailable' });
      const retry = await g.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': 'k2' }, payload: body });
      expect(retry.json()).toMatchObject({ orderId: 'C1', status: 'pending' });
      expect(flaky.ledger.entries().filter((e) => e.kind === 'capture')).toHaveLength(1);
      expect(checkNoDoubleCharge(flaky.ledger.entries()).passed).toBe(true);
    } finally {
      await g.close();
      await flaky.close();
    }
  });

  it('charges an order once when submits with different keys race', async () => {
    const answers = await Promise.all(['r1', 'r2', 'r3', 'r4'].map((k) => pay(k, { orderId: 'R1' })));
    for (const a of answers) expect([200, 201, 409]).toContain(a.statusCode);
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
    expect(sim.ledger.entries().filter((e) => e.kind === 'capture')).toHaveLength(1);
  });

  it('reports an unreachable provider as a network error, not a success', async () => {
    const dead = buildGateway({ providers: { stripe: { url: 'http://127.0.0.1:1' } } });
    try {
      const res = await dead.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': 'k' }, payload: { orderId: 'B1', amount: 1, currency: 'EUR', paymentMethod: 'pm_card_visa' } });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'failed', errorCode: 'network_error' });
    } finally {
      await dead.close();
    }
  });
});
