import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../../../simulators/core/index.js';
import { buildStripeSim, stripeSettlementCsv, type StripeSim } from '../../../../simulators/stripe/index.js';
import { post } from './helpers.js';

let sim: StripeSim;
afterEach(async () => sim?.app.close());

const PAY = { amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true };
const ORDER_COLUMN = 'payment_metadata[order_id]';

/** The settlement CSV as rows of { header: value }. None of the values here hold commas or quotes. */
async function settlementRows(): Promise<Record<string, string>[]> {
  const csv = (await sim.app.inject({ method: 'GET', url: '/__sim/settlement.csv' })).body;
  const [header, ...lines] = csv.trim().split('\r\n').map((l) => l.split(','));
  return lines.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i] ?? ''])));
}

describe('Stripe settlement CSV', () => {
  it('leaves payment_metadata[order_id] empty when the merchant sent no order_id, while the ledger keeps the PaymentIntent as its order key', async () => {
    sim = buildStripeSim({ seed: 9 });
    const pi = await post(sim.app, '/v1/payment_intents', PAY);
    await post(sim.app, '/v1/refunds', { payment_intent: pi.body.id, amount: 100 });
    const rows = await settlementRows();
    expect(rows.map((r) => [r.reporting_category, r.payment_intent_id, r[ORDER_COLUMN]])).toEqual([
      ['charge', pi.body.id, ''],
      ['refund', pi.body.id, ''],
    ]);
    // The ledger's own behaviour is unchanged: without an order id it files the movement under the PaymentIntent.
    expect(sim.ledger.byOrder(pi.body.id).map((e) => e.kind)).toEqual(['authorization', 'capture', 'refund']);
  });

  it('shows the order_id the merchant sent, for charges and refunds alike', async () => {
    sim = buildStripeSim({ seed: 9 });
    const pi = await post(sim.app, '/v1/payment_intents', { ...PAY, metadata: { order_id: 'ord-77' } });
    await post(sim.app, '/v1/refunds', { payment_intent: pi.body.id, amount: 100 });
    const plain = await post(sim.app, '/v1/payment_intents', PAY);
    expect((await settlementRows()).map((r) => [r.payment_intent_id, r.reporting_category, r[ORDER_COLUMN]])).toEqual([
      [pi.body.id, 'charge', 'ord-77'],
      [pi.body.id, 'refund', 'ord-77'],
      [plain.body.id, 'charge', ''],
    ]);
  });

  it('is a pure function of the ledger: an entry filed under its own payment id has no merchant order id', () => {
    const ledger = new Ledger('stripe', () => new Date('2026-01-02T03:04:05.000Z'));
    ledger.append({ kind: 'capture', paymentId: 'pi_a', orderId: 'pi_a', idempotencyKey: undefined, amount: 500, currency: 'eur', traceId: undefined, reference: 'ch_a' });
    ledger.append({ kind: 'capture', paymentId: 'pi_b', orderId: 'ord-b', idempotencyKey: 'k', amount: 700, currency: 'eur', traceId: 't', reference: 'ch_b' });
    const lines = stripeSettlementCsv(ledger.entries()).trim().split('\r\n');
    expect(lines.slice(1)).toEqual([
      'txn_1,2026-01-02 03:04:05,2026-01-02 03:04:05,eur,5.00,0.00,5.00,charge,ch_a,pi_a,,,',
      'txn_2,2026-01-02 03:04:05,2026-01-02 03:04:05,eur,7.00,0.00,7.00,charge,ch_b,pi_b,ord-b,k,t',
    ]);
  });
});
