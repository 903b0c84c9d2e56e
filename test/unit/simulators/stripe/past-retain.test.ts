import { afterEach, describe, expect, it } from 'vitest';
import { buildStripeSim, type StripeSim } from '../../../../simulators/stripe/index.js';
import { get, post } from './helpers.js';

/**
 * Issue 19: past `retain` a simulator used to forget money state — a refund of an old payment
 * answered resource_missing, a replay of an old key charged again. With `retain: 3` every store
 * spills within a handful of payments, so the first payment is read back from disk below.
 */
let sim: StripeSim;
afterEach(async () => sim?.app.close());

const RETAIN = 3;
const pay = (order: string, key: string) =>
  post(sim.app, '/v1/payment_intents', { amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: order } }, { 'idempotency-key': key });

async function payMany(from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) expect((await pay(`ord_${i}`, `key_${i}`)).status).toBe(200);
}

describe('Stripe past retain', () => {
  it('finds, refunds and expands a payment made long after it left the cache', async () => {
    sim = buildStripeSim({ seed: 11, retain: RETAIN });
    const first = (await pay('ord_old', 'key_old')).body;
    await payMany(0, 4 * RETAIN);
    const found = await get(sim.app, `/v1/payment_intents/${first.id}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: first.id, status: 'succeeded', amount_received: 1000, latest_charge: first.latest_charge });
    expect((await get(sim.app, `/v1/charges/${first.latest_charge}`)).body).toMatchObject({ id: first.latest_charge, amount_captured: 1000 });

    await payMany(100, 4 * RETAIN);
    const refund = await post(sim.app, '/v1/refunds', { payment_intent: first.id, amount: 400 }, { 'idempotency-key': 'refund_old' });
    expect(refund.status).toBe(200);
    expect(refund.body).toMatchObject({ amount: 400, payment_intent: first.id, charge: first.latest_charge });
    await payMany(200, 4 * RETAIN);
    // The charge's refunded amount was spilled with it, so the second refund sees the first.
    const tooMuch = await post(sim.app, '/v1/refunds', { payment_intent: first.id, amount: 601 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.code).toBe('amount_too_large');
    expect((await get(sim.app, `/v1/refunds/${refund.body.id}`)).body).toMatchObject({ id: refund.body.id, amount: 400 });
    expect(sim.ledger.balanceOf(first.id)).toEqual({ authorized: 1000, captured: 1000, refunded: 400, voided: 0 });
  });

  it('answers a replay of a key used long ago with the stored response and charges nothing', async () => {
    sim = buildStripeSim({ seed: 11, retain: RETAIN });
    const first = await pay('ord_old', 'key_old');
    await payMany(0, 4 * RETAIN);
    const captures = sim.ledger.count('capture');
    const replay = await pay('ord_old', 'key_old');
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(sim.ledger.count('capture')).toBe(captures);
    // No order is charged twice, however far back its key lies.
    expect(sim.ledger.byOrder('ord_old').filter((e) => e.kind === 'capture')).toHaveLength(1);
  });

  it('captures and cancels payments that left the cache while held', async () => {
    sim = buildStripeSim({ seed: 11, retain: RETAIN });
    const held = async (order: string) =>
      (await post(sim.app, '/v1/payment_intents', { amount: 500, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual', metadata: { order_id: order } })).body;
    const toCapture = await held('ord_cap');
    const toCancel = await held('ord_can');
    await payMany(0, 4 * RETAIN);
    const captured = await post(sim.app, `/v1/payment_intents/${toCapture.id}/capture`, {});
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({ status: 'succeeded', amount_received: 500 });
    const canceled = await post(sim.app, `/v1/payment_intents/${toCancel.id}/cancel`, {});
    expect(canceled.status).toBe(200);
    expect(canceled.body.status).toBe('canceled');
    await payMany(100, 4 * RETAIN);
    // A second capture of the now-captured intent is refused: its new state was spilled, not lost.
    expect((await post(sim.app, `/v1/payment_intents/${toCapture.id}/capture`, {})).status).toBe(400);
    expect(sim.ledger.balanceOf(toCapture.id).captured).toBe(500);
  });

  it("finds a payment long out of the cache by a search for its order id, as the gateway's recovery asks after a lost answer", async () => {
    sim = buildStripeSim({ seed: 13, retain: RETAIN });
    const first = (await pay('ord_lost_answer', 'key_lost_answer')).body;
    await payMany(0, 4 * RETAIN);
    const search = (query: string) => get(sim.app, `/v1/payment_intents/search?query=${encodeURIComponent(query)}`);
    const found = await search("metadata['order_id']:'ord_lost_answer'");
    expect(found.status).toBe(200);
    expect(found.body.data.map((i: { id: string }) => i.id)).toEqual([first.id]);
    expect(found.body.data[0]).toMatchObject({ status: 'succeeded', amount_received: 1000 });
    // The other clauses still apply to it, and an order never paid stays absent.
    expect((await search("metadata['order_id']:'ord_lost_answer' AND status:'canceled'")).body.data).toEqual([]);
    expect((await search("metadata['order_id']:'ord_never'")).body.data).toEqual([]);
    // An order id given later by an update is found too, once the intent has left the cache.
    const later = (await post(sim.app, '/v1/payment_intents', { amount: 700, currency: 'usd' }, { 'idempotency-key': 'key_later' })).body;
    expect((await post(sim.app, `/v1/payment_intents/${later.id}`, { metadata: { order_id: 'ord_named_later' } })).status).toBe(200);
    await payMany(100, 4 * RETAIN);
    expect((await search("metadata['order_id']:'ord_named_later'")).body.data.map((i: { id: string }) => i.id)).toEqual([later.id]);
  });
});
