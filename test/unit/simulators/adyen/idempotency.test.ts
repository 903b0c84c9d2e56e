import { afterEach, describe, expect, it } from 'vitest';
import { buildAdyenSim, type AdyenSim } from '../../../../simulators/adyen/index.js';
import { payment, post } from './helpers.js';

let sim: AdyenSim;
afterEach(async () => sim?.app.close());

describe('Adyen idempotency-key', () => {
  it('replays the first result for the same key and never charges twice', async () => {
    sim = buildAdyenSim({ seed: 41 });
    const first = await post(sim.app, '/v71/payments', payment(), { 'idempotency-key': 'k1' });
    const second = await post(sim.app, '/v71/payments', payment(), { 'idempotency-key': 'k1' });
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotency-key']).toBe('k1');
    expect(sim.ledger.count('capture')).toBe(1);
  });

  it.each([422, 409] as const)('answers a duplicate in flight with %i errorCode 704 and transient-error: true', async (inFlightStatus) => {
    sim = buildAdyenSim({ seed: 41, inFlightStatus, profile: { latency: { kind: 'fixed', value: 150 } } });
    const [a, b] = await Promise.all([post(sim.app, '/v71/payments', payment(), { 'idempotency-key': 'race' }), post(sim.app, '/v71/payments', payment(), { 'idempotency-key': 'race' })]);
    const conflict = a.status === 200 ? b : a;
    expect(conflict.status).toBe(inFlightStatus);
    expect(conflict.body).toMatchObject({ errorCode: '704', message: 'request already processed or in progress' });
    expect(conflict.headers['transient-error']).toBe('true');
    expect(sim.ledger.count('capture')).toBe(1);
  });

  it('answers the same key on a different request with 422 errorCode 704, not transient', async () => {
    sim = buildAdyenSim({ seed: 41 });
    await post(sim.app, '/v71/payments', payment(), { 'idempotency-key': 'k2' });
    const res = await post(sim.app, '/v71/payments', payment({ amount: { value: 5, currency: 'EUR' } }), { 'idempotency-key': 'k2' });
    expect(res.status).toBe(422);
    expect(res.body.errorCode).toBe('704');
    expect(res.headers['transient-error']).toBeUndefined();
  });

  it('commit then 500: the ledger has the charge, the caller sees a transient 500, and the retry with the key gets the committed result', async () => {
    sim = buildAdyenSim({ seed: 41, profile: { commitThenError: { rate: 1 } } });
    const first = await post(sim.app, '/v71/payments', payment(), { 'idempotency-key': 'c5' });
    expect(first.status).toBe(500);
    expect(first.headers['transient-error']).toBe('true');
    expect(first.body).toMatchObject({ status: 500, errorType: 'internal' });
    expect(sim.ledger.count('capture')).toBe(1);
    const retry = await post(sim.app, '/v71/payments', payment(), { 'idempotency-key': 'c5' });
    expect(retry.status).toBe(200);
    expect(retry.body.resultCode).toBe('Authorised');
    expect(sim.ledger.count('capture')).toBe(1);
  });

  it('rejects a key longer than 64 characters', async () => {
    sim = buildAdyenSim({ seed: 41 });
    const res = await post(sim.app, '/v71/payments', payment(), { 'idempotency-key': 'x'.repeat(65) });
    expect(res.status).toBe(400);
    expect(sim.ledger.size).toBe(0);
  });
});

describe('Adyen simulator behaviour profile', () => {
  it('answers maintenance, rate limits and bursts in Adyen shape with transient-error', async () => {
    sim = buildAdyenSim({ seed: 42, profile: { maintenance: {} } });
    const down = await post(sim.app, '/v71/payments', payment());
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 503, errorType: 'internal' });
    expect(down.headers['transient-error']).toBe('true');
    await sim.app.inject({ method: 'PUT', url: '/__sim/behaviour', payload: { rateLimit: { rate: 1, retryAfter: '5s' } } });
    const limited = await post(sim.app, '/v71/payments', payment());
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('5');
    await sim.app.inject({ method: 'PUT', url: '/__sim/behaviour', payload: { bursts: { every: '1h', for: '1h', status: 502 } } });
    expect((await post(sim.app, '/v71/payments', payment())).status).toBe(502);
    expect(sim.ledger.size).toBe(0);
  });

  it('serves the ledger as an Adyen-style settlement details CSV', async () => {
    sim = buildAdyenSim({ seed: 42, now: () => new Date('2026-11-11T08:30:00Z') });
    const auth = await post(sim.app, '/v71/payments', payment({ amount: { value: 1234, currency: 'JPY' }, reference: 'ord_jp' }));
    await post(sim.app, `/v71/payments/${auth.body.pspReference}/refunds`, { merchantAccount: 'PaychaosECOM', amount: { value: 234, currency: 'JPY' } });
    const res = await sim.app.inject({ method: 'GET', url: '/__sim/settlement.csv' });
    const [header, settled, refunded] = res.body.trim().split('\r\n');
    expect(header).toBe('Company Account,Merchant Account,Psp Reference,Merchant Reference,Payment Method,Creation Date,TimeZone,Type,Modification Reference,Gross Currency,Gross Debit (GC),Gross Credit (GC),Net Currency,Net Debit (NC),Net Credit (NC),Commission (NC),Batch Number');
    expect(settled).toBe(`PaychaosCompany,PaychaosECOM,${auth.body.pspReference},ord_jp,,2026-11-11 08:30:00,UTC,Settled,${auth.body.pspReference},JPY,,1234,JPY,,1234,0,1`);
    expect(refunded).toMatch(new RegExp(`^PaychaosCompany,PaychaosECOM,${auth.body.pspReference},ord_jp,,2026-11-11 08:30:00,UTC,Refunded,\\d{16},JPY,234,,JPY,234,,0,1$`));
  });
});

describe('Adyen idempotency store outage', () => {
  it('answers a keyed request with 503 errorCode 703 and transient-error, moving no money', async () => {
    sim = buildAdyenSim({ seed: 43, profile: { idempotencyOutage: { rate: 1 } } });
    const res = await post(sim.app, '/v71/payments', payment(), { 'idempotency-key': 'k' });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ errorCode: '703', errorType: 'internal' });
    expect(res.headers['transient-error']).toBe('true');
    expect(sim.ledger.size).toBe(0);
    // A request without a key does not touch the store.
    expect((await post(sim.app, '/v71/payments', payment())).body.resultCode).toBe('Authorised');
  });

  it('asks for a return URL before sending a 3-D Secure card to a redirect', async () => {
    sim = buildAdyenSim({ seed: 43 });
    const res = await post(sim.app, '/v71/payments', payment({ returnUrl: undefined }, { number: '4212345678901237' }));
    expect(res.status).toBe(422);
    expect(res.body.errorCode).toBe('14_030');
  });
});
