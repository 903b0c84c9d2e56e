import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { startStripeSim, type StartedStripeSim } from '../../../simulators/stripe/index.js';
import { stripeSdkFor } from '../../helpers/stripe-sdk.js';

/**
 * What a merchant integration written from Stripe's docs calls beyond a one-off payment, driven
 * through the official `stripe` package (23.1.0): saved customers and cards, lists with
 * auto-pagination, search, expand, incremental authorisation, refund updates, minimum amounts,
 * and API versions. The ledger is the judge of what moved.
 */
let sim: StartedStripeSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('the Stripe SDK: saved customers and cards', () => {
  it('creates a customer, attaches a card, charges it off-session, and lists and detaches it', async () => {
    sim = await startStripeSim({ seed: 301 });
    const stripe = stripeSdkFor(sim.url);
    const customer = await stripe.customers.create({ email: 'ada@example.com', name: 'Ada', metadata: { shopper: 's-1' } });
    expect(customer).toMatchObject({ object: 'customer', email: 'ada@example.com', name: 'Ada' });
    expect(customer.id).toMatch(/^cus_/);

    // Attaching a test id creates a new PaymentMethod for the customer, as Stripe does.
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    expect(pm.id).not.toBe('pm_card_visa');
    expect(pm).toMatchObject({ customer: customer.id, type: 'card', card: { brand: 'visa', last4: '4242' } });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ invoice_settings: { default_payment_method: pm.id } });

    const saved = await stripe.customers.listPaymentMethods(customer.id, { type: 'card' });
    expect(saved.data.map((p) => p.id)).toEqual([pm.id]);

    const charged = await stripe.paymentIntents.create({ amount: 1999, currency: 'eur', customer: customer.id, payment_method: pm.id, off_session: true, confirm: true, metadata: { order_id: 'saved-1' } });
    expect(charged).toMatchObject({ status: 'succeeded', customer: customer.id, payment_method: pm.id });
    expect(sim.ledger.byOrder('saved-1').map((e) => e.kind)).toEqual(['authorization', 'capture']);

    const detached = await stripe.paymentMethods.detach(pm.id);
    expect(detached.customer).toBeNull();
    expect((await stripe.customers.listPaymentMethods(customer.id)).data).toEqual([]);
    // A detached PaymentMethod cannot be used again.
    const reuse = await stripe.paymentIntents.create({ amount: 500, currency: 'eur', payment_method: pm.id, confirm: true }).catch((e: unknown) => e);
    expect(reuse).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(reuse).toMatchObject({ param: 'payment_method' });
  });

  it('saves the card of a paid PaymentIntent with setup_future_usage, creates PaymentMethods from test tokens, and deletes customers', async () => {
    sim = await startStripeSim({ seed: 302 });
    const stripe = stripeSdkFor(sim.url);
    const customer = await stripe.customers.create({ email: 'grace@example.com' });
    const pi = await stripe.paymentIntents.create({ amount: 800, currency: 'usd', customer: customer.id, payment_method: 'pm_card_mastercard', setup_future_usage: 'off_session', confirm: true });
    expect(pi.status).toBe('succeeded');
    const saved = await stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
    expect(saved.data).toHaveLength(1);
    expect(saved.data[0]).toMatchObject({ id: pi.payment_method, card: { brand: 'mastercard', last4: '4444' } });

    const fromToken = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_chargeDeclined' } });
    expect(fromToken.card?.last4).toBe('0002');
    const declined = await stripe.paymentIntents.create({ amount: 800, currency: 'usd', payment_method: fromToken.id, confirm: true }).catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    const raw = await stripe.paymentMethods.create({ type: 'card', card: { number: '4242424242424242', exp_month: 12, exp_year: 2040, cvc: '123' } }).catch((e: unknown) => e);
    expect(raw).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const badToken = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_nope' } }).catch((e: unknown) => e);
    expect(badToken).toMatchObject({ code: 'resource_missing', param: 'card[token]' });

    const deleted = await stripe.customers.del(customer.id);
    expect(deleted).toMatchObject({ id: customer.id, deleted: true });
    expect(await stripe.customers.retrieve(customer.id)).toMatchObject({ deleted: true });
    const unknownCustomer = await stripe.paymentIntents.create({ amount: 800, currency: 'usd', customer: 'cus_nobody' }).catch((e: unknown) => e);
    expect(unknownCustomer).toMatchObject({ code: 'resource_missing', param: 'customer' });
  });
});

describe('the Stripe SDK: lists, search and expand', () => {
  it('lists newest first with limit and cursors, and auto-pagination reaches every object', async () => {
    sim = await startStripeSim({ seed: 303 });
    const stripe = stripeSdkFor(sim.url);
    const ids: string[] = [];
    for (let n = 0; n < 7; n++) ids.push((await stripe.paymentIntents.create({ amount: 1000 + n, currency: 'usd', payment_method: 'pm_card_visa', confirm: true })).id);
    const first = await stripe.paymentIntents.list({ limit: 3 });
    expect(first).toMatchObject({ object: 'list', has_more: true, url: '/v1/payment_intents' });
    expect(first.data.map((p) => p.id)).toEqual(ids.slice(-3).reverse());
    const seen: string[] = [];
    for await (const p of stripe.paymentIntents.list({ limit: 2 })) seen.push(p.id);
    expect(seen).toEqual([...ids].reverse());

    const charges = await stripe.charges.list({ payment_intent: ids[2]!, limit: 10 });
    expect(charges.data).toHaveLength(1);
    expect(charges.data[0]).toMatchObject({ payment_intent: ids[2], amount: 1002 });
    await stripe.refunds.create({ payment_intent: ids[2]!, amount: 2 });
    const refunds = await stripe.refunds.list({ payment_intent: ids[2]! });
    expect(refunds.data.map((r) => r.amount)).toEqual([2]);
    const none = await stripe.refunds.list({ payment_intent: ids[3]! });
    expect(none.data).toEqual([]);
    const badLimit = await stripe.charges.list({ limit: 1000 }).catch((e: unknown) => e);
    expect(badLimit).toMatchObject({ param: 'limit' });
  });

  it('searches charges and PaymentIntents with Stripe query language (and /charges/search is not a charge id)', async () => {
    sim = await startStripeSim({ seed: 304 });
    const stripe = stripeSdkFor(sim.url);
    const a = await stripe.paymentIntents.create({ amount: 5000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: 'A-1' } });
    await stripe.paymentIntents.create({ amount: 700, currency: 'eur', payment_method: 'pm_card_visa', confirm: true, metadata: { order_id: 'B-2' } });
    await stripe.paymentIntents.create({ amount: 900, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true, metadata: { order_id: 'C-3' } }).catch(() => undefined);

    const byOrder = await stripe.charges.search({ query: "metadata['order_id']:'A-1'" });
    expect(byOrder).toMatchObject({ object: 'search_result', has_more: false, next_page: null });
    expect(byOrder.data.map((c) => c.payment_intent)).toEqual([a.id]);
    const failedUsd = await stripe.charges.search({ query: "status:'failed' AND currency:'usd'" });
    expect(failedUsd.data.map((c) => c.metadata.order_id)).toEqual(['C-3']);
    const big = await stripe.paymentIntents.search({ query: 'amount>1000 OR currency:"eur"' });
    expect(big.data.map((p) => p.metadata.order_id).sort()).toEqual(['A-1', 'B-2']);
    const paged = await stripe.paymentIntents.search({ query: 'amount>0', limit: 2 });
    expect(paged.has_more).toBe(true);
    const next = await stripe.paymentIntents.search({ query: 'amount>0', limit: 2, page: paged.next_page! });
    expect(next.data).toHaveLength(1);
    const bad = await stripe.charges.search({ query: "colour:'red'" }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(bad).toMatchObject({ param: 'query' });
  });

  it('expands latest_charge, its balance transaction and the payment method, and refuses what cannot be expanded before charging', async () => {
    sim = await startStripeSim({ seed: 305 });
    const stripe = stripeSdkFor(sim.url);
    const pi = await stripe.paymentIntents.create({ amount: 2500, currency: 'gbp', payment_method: 'pm_card_visa', confirm: true, expand: ['latest_charge.balance_transaction', 'payment_method'] });
    const charge = pi.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ object: 'charge', amount: 2500, payment_method_details: { card: { brand: 'visa', last4: '4242' } } });
    // The charge's balance transaction: the processing fee deducted (net = amount − fee), itemised
    // as one stripe_fee — as Stripe's balance transaction object shows a charge.
    const txn = charge.balance_transaction as Stripe.BalanceTransaction;
    expect(txn).toMatchObject({ object: 'balance_transaction', amount: 2500, type: 'charge', source: charge.id });
    expect(txn.fee).toBeGreaterThan(0);
    expect(txn.net).toBe(2500 - txn.fee);
    expect(txn.fee_details).toEqual([{ amount: txn.fee, application: null, currency: 'gbp', description: 'Stripe processing fees', type: 'stripe_fee' }]);
    expect(pi.payment_method).toMatchObject({ object: 'payment_method', card: { last4: '4242' } });
    const retrieved = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expect((retrieved.latest_charge as Stripe.Charge).id).toBe(charge.id);
    const listed = await stripe.charges.list({ expand: ['data.balance_transaction'] });
    expect((listed.data[0]!.balance_transaction as Stripe.BalanceTransaction).id).toMatch(/^txn_/);
    // The settlement report lists the same balance transaction id.
    const csv = await (await fetch(`${sim.url}/__sim/settlement.csv`)).text();
    expect(csv).toContain((charge.balance_transaction as Stripe.BalanceTransaction).id);
    // …and the v2 report (the fees) charges the same fee the API's balance transaction states.
    const report = (await (await fetch(`${sim.url}/__sim/settlement.csv?version=2&asOf=2100-01-01T00:00:00Z`)).text()).trim().split('\n');
    const header = report[0]!.split(',');
    const row = report.slice(1).map((l) => l.split(',')).find((r) => r[header.indexOf('balance_transaction_id')] === txn.id)!;
    expect(Math.round(Number(row[header.indexOf('fee')]) * 100)).toBe(txn.fee);

    const before = sim.ledger.size;
    const bad = await stripe.paymentIntents.create({ amount: 2500, currency: 'gbp', payment_method: 'pm_card_visa', confirm: true, expand: ['amount'] }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(sim.ledger.size).toBe(before);
  });
});

describe('the Stripe SDK: authorisations, refunds and amounts', () => {
  it('increments a held authorisation, captures the new total, and refuses an ineligible one', async () => {
    sim = await startStripeSim({ seed: 306 });
    const stripe = stripeSdkFor(sim.url);
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
      payment_method_options: { card: { request_incremental_authorization: 'if_available' } },
      metadata: { order_id: 'hotel-1' },
    });
    const raised = await stripe.paymentIntents.incrementAuthorization(pi.id, { amount: 1500 });
    expect(raised).toMatchObject({ amount: 1500, amount_capturable: 1500, status: 'requires_capture' });
    const captured = await stripe.paymentIntents.capture(pi.id);
    expect(captured.amount_received).toBe(1500);
    expect(sim.ledger.balanceOf(pi.id)).toEqual({ authorized: 1500, captured: 1500, refunded: 0, voided: 0 });

    const plain = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
    const refused = await stripe.paymentIntents.incrementAuthorization(plain.id, { amount: 2000 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(sim.ledger.balanceOf(plain.id).authorized).toBe(1000);
  });

  it('updates a refund\'s metadata, refuses to cancel a succeeded refund, and refuses amounts under the currency minimum', async () => {
    sim = await startStripeSim({ seed: 307 });
    const stripe = stripeSdkFor(sim.url);
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    const refund = await stripe.refunds.create({ payment_intent: pi.id, amount: 300 });
    expect(refund.balance_transaction).toMatch(/^txn_/);
    const updated = await stripe.refunds.update(refund.id, { metadata: { ticket: 'T-9' } });
    expect(updated.metadata).toEqual({ ticket: 'T-9' });
    const cancel = await stripe.refunds.cancel(refund.id).catch((e: unknown) => e);
    expect(cancel).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(sim.ledger.balanceOf(pi.id).refunded).toBe(300);

    const small = await stripe.paymentIntents.create({ amount: 49, currency: 'usd' }).catch((e: unknown) => e);
    expect(small).toMatchObject({ code: 'amount_too_small', param: 'amount' });
    const gbp = await stripe.paymentIntents.create({ amount: 30, currency: 'gbp' });
    expect(gbp.amount).toBe(30);
  });
});

describe('the Stripe SDK: API versions', () => {
  it('answers in the version the client pins, and renders the pre-2022-11-15 charges list for an old version', async () => {
    sim = await startStripeSim({ seed: 308 });
    const pinned = stripeSdkFor(sim.url);
    const res = await pinned.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    expect(res.lastResponse.apiVersion).toBe(Stripe.API_VERSION);
    expect((res as unknown as Record<string, unknown>).charges).toBeUndefined();

    const old = stripeSdkFor(sim.url, '2020-08-27');
    const legacy = (await old.paymentIntents.retrieve(res.id)) as unknown as { charges: { object: string; data: Array<{ id: string; refunds: { data: unknown[] } }> }; lastResponse: { apiVersion: string } };
    expect(legacy.lastResponse.apiVersion).toBe('2020-08-27');
    expect(legacy.charges.object).toBe('list');
    expect(legacy.charges.data.map((c) => c.id)).toEqual([res.latest_charge]);
    expect(legacy.charges.data[0]!.refunds.data).toEqual([]);
    const bad = await fetch(`${sim.url}/v1/payment_intents/${res.id}`, { headers: { 'stripe-version': 'yesterday' } });
    expect(bad.status).toBe(400);
  });
});

describe('what the Stripe simulator does not simulate', () => {
  it('answers not-simulated resources and unknown URLs in Stripe\'s error shape', async () => {
    sim = await startStripeSim({ seed: 309 });
    const stripe = stripeSdkFor(sim.url);
    const sub = await stripe.subscriptions.list().catch((e: unknown) => e);
    expect(sub).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((sub as Error).message).toMatch(/does not simulate Billing/);
    const res = await fetch(`${sim.url}/v1/nothing_here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringMatching(/^Unrecognized request URL/) } });
  });
});
