import { afterEach, describe, expect, it } from 'vitest';
import { buildStripeSim, type StripeSim } from '../../../../simulators/stripe/index.js';
import { get, post } from './helpers.js';

let sim: StripeSim;
afterEach(async () => sim?.app.close());

async function paid(amount = 1000) {
  sim = buildStripeSim({ seed: 5 });
  const res = await post(sim.app, '/v1/payment_intents', { amount, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: 'ord_r' } });
  return res.body;
}

describe('Stripe refunds', () => {
  it('refunds part, then the rest, and the ledger never refunds more than was captured', async () => {
    const pi = await paid(1000);
    const first = await post(sim.app, '/v1/refunds', { payment_intent: pi.id, amount: 300, reason: 'requested_by_customer' }, { 'idempotency-key': 'r1' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ object: 'refund', amount: 300, status: 'succeeded', payment_intent: pi.id, charge: pi.latest_charge });
    const rest = await post(sim.app, '/v1/refunds', { charge: pi.latest_charge });
    expect(rest.body.amount).toBe(700);
    const again = await post(sim.app, '/v1/refunds', { payment_intent: pi.id, amount: 1 });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('charge_already_refunded');
    expect(sim.ledger.balanceOf(pi.id)).toEqual({ authorized: 1000, captured: 1000, refunded: 1000, voided: 0 });
    expect(sim.ledger.byOrder('ord_r').filter((e) => e.kind === 'refund').map((e) => e.idempotencyKey)).toEqual(['r1', undefined]);
    expect((await get(sim.app, `/v1/charges/${pi.latest_charge}`)).body).toMatchObject({ amount_refunded: 1000, refunded: true });
    expect((await get(sim.app, `/v1/refunds/${first.body.id}`)).body.amount).toBe(300);
  });

  it('refuses a refund larger than what is left', async () => {
    const pi = await paid(1000);
    const res = await post(sim.app, '/v1/refunds', { payment_intent: pi.id, amount: 1001 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'amount_too_large', param: 'amount' });
    expect(sim.ledger.count('refund')).toBe(0);
  });

  it('refuses a refund of a payment that was never captured', async () => {
    sim = buildStripeSim({ seed: 5 });
    const held = await post(sim.app, '/v1/payment_intents', { amount: 100, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
    const res = await post(sim.app, '/v1/refunds', { payment_intent: held.body.id });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('charge_not_refundable');
  });

  it('names the missing parameter and the unknown payment', async () => {
    sim = buildStripeSim({ seed: 5 });
    expect((await post(sim.app, '/v1/refunds', {})).body.error.code).toBe('parameter_missing');
    const unknown = await post(sim.app, '/v1/refunds', { payment_intent: 'pi_nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'resource_missing', param: 'payment_intent' });
    expect((await get(sim.app, '/v1/refunds/re_nope')).status).toBe(404);
  });
});
