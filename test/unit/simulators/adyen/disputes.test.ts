import { afterEach, describe, expect, it } from 'vitest';
import { GatewayStore, VERIFIERS } from '../../../../gateway/index.js';
import { applyWebhookEvent } from '../../../../gateway/webhook-apply.js';
import { parseSettlement } from '../../../../src/analysis/index.js';
import { buildAdyenSim, type AdyenSim } from '../../../../simulators/adyen/index.js';
import { payment, post } from './helpers.js';

let sim: AdyenSim | undefined;
afterEach(async () => sim?.app.close());

describe('Adyen chargebacks', () => {
  it('notifies NOTIFICATION_OF_CHARGEBACK, CHARGEBACK (and CHARGEBACK_REVERSED when won), HMAC-signed; the gateway books each once; the report lists Chargeback lines', async () => {
    const bodies: string[] = [];
    sim = buildAdyenSim({ seed: 9, profile: { webhooks: { url: 'http://127.0.0.1:9/hooks' } }, transport: async (_url, body) => (bodies.push(body), { status: 200, body: '[accepted]' }) });
    const store = new GatewayStore();
    const refs: string[] = [];
    for (const [i, outcome] of [[0, 'lost'], [1, 'won']] as const) {
      const reference = `ord_cb${i}`;
      store.keys.claim(`k${i}`, 'f', store.boot, store.now(), 90_000);
      store.createPayment(`k${i}`, { paymentId: `pay_${i}`, orderId: reference, amount: 1000, currency: 'eur', paymentMethod: 'scheme', provider: 'adyen', providerKey: `gw-${i}`, providerReference: reference, variant: 'baseline' });
      const paid = await post(sim.app, '/v71/payments', payment({ reference }));
      store.settlePayment(`pay_${i}`, { status: 'succeeded', providerPaymentId: paid.body.pspReference, httpStatus: 201 });
      const res = await sim.app.inject({ method: 'POST', url: '/__sim/disputes', payload: { paymentId: i === 0 ? paid.body.pspReference : reference, amount: 600, reason: '10.4', outcome } });
      expect(res.statusCode).toBe(201);
      refs.push(res.json().disputePspReference);
    }
    await sim.webhooks.settled();
    const items = bodies.map((b) => JSON.parse(b).notificationItems[0].NotificationRequestItem);
    const disputeItems = items.filter((n) => n.eventCode.includes('CHARGEBACK'));
    expect(disputeItems.map((n) => [n.eventCode, n.pspReference === refs[0] ? 0 : 1, n.additionalData.disputeStatus])).toEqual([
      ['NOTIFICATION_OF_CHARGEBACK', 0, 'Undefended'], ['CHARGEBACK', 0, 'Lost'],
      ['NOTIFICATION_OF_CHARGEBACK', 1, 'Undefended'], ['CHARGEBACK', 1, 'Pending'], ['CHARGEBACK_REVERSED', 1, 'Won'],
    ]);
    expect(disputeItems.every((n) => typeof n.originalReference === 'string' && n.amount.value === 600)).toBe(true);
    // Each notification through the gateway's own HMAC verification, twice (Adyen retries).
    for (const body of [...bodies, ...bodies]) {
      const result = VERIFIERS.adyen!({}, body, { hmacKey: sim.hmacKey });
      if (!result.ok) throw new Error(result.reason);
      for (const event of result.events) applyWebhookEvent(store, event);
    }
    expect(store.ledger.exportEntries().filter((e) => e.kind.startsWith('chargeback')).map((e) => [e.orderId, e.kind, e.amount, e.reference])).toEqual([
      ['ord_cb0', 'chargeback', 600, refs[0]], ['ord_cb1', 'chargeback', 600, refs[1]], ['ord_cb1', 'chargeback_reversal', 600, refs[1]],
    ]);
    expect(store.disputes.forPayment('pay_0').map((d) => [d.status, d.reason])).toEqual([['lost', '10.4']]);
    expect(store.disputes.forPayment('pay_1').map((d) => d.status)).toEqual(['won']);
    // A signature made with another key is refused, as for every notification.
    expect(VERIFIERS.adyen!({}, bodies.at(-1)!, { hmacKey: 'ab'.repeat(32) }).ok).toBe(false);
    // The settlement details report: Chargeback is a debit, ChargebackReversed a credit, read back by paychaos reconcile.
    const csv = (await sim.app.inject({ method: 'GET', url: '/__sim/settlement.csv?version=2&asOf=2100-01-01T00:00:00Z' })).body;
    const lines = parseSettlement(csv, 'adyen.csv').filter((l) => l.kind.startsWith('chargeback'));
    expect(lines.map((l) => [l.kind, l.amount, l.net, l.merchantRef])).toEqual([['chargeback', 600, -600 - 750, 'ord_cb0'], ['chargeback', 600, -600 - 750, 'ord_cb1'], ['chargeback_reversal', 600, 600, 'ord_cb1']]); // the 7.50 chargeback fee, kept when won
    store.close();
  });

  it('refuses a dispute of a payment it never captured, or a second one', async () => {
    sim = buildAdyenSim({ seed: 9 });
    const paid = await post(sim.app, '/v71/payments', payment({ reference: 'ord_x' }));
    expect((await sim.app.inject({ method: 'POST', url: '/__sim/disputes', payload: { paymentId: 'nope' } })).json().error).toMatchObject({ code: 'PAYCHAOS_ERR_SIM_BAD_DISPUTE', field: 'paymentId' });
    expect((await sim.app.inject({ method: 'POST', url: '/__sim/disputes', payload: { paymentId: paid.body.pspReference } })).statusCode).toBe(201);
    expect((await sim.app.inject({ method: 'POST', url: '/__sim/disputes', payload: { paymentId: paid.body.pspReference } })).statusCode).toBe(409);
  });
});
