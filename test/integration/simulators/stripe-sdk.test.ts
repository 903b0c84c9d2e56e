import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { startStripeSim, type StartedStripeSim } from '../../../simulators/stripe/index.js';
import { stripeSdkFor } from '../../helpers/stripe-sdk.js';



/**
 * The official `stripe` package, pointed at the simulator, is the client our users write against:
 * if it works unchanged, so does theirs.
 */
let sim: StartedStripeSim | undefined;
let closeReceiver: (() => Promise<void>) | undefined;
afterEach(async () => {
  await sim?.close();
  await closeReceiver?.();
  sim = undefined;
  closeReceiver = undefined;
});

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });

describe('the official Stripe SDK against the simulator', () => {
  it('creates, confirms and retrieves a PaymentIntent, and reads a decline as a StripeCardError', async () => {
    sim = await startStripeSim({ seed: 21, apiKey: 'sk_test_paychaos' });
    const stripe = stripeSdkFor(sim.url);
    const created = await stripe.paymentIntents.create({ amount: 2500, currency: 'eur', metadata: { order_id: 'sdk-1' } }, { idempotencyKey: 'sdk-create-1' });
    expect(created.status).toBe('requires_payment_method');
    const confirmed = await stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_visa' });
    expect(confirmed.status).toBe('succeeded');
    expect((await stripe.paymentIntents.retrieve(created.id)).amount_received).toBe(2500);
    expect(sim.ledger.byOrder('sdk-1').map((e) => e.kind)).toEqual(['authorization', 'capture']);

    const declined = await stripe.paymentIntents.create({ amount: 100, currency: 'usd', payment_method: 'pm_card_chargeDeclinedInsufficientFunds', confirm: true }).catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'insufficient_funds' });
  });

  it('captures, refunds and cancels through the SDK', async () => {
    sim = await startStripeSim({ seed: 22 });
    const stripe = stripeSdkFor(sim.url);
    const held = await stripe.paymentIntents.create({ amount: 900, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
    expect(held.status).toBe('requires_capture');
    const captured = await stripe.paymentIntents.capture(held.id, { amount_to_capture: 900 });
    expect(captured.status).toBe('succeeded');
    const refund = await stripe.refunds.create({ payment_intent: held.id, amount: 400 });
    expect(refund.status).toBe('succeeded');
    const other = await stripe.paymentIntents.create({ amount: 100, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual' });
    expect((await stripe.paymentIntents.cancel(other.id)).status).toBe('canceled');
    const invalid = await stripe.paymentIntents.create({ amount: 100, currency: 'usd', capture_method: 'whenever' as never }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it('signs webhooks that stripe.webhooks.constructEvent accepts', async () => {
    const secret = 'whsec_sdk_test';
    const events: Stripe.Event[] = [];
    let rejected = 0;
    const verifier = new Stripe('sk_test_paychaos');
    const receiver = createServer(async (req, res) => {
      const body = await readBody(req);
      try {
        events.push(verifier.webhooks.constructEvent(body, String(req.headers['stripe-signature']), secret));
        res.writeHead(200).end();
      } catch {
        rejected++;
        res.writeHead(400).end();
      }
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    closeReceiver = () => new Promise((r) => receiver.close(() => r()));
    const port = (receiver.address() as AddressInfo).port;

    sim = await startStripeSim({ seed: 23, webhookSecret: secret, profile: { webhooks: { url: `http://127.0.0.1:${port}/hooks` } } });
    const stripe = stripeSdkFor(sim.url);
    const pi = await stripe.paymentIntents.create({ amount: 1200, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    await stripe.paymentIntents.create({ amount: 100, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true }).catch(() => undefined);
    await stripe.refunds.create({ payment_intent: pi.id });
    await sim.webhooks.settled();
    expect(rejected).toBe(0);
    // An endpoint with enabled_events ['*'] (the default) hears every event a card merchant subscribes to.
    expect(events.map((e) => e.type).sort()).toEqual([
      'charge.failed',
      'charge.refunded',
      'charge.succeeded',
      'payment_intent.created',
      'payment_intent.created',
      'payment_intent.payment_failed',
      'payment_intent.succeeded',
      'refund.created',
    ]);
    const charge = events.find((e) => e.type === 'charge.succeeded')?.data.object as Stripe.Charge;
    expect(charge).toMatchObject({ payment_intent: pi.id, captured: true, payment_method_details: { card: { brand: 'visa', last4: '4242' } } });
    expect(charge.balance_transaction).toMatch(/^txn_/);
    const succeeded = events.find((e) => e.type === 'payment_intent.succeeded');
    expect((succeeded?.data.object as Stripe.PaymentIntent).id).toBe(pi.id);
  });
});
