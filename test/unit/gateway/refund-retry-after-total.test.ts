import { describe, expect, it, onTestFinished } from 'vitest';
import { buildGateway } from '../../../gateway/index.js';
import { applyWebhookEvent } from '../../../gateway/webhook-apply.js';
import { fakeProvider } from './fake-provider.js';

/**
 * A refund whose answer was lost (Stripe committed it, the gateway saw a 500), then Stripe's
 * charge.refunded total books it unnamed, then the shopper retries it under its key: the retry
 * must reach Stripe (which replays the refund made) and be answered succeeded, booked once — not
 * refused as "more than still refundable" because the total already counted this very refund.
 */
describe('a refund retried after a running total booked it', () => {
  it('is sent again under its key, answered succeeded, and booked once', async () => {
    let refunds = 0;
    const stripe = await fakeProvider((call) => {
      if (call.url.startsWith('/v1/payment_intents')) return { status: 200, body: JSON.stringify({ id: 'pi_1', object: 'payment_intent', status: 'succeeded', amount: 1000, amount_received: 1000, currency: 'eur', metadata: { order_id: 'ord_r' } }) };
      if (call.url === '/v1/refunds') {
        refunds++;
        // Committed, then 500 the first time; the retry under the same key gets the refund.
        return refunds === 1 ? { status: 500, body: JSON.stringify({ error: { type: 'api_error', message: 'An unknown error occurred' } }) } : { status: 200, body: JSON.stringify({ id: 're_1', object: 'refund', status: 'succeeded', amount: 1000, payment_intent: 'pi_1' }) };
      }
      return { status: 404, body: '{}' };
    });
    onTestFinished(() => stripe.close());
    const gw = buildGateway({ providers: { stripe: { url: stripe.url } }, recovery: { intervalMs: 3_600_000 } });
    onTestFinished(() => gw.close());
    const paid = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': 'p1' }, payload: { orderId: 'ord_r', amount: 1000, currency: 'eur', paymentMethod: 'pm_card_visa' } });
    expect(paid.statusCode, paid.body).toBe(201);
    const ask = () => gw.app.inject({ method: 'POST', url: '/payments/ord_r/refunds', headers: { 'idempotency-key': 'r1' }, payload: {} });
    const first = await ask();
    expect(first.statusCode, first.body).toBe(502);
    // Stripe's charge.refunded for it overtakes the retry: the refund booked from the total, unnamed.
    applyWebhookEvent(gw.store, { provider: 'stripe', eventId: 'evt_total', type: 'payment.refunded', providerType: 'charge.refunded', providerPaymentId: 'pi_1', merchantReference: 'ord_r', amount: 1000, currency: 'eur' });
    expect(gw.store.ledger.refunded(gw.store.payments.forOrder('ord_r')!.paymentId)).toBe(1000);
    const retry = await ask();
    expect(retry.statusCode, retry.body).toBe(201);
    expect(JSON.parse(retry.body)).toMatchObject({ status: 'succeeded', refundId: 're_1', refunded: 1000 });
    expect(refunds).toBe(2);
    const entries = gw.store.ledger.exportEntries().filter((e) => e.kind === 'refund');
    expect(entries.map((e) => [e.reference, e.amount])).toEqual([['re_1', 1000]]);
  });
});
