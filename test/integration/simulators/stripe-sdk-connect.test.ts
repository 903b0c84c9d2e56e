import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSettlement } from '../../../src/analysis/index.js';
import { startStripeSim, type StartedStripeSim } from '../../../simulators/stripe/index.js';
import { stripeSdkFor } from '../../helpers/stripe-sdk.js';

/** Stripe Connect destination charges through the official SDK: transfers, application fees, refunds that undo them. */
let sim: StartedStripeSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function reportRows(url: string): Promise<Record<string, string>[]> {
  const csv = await (await fetch(`${url}/__sim/settlement.csv?version=2&asOf=2100-01-01T00:00:00Z`)).text();
  const [head, ...lines] = csv.trim().split('\r\n');
  const headers = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [headers[i]!, v])));
}

describe('Stripe Connect destination charges through the official SDK', () => {
  it('transfers the captured amount to the destination and collects the application fee, visible on the charge and listed', async () => {
    sim = await startStripeSim({ seed: 31 });
    const stripe = stripeSdkFor(sim.url);
    const pi = await stripe.paymentIntents.create({ amount: 10_000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, transfer_data: { destination: 'acct_seller1' }, application_fee_amount: 1_230, metadata: { order_id: 'connect-1' } });
    expect(pi.status).toBe('succeeded');
    expect(pi.transfer_data).toEqual({ destination: 'acct_seller1' });
    expect(pi.application_fee_amount).toBe(1_230);
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge.transfer).toMatch(/^tr_/);
    expect(charge.application_fee).toMatch(/^fee_/);
    const transfer = await stripe.transfers.retrieve(charge.transfer as string);
    expect(transfer).toMatchObject({ object: 'transfer', amount: 10_000, currency: 'usd', destination: 'acct_seller1', source_transaction: charge.id, amount_reversed: 0 });
    const fee = await stripe.applicationFees.retrieve(charge.application_fee as string);
    expect(fee).toMatchObject({ object: 'application_fee', amount: 1_230, account: 'acct_seller1', charge: charge.id, amount_refunded: 0 });
    expect((await stripe.transfers.list({ destination: 'acct_seller1' })).data.map((t) => t.id)).toEqual([transfer.id]);
    expect((await stripe.transfers.list({ destination: 'acct_other' })).data).toEqual([]);
    expect((await stripe.applicationFees.list({ charge: charge.id })).data.map((f) => f.id)).toEqual([fee.id]);
    const txn = await stripe.balanceTransactions.retrieve(transfer.balance_transaction as string);
    expect(txn).toMatchObject({ amount: -10_000, reporting_category: 'transfer', source: transfer.id });

    // The split moves money between platform and seller: the shared ledger shows the shopper's payment only.
    expect(sim.ledger.byOrder('connect-1').map((e) => [e.kind, e.amount])).toEqual([['authorization', 10_000], ['capture', 10_000]]);
  });

  it('transfers on a manual capture only, and refuses a capture smaller than the fee', async () => {
    sim = await startStripeSim({ seed: 32 });
    const stripe = stripeSdkFor(sim.url);
    const held = await stripe.paymentIntents.create({ amount: 5_000, currency: 'eur', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual', transfer_data: { destination: 'acct_seller2' }, application_fee_amount: 500 });
    const uncaptured = await stripe.charges.retrieve(held.latest_charge as string);
    expect(uncaptured.transfer).toBeNull();
    expect((await stripe.transfers.list()).data).toEqual([]);
    const tooSmall = await stripe.paymentIntents.capture(held.id, { amount_to_capture: 400 }).catch((e: unknown) => e);
    expect(tooSmall).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooSmall).toMatchObject({ param: 'amount_to_capture' });
    await stripe.paymentIntents.capture(held.id, { amount_to_capture: 4_000 });
    const charge = await stripe.charges.retrieve(held.latest_charge as string);
    expect((await stripe.transfers.retrieve(charge.transfer as string)).amount).toBe(4_000);
  });

  it('refunds: the platform bears a plain refund; reverse_transfer and refund_application_fee take back proportional shares, the last refund the rest', async () => {
    sim = await startStripeSim({ seed: 33 });
    const stripe = stripeSdkFor(sim.url);
    const pi = await stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, transfer_data: { destination: 'acct_seller3' }, application_fee_amount: 101 });
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    await stripe.refunds.create({ payment_intent: pi.id, amount: 100 });
    expect((await stripe.transfers.retrieve(charge.transfer as string)).amount_reversed).toBe(0);
    expect((await stripe.applicationFees.retrieve(charge.application_fee as string)).amount_refunded).toBe(0);

    const partial = await stripe.refunds.create({ payment_intent: pi.id, amount: 300, reverse_transfer: true, refund_application_fee: true });
    expect(partial.transfer_reversal).toMatch(/^trr_/);
    let transfer = await stripe.transfers.retrieve(charge.transfer as string);
    expect(transfer.amount_reversed).toBe(300);
    expect(transfer.reversals.data[0]).toMatchObject({ amount: 300, source_refund: partial.id });
    expect((await stripe.applicationFees.retrieve(charge.application_fee as string)).amount_refunded).toBe(30); // 101 × 300/1000, rounded

    await stripe.refunds.create({ payment_intent: pi.id, reverse_transfer: true, refund_application_fee: true }); // the remaining 600
    transfer = await stripe.transfers.retrieve(charge.transfer as string);
    // Proportional would be 600 of 1000; the charge's last refund takes back all that was left of the transfer.
    expect(transfer).toMatchObject({ amount_reversed: 1_000, reversed: true });
    expect(await stripe.applicationFees.retrieve(charge.application_fee as string)).toMatchObject({ amount_refunded: 101, refunded: true });
  });

  it('answers bad Connect input with Stripe errors naming the param', async () => {
    sim = await startStripeSim({ seed: 34 });
    const stripe = stripeSdkFor(sim.url);
    const cases: Array<[Stripe.PaymentIntentCreateParams, string, string]> = [
      [{ amount: 1_000, currency: 'usd', application_fee_amount: 100 }, 'application_fee_amount', 'parameter_invalid_integer'],
      [{ amount: 1_000, currency: 'usd', transfer_data: { destination: 'acct_x' }, application_fee_amount: 1_001 }, 'application_fee_amount', 'amount_too_large'],
      [{ amount: 1_000, currency: 'usd', transfer_data: { destination: 'seller' } }, 'transfer_data[destination]', 'resource_missing'],
    ];
    for (const [params, param, code] of cases) {
      const err = await stripe.paymentIntents.create(params).catch((e: unknown) => e);
      expect(err, param).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(err).toMatchObject({ statusCode: 400, param, code });
    }
    // A fee equal to the amount is allowed (≤ amount).
    expect((await stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', transfer_data: { destination: 'acct_x' }, application_fee_amount: 1_000 })).application_fee_amount).toBe(1_000);

    const plain = await stripe.paymentIntents.create({ amount: 700, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    for (const flag of ['reverse_transfer', 'refund_application_fee'] as const) {
      const err = await stripe.refunds.create({ payment_intent: plain.id, [flag]: true }).catch((e: unknown) => e);
      expect(err).toMatchObject({ statusCode: 400, param: flag });
    }
    expect(await stripe.transfers.retrieve('tr_missing').catch((e: unknown) => e)).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    // Nothing was refunded by the refused refunds.
    expect(sim.ledger.entries().filter((e) => e.kind === 'refund')).toEqual([]);
  });

  it("puts the split in the settlement report v2 under Stripe's categories, and reconciliation reads them as split movements", async () => {
    sim = await startStripeSim({ seed: 35 });
    const stripe = stripeSdkFor(sim.url);
    const pi = await stripe.paymentIntents.create({ amount: 2_000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, transfer_data: { destination: 'acct_seller5' }, application_fee_amount: 250, metadata: { order_id: 'connect-5' } });
    await stripe.refunds.create({ payment_intent: pi.id, amount: 1_000, reverse_transfer: true, refund_application_fee: true });
    const rows = await reportRows(sim.url);
    expect(rows.map((r) => [r.reporting_category, r.gross, r.payment_intent_id])).toEqual([
      ['charge', '20.00', pi.id],
      ['transfer', '-20.00', pi.id],
      ['platform_earning', '2.50', pi.id],
      ['refund', '-10.00', pi.id],
      ['transfer_reversal', '10.00', pi.id],
      ['platform_earning_refund', '-1.25', pi.id],
    ]);
    // The platform keeps the fee less its refund of what it was paid: charge − transfer + fee, net of the refund.
    const csv = await (await fetch(`${sim.url}/__sim/settlement.csv?version=2&asOf=2100-01-01T00:00:00Z`)).text();
    const records = parseSettlement(csv, 'stripe-v2.csv', 'stripe');
    expect(records.map((r) => [r.kind, r.amount])).toEqual([['capture', 2_000], ['split', 2_000], ['commission', 250], ['refund', 1_000], ['split_reversal', 1_000], ['commission_refund', 125]]);
  });
});
