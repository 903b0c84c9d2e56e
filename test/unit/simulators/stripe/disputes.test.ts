import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayStore, VERIFIERS } from '../../../../gateway/index.js';
import { applyWebhookEvent } from '../../../../gateway/webhook-apply.js';
import { buildStripeSim, type StripeSim } from '../../../../simulators/stripe/index.js';
import { get, post } from './helpers.js';

let sim: StripeSim | undefined;
afterEach(async () => sim?.app.close());

/** A simulator whose webhooks are captured in memory, bodies as sent. */
function capturing(profile: Record<string, unknown> = {}) {
  const bodies: string[] = [];
  sim = buildStripeSim({
    seed: 7,
    profile: { webhooks: { url: 'http://127.0.0.1:9/hooks' }, ...profile },
    transport: async (_url, body) => {
      bodies.push(body);
      return { status: 200, body: '' };
    },
  });
  return { sim, bodies, types: () => bodies.map((b) => JSON.parse(b).type as string) };
}

const pay = async (s: StripeSim, orderId = 'ord_d') => (await post(s.app, '/v1/payment_intents', { amount: 2000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: orderId } })).body;
const openDispute = async (s: StripeSim, body: Record<string, unknown>) => {
  const res = await s.app.inject({ method: 'POST', url: '/__sim/disputes', payload: body });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
};

describe('Stripe disputes', () => {
  it('withdraws the disputed amount at once, takes evidence, and a won dispute gives it back (test-mode winning_evidence)', async () => {
    const { sim: s, types } = capturing();
    const pi = await pay(s);
    const opened = await openDispute(s, { paymentId: pi.id, reason: 'fraudulent', outcome: 'open' });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ object: 'dispute', amount: 2000, charge: pi.latest_charge, payment_intent: pi.id, reason: 'fraudulent', status: 'needs_response' });
    expect(opened.body.balance_transactions).toEqual([expect.objectContaining({ amount: -2000, type: 'adjustment', reporting_category: 'dispute' })]);
    expect((await get(s.app, `/v1/charges/${pi.latest_charge}`)).body.disputed).toBe(true);
    expect(s.ledger.entries().filter((e) => e.kind === 'chargeback').map((e) => [e.amount, e.reference])).toEqual([[2000, opened.body.id]]);

    const staged = await post(s.app, `/v1/disputes/${opened.body.id}`, { evidence: { customer_name: 'A. Shopper' }, submit: 'false' });
    expect(staged.body).toMatchObject({ status: 'needs_response', evidence: { customer_name: 'A. Shopper' }, evidence_details: { submission_count: 0 } });
    const unknown = await post(s.app, `/v1/disputes/${opened.body.id}`, { evidence: { alibi: 'x' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'parameter_unknown', param: 'evidence[alibi]' });

    const won = await post(s.app, `/v1/disputes/${opened.body.id}`, { evidence: { uncategorized_text: 'winning_evidence' } }, { 'idempotency-key': 'ev-1' });
    expect(won.status).toBe(200);
    await s.webhooks.settled();
    expect((await get(s.app, `/v1/disputes/${opened.body.id}`)).body).toMatchObject({ status: 'won', evidence_details: { has_evidence: true, submission_count: 1 } });
    expect(s.ledger.entries().filter((e) => e.kind === 'chargeback_reversal').map((e) => e.amount)).toEqual([2000]);
    expect(types().filter((t) => t.startsWith('charge.dispute.'))).toEqual(['charge.dispute.created', 'charge.dispute.funds_withdrawn', 'charge.dispute.updated', 'charge.dispute.updated', 'charge.dispute.funds_reinstated', 'charge.dispute.closed']);
    // Closed: no more evidence.
    expect((await post(s.app, `/v1/disputes/${opened.body.id}`, { evidence: { customer_name: 'B' } })).body.error.code).toBe('dispute_already_closed');
    // The settlement report lists the withdrawal and the reinstatement in Stripe's categories.
    const csv = (await s.app.inject({ method: 'GET', url: '/__sim/settlement.csv?version=2&asOf=2100-01-01T00:00:00Z' })).body;
    // The 15.00 dispute fee with the withdrawal, given back with the reinstatement.
    expect(csv).toMatch(/,-20\.00,15\.00,-35\.00,dispute,dp_/);
    expect(csv).toMatch(/,20\.00,-15\.00,35\.00,dispute_reversal,dp_/);
  });

  it('a closed (accepted) dispute is lost, and its money stays withdrawn', async () => {
    const { sim: s } = capturing();
    const pi = await pay(s);
    const opened = await openDispute(s, { paymentId: pi.latest_charge, amount: 500, outcome: 'open' });
    const closed = await post(s.app, `/v1/disputes/${opened.body.id}/close`);
    expect(closed.body.status).toBe('lost');
    expect(s.ledger.balanceOf(pi.id)).toMatchObject({ captured: 2000 });
    expect(s.ledger.entries().map((e) => e.kind)).toEqual(['authorization', 'capture', 'chargeback']);
    expect((await get(s.app, `/v1/disputes?payment_intent=${pi.id}`)).body.data.map((d: { id: string }) => d.id)).toEqual([opened.body.id]);
  });

  it('refuses a dispute naming no captured payment, more than captured, a second one, or a bad field — each with PAYCHAOS_ERR_SIM_BAD_DISPUTE and the field', async () => {
    const { sim: s } = capturing();
    const pi = await pay(s);
    expect((await openDispute(s, { paymentId: 'pi_nope' })).body.error).toMatchObject({ code: 'PAYCHAOS_ERR_SIM_BAD_DISPUTE', field: 'paymentId' });
    expect((await openDispute(s, { paymentId: pi.id, amount: 2001 })).body.error).toMatchObject({ code: 'PAYCHAOS_ERR_SIM_BAD_DISPUTE', field: 'amount' });
    expect((await openDispute(s, { paymentId: pi.id, outcome: 'maybe' })).body.error).toMatchObject({ code: 'PAYCHAOS_ERR_SIM_BAD_DISPUTE', field: 'outcome' });
    expect((await openDispute(s, { paymentId: pi.id })).status).toBe(201);
    const again = await openDispute(s, { paymentId: pi.id });
    expect(again.status).toBe(409);
  });

  it('the behaviour profile disputes a share of captured payments, and the gateway books each from the notifications alone', async () => {
    const { sim: s, bodies } = capturing({ disputes: { rate: 1, outcome: 'lost', reason: 'product_not_received' } });
    const store = new GatewayStore();
    for (const [i, outcome] of [[0, 'lost'], [1, 'won']] as const) {
      s.behaviour.apply({ webhooks: { url: 'http://127.0.0.1:9/hooks' }, disputes: { rate: 1, outcome, reason: 'product_not_received' } });
      const orderId = `ord_${i}`;
      store.keys.claim(`k${i}`, 'f', store.boot, store.now(), 90_000);
      store.createPayment(`k${i}`, { paymentId: `pay_${i}`, orderId, amount: 2000, currency: 'usd', paymentMethod: 'pm_card_visa', provider: 'stripe', providerKey: `gw-${i}`, providerReference: orderId, variant: 'baseline' });
      const pi = await pay(s, orderId);
      store.settlePayment(`pay_${i}`, { status: 'succeeded', providerPaymentId: pi.id, httpStatus: 201 });
      await new Promise((r) => setImmediate(r));
    }
    await s.webhooks.settled();
    // Every notification, signed as Stripe signs them, through the gateway's own verifier; twice, as providers redeliver.
    for (const body of [...bodies, ...bodies]) {
      const t = Math.floor(Date.now() / 1000);
      const sig = createHmac('sha256', s.webhookSecret).update(`${t}.${body}`).digest('hex');
      const result = VERIFIERS.stripe!({ 'stripe-signature': `t=${t},v1=${sig}` }, body, { webhookSecret: s.webhookSecret });
      if (!result.ok) throw new Error(result.reason);
      for (const event of result.events) applyWebhookEvent(store, event);
    }
    const books = store.ledger.exportEntries().filter((e) => e.kind.startsWith('chargeback'));
    expect(books.map((e) => [e.orderId, e.kind, e.amount])).toEqual([['ord_0', 'chargeback', 2000], ['ord_1', 'chargeback', 2000], ['ord_1', 'chargeback_reversal', 2000]]);
    expect(store.disputes.forPayment('pay_0').map((d) => [d.status, d.amount, d.reason])).toEqual([['lost', 2000, 'product_not_received']]);
    expect(store.disputes.forPayment('pay_1').map((d) => d.status)).toEqual(['won']);
    expect(store.ledger.unbalancedEntries()).toEqual([]);
    store.close();
  });
});
