import { afterEach, describe, expect, it } from 'vitest';
import { buildAdyenSim, type AdyenSim } from '../../../../simulators/adyen/index.js';
import { payment, post } from './helpers.js';

/**
 * Issue 19: past `retain` the simulator used to forget payments (a modification of an old one
 * answered 422 "Original pspReference required", a replayed key charged again). With `retain: 3`
 * the first payment is read back from disk below.
 */
let sim: AdyenSim;
afterEach(async () => sim?.app.close());

const RETAIN = 3;
const MA = { merchantAccount: 'PaychaosECOM' };

async function payMany(from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) expect((await post(sim.app, '/v71/payments', payment({ reference: `ord_${i}` }), { 'idempotency-key': `key_${i}` })).body.resultCode).toBe('Authorised');
}

describe('Adyen past retain', () => {
  it('refunds an old payment and never beyond what it captured', async () => {
    sim = buildAdyenSim({ seed: 33, retain: RETAIN });
    const psp = (await post(sim.app, '/v71/payments', payment({ reference: 'ord_old' }))).body.pspReference;
    await payMany(0, 4 * RETAIN);
    expect((await post(sim.app, `/v71/payments/${psp}/refunds`, { ...MA, amount: { value: 400, currency: 'EUR' } })).status).toBe(201);
    await payMany(100, 4 * RETAIN);
    // The refunded amount was spilled with the payment: a second refund sees the first.
    await post(sim.app, `/v71/payments/${psp}/refunds`, { ...MA, amount: { value: 700, currency: 'EUR' } });
    await sim.webhooks.settled();
    expect(sim.ledger.balanceOf(psp)).toMatchObject({ captured: 1000, refunded: 400 });
  });

  it('captures and cancels held payments that left the cache, by pspReference and by merchant reference', async () => {
    sim = buildAdyenSim({ seed: 33, retain: RETAIN });
    const held = async (reference: string) => (await post(sim.app, '/v71/payments', payment({ reference, additionalData: { manualCapture: 'true' } }))).body.pspReference as string;
    const toCapture = await held('ord_cap');
    const toCancel = await held('ord_can');
    await payMany(0, 4 * RETAIN);
    expect((await post(sim.app, `/v71/payments/${toCapture}/captures`, { ...MA, amount: { value: 1000, currency: 'EUR' } })).status).toBe(201);
    expect((await post(sim.app, '/v71/cancels', { ...MA, paymentReference: 'ord_can', reference: 'cancel-1' })).status).toBe(201);
    await sim.webhooks.settled();
    expect(sim.ledger.balanceOf(toCapture).captured).toBe(1000);
    expect(sim.ledger.balanceOf(toCancel).voided).toBe(1000);
  });

  it('answers a replay of a key used long ago with the stored response and charges nothing', async () => {
    sim = buildAdyenSim({ seed: 33, retain: RETAIN });
    const first = await post(sim.app, '/v71/payments', payment({ reference: 'ord_old' }), { 'idempotency-key': 'key_old' });
    await payMany(0, 4 * RETAIN);
    const replay = await post(sim.app, '/v71/payments', payment({ reference: 'ord_old' }), { 'idempotency-key': 'key_old' });
    expect(replay.status).toBe(first.status);
    expect(replay.body).toEqual(first.body);
    expect(sim.ledger.byOrder('ord_old').filter((e) => e.kind === 'authorization')).toHaveLength(1);
  });
});
