import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayStore, VERIFIERS } from '../../../../gateway/index.js';
import { applyWebhookEvent } from '../../../../gateway/webhook-apply.js';
import { parseSettlement } from '../../../../src/analysis/index.js';
import { buildPaypalSim, type PaypalSim } from '../../../../simulators/paypal/index.js';

const KEY = generateKeyPairSync('rsa', { modulusLength: 2048 });
let sim: PaypalSim | undefined;
afterEach(async () => sim?.app.close());

async function capture(s: PaypalSim, invoiceId: string): Promise<string> {
  const auth = `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}`;
  const token = (await s.app.inject({ method: 'POST', url: '/v1/oauth2/token', payload: 'grant_type=client_credentials', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' } })).json().access_token as string;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const order = { intent: 'CAPTURE', purchase_units: [{ invoice_id: invoiceId, amount: { currency_code: 'USD', value: '40.00' } }] };
  const created = (await s.app.inject({ method: 'POST', url: '/v2/checkout/orders', payload: JSON.stringify(order), headers })).json();
  expect((await s.app.inject({ method: 'POST', url: `/v2/checkout/orders/${created.id}/capture`, payload: '{}', headers })).statusCode).toBe(201);
  return created.id as string;
}

describe('PayPal disputes', () => {
  it('sends CUSTOMER.DISPUTE.CREATED and .RESOLVED, signed; the gateway books the chargeback (and its reversal when the seller wins); STL lists T1201/T1202', async () => {
    const deliveries: Array<{ body: string; headers: Record<string, string> }> = [];
    sim = buildPaypalSim({ seed: 5, webhookPrivateKey: KEY.privateKey, autoApprove: true, profile: { webhooks: { url: 'http://127.0.0.1:1/paypal' } }, transport: async (_url, body, headers) => (deliveries.push({ body, headers }), { status: 200, body: '' }) });
    const store = new GatewayStore();
    const ids: string[] = [];
    for (const [i, outcome] of [[0, 'lost'], [1, 'won'], [2, 'open']] as const) {
      const invoice = `inv_d${i}`;
      store.keys.claim(`k${i}`, 'f', store.boot, store.now(), 90_000);
      store.createPayment(`k${i}`, { paymentId: `pay_${i}`, orderId: invoice, amount: 4000, currency: 'usd', paymentMethod: 'pm_paypal', provider: 'paypal', providerKey: `gw-${i}`, providerReference: invoice, variant: 'baseline' });
      const orderId = await capture(sim, invoice);
      store.settlePayment(`pay_${i}`, { status: 'succeeded', providerPaymentId: orderId, httpStatus: 201 });
      const res = await sim.app.inject({ method: 'POST', url: '/__sim/disputes', payload: { paymentId: orderId, reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED', outcome } });
      expect(res.statusCode).toBe(201);
      ids.push(res.json().dispute_id);
    }
    // The open one: the merchant accepts the claim, which resolves it for the buyer.
    const token = (await sim.app.inject({ method: 'POST', url: '/v1/oauth2/token', payload: 'grant_type=client_credentials', headers: { authorization: `Basic ${Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' } })).json().access_token as string;
    const shown = await sim.app.inject({ method: 'GET', url: `/v1/customer/disputes/${ids[2]}`, headers: { authorization: `Bearer ${token}` } });
    expect(shown.json()).toMatchObject({ dispute_id: ids[2], status: 'WAITING_FOR_SELLER_RESPONSE', dispute_amount: { currency_code: 'USD', value: '40.00' }, dispute_life_cycle_stage: 'CHARGEBACK', disputed_transactions: [{ invoice_number: 'inv_d2' }] });
    expect((await sim.app.inject({ method: 'POST', url: `/v1/customer/disputes/${ids[2]}/accept-claim`, payload: '{}', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } })).statusCode).toBe(200);
    await sim.webhooks.settled();
    const types = deliveries.map((d) => JSON.parse(d.body).event_type as string).filter((t) => t.startsWith('CUSTOMER.DISPUTE.'));
    expect(types).toEqual(['CUSTOMER.DISPUTE.CREATED', 'CUSTOMER.DISPUTE.RESOLVED', 'CUSTOMER.DISPUTE.CREATED', 'CUSTOMER.DISPUTE.RESOLVED', 'CUSTOMER.DISPUTE.CREATED', 'CUSTOMER.DISPUTE.RESOLVED']);
    // Through the gateway's own signature verification (pinned certificate, webhook id), twice.
    const credentials = { webhookId: sim.webhookId, webhookCertificate: sim.webhookCertificate };
    for (const d of [...deliveries, ...deliveries]) {
      const result = VERIFIERS.paypal!(d.headers, d.body, credentials);
      if (!result.ok) throw new Error(result.reason);
      for (const event of result.events) applyWebhookEvent(store, event);
    }
    expect(store.ledger.exportEntries().filter((e) => e.kind.startsWith('chargeback')).map((e) => [e.orderId, e.kind, e.amount])).toEqual([
      ['inv_d0', 'chargeback', 4000], ['inv_d1', 'chargeback', 4000], ['inv_d1', 'chargeback_reversal', 4000], ['inv_d2', 'chargeback', 4000],
    ]);
    expect([0, 1, 2].map((i) => store.disputes.forPayment(`pay_${i}`)[0]?.status)).toEqual(['lost', 'won', 'lost']);
    const csv = (await sim.app.inject({ method: 'GET', url: '/__sim/settlement.csv?version=2' })).body;
    const lines = parseSettlement(csv, 'paypal.csv').filter((l) => l.kind.startsWith('chargeback'));
    expect(lines.map((l) => [l.kind, l.amount, l.net, l.merchantRef])).toEqual([['chargeback', 4000, -5500, 'inv_d0'], ['chargeback', 4000, -5500, 'inv_d1'], ['chargeback_reversal', 4000, 5500, 'inv_d1'], ['chargeback', 4000, -5500, 'inv_d2']]); // the 15.00 dispute fee (40.00 is over PayPal's 30.00 threshold), given back when the seller wins
    store.close();
  });
});
