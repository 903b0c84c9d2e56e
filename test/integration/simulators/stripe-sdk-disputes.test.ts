import { afterEach, describe, expect, it } from 'vitest';
import { startStripeSim, type StartedStripeSim } from '../../../simulators/stripe/index.js';
import { stripeSdkFor } from '../../helpers/stripe-sdk.js';

/**
 * A dispute read through the official `stripe` package: Stripe debits the disputed amount and its
 * dispute fee as one balance transaction on the dispute (fee 15.00, fee_details one `stripe_fee`
 * "Dispute fee"), and a won dispute adds a second one that reinstates both
 * (docs.stripe.com/api/disputes/object; support.stripe.com/questions/dispute-fees-faq).
 */
let sim: StartedStripeSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function disputeOf(url: string, paymentId: string): Promise<string> {
  const res = await fetch(`${url}/__sim/disputes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paymentId, reason: 'fraudulent', outcome: 'open' }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('a Stripe dispute read with the official SDK', () => {
  it('withdraws the amount plus the 15.00 dispute fee in one balance transaction, and a won dispute reinstates both in a second', async () => {
    sim = await startStripeSim({ seed: 31 });
    const stripe = stripeSdkFor(sim.url);
    const pi = await stripe.paymentIntents.create({ amount: 4000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: 'sdk-dp-1' } });
    const id = await disputeOf(sim.url, pi.id);

    const opened = await stripe.disputes.retrieve(id);
    expect(opened.status).toBe('needs_response');
    expect(opened.balance_transactions).toHaveLength(1);
    const withdrawal = opened.balance_transactions[0]!;
    expect(withdrawal).toMatchObject({ amount: -4000, fee: 1500, net: -5500, type: 'adjustment', reporting_category: 'dispute', currency: 'usd' });
    expect(withdrawal.fee_details).toEqual([{ amount: 1500, application: null, currency: 'usd', description: 'Dispute fee', type: 'stripe_fee' }]);

    const won = await stripe.disputes.update(id, { evidence: { uncategorized_text: 'winning_evidence' } });
    expect(won.status).toBe('won');
    const closed = await stripe.disputes.retrieve(id);
    expect(closed.balance_transactions).toHaveLength(2);
    const reinstated = closed.balance_transactions[1]!;
    expect(reinstated).toMatchObject({ amount: 4000, fee: -1500, net: 5500, type: 'adjustment', reporting_category: 'dispute_reversal' });
    expect(reinstated.fee_details).toEqual([{ amount: -1500, application: null, currency: 'usd', description: 'Dispute fee', type: 'stripe_fee' }]);
    // The object states what the settlement report charges: the same fee on the same movements.
    const csv = await (await fetch(`${sim.url}/__sim/settlement.csv?version=2&asOf=2100-01-01T00:00:00Z`)).text();
    expect(csv).toMatch(/,-40\.00,15\.00,-55\.00,dispute,/);
    expect(csv).toMatch(/,40\.00,-15\.00,55\.00,dispute_reversal,/);
  });

  it('a lost dispute keeps its one withdrawal, fee included; a zero-decimal currency takes the fee in whole units', async () => {
    sim = await startStripeSim({ seed: 32 });
    const stripe = stripeSdkFor(sim.url);
    const pi = await stripe.paymentIntents.create({ amount: 5000, currency: 'jpy', payment_method: 'pm_card_visa', confirm: true });
    const id = await disputeOf(sim.url, pi.id);
    const lost = await stripe.disputes.close(id);
    expect(lost.status).toBe('lost');
    const read = await stripe.disputes.retrieve(id);
    expect(read.balance_transactions.map((t) => [t.amount, t.fee, t.net])).toEqual([[-5000, 15, -5015]]);
  });
});
