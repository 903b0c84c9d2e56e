import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildGateway, type BuiltGateway } from '../../../gateway/index.js';
import { parseBooks, parseSettlement, reconcile } from '../../../src/analysis/index.js';
import { startAdyenSim, startStripeSim, type StartedAdyenSim, type StartedStripeSim } from '../../../simulators/index.js';
import { recordingProxy } from '../../helpers/recording-proxy.js';
import { stripeSdkFor } from '../../helpers/stripe-sdk.js';

/**
 * Refunding a split payment takes the receiver's share back (issue #15): Stripe's refund carries
 * reverse_transfer and refund_application_fee, Adyen's refund carries splits[] — checked at Stripe
 * with the official SDK (the transfer reversals and fee refunds it made) and at Adyen on the wire —
 * and the books book the reversal (split_refund + transfer_reversal), so they still match Stripe's
 * report split by split after the refunds.
 */
let stripe: StartedStripeSim;
let stripeKeys: Record<string, unknown>;
let adyen: StartedAdyenSim;

beforeAll(async () => {
  [stripe, adyen] = await Promise.all([startStripeSim({ seed: 1511 }), startAdyenSim({ seed: 1512 })]);
  stripeKeys = (await (await fetch(`${stripe.url}/__sim/keys`)).json()) as Record<string, unknown>;
});
afterAll(async () => {
  await stripe?.close();
  await adyen?.close();
});

function gateway(providers: Parameters<typeof buildGateway>[0]['providers'], regression: Parameters<typeof buildGateway>[0]['regression'] = {}): BuiltGateway {
  const gw = buildGateway({ providers, regression, recovery: { intervalMs: 3_600_000 } });
  onTestFinished(() => gw.close());
  return gw;
}

const sdk = (): Stripe => stripeSdkFor(stripe.url);

let n = 0;
async function pay(gw: BuiltGateway, provider: string, split: unknown, amount: number) {
  const orderId = `splitrefund_${process.pid}_${++n}`;
  const res = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount, currency: 'eur', paymentMethod: 'pm_card_visa', provider, split } });
  return { orderId, body: res.json() as { status: string; paymentId: string; providerPaymentId?: string } };
}
const refund = (gw: BuiltGateway, paymentId: string, amount: number, key: string) =>
  gw.app.inject({ method: 'POST', url: `/payments/${paymentId}/refunds`, headers: { 'idempotency-key': key }, payload: { amount } });

async function ledger(gw: BuiltGateway): Promise<{ entries: Array<{ orderId: string; kind: string; amount: number; lines: Array<{ account: string; amount: number }> }> }> {
  return (await gw.app.inject({ method: 'GET', url: '/ledger' })).json();
}


describe('refunding a split payment', () => {
  it('at Stripe reverses the transfer and refunds the application fee proportionally, and the books still match Stripe\'s report split by split', async () => {
    const gw = gateway({ stripe: { url: stripe.url, credentials: stripeKeys } });
    const p = await pay(gw, 'stripe', { destination: 'acct_refunded', platformFee: 1_250 }, 10_000);
    expect(p.body.status).toBe('succeeded');
    expect((await refund(gw, p.body.paymentId, 4_000, `r1-${p.orderId}`)).statusCode).toBe(201);
    expect((await refund(gw, p.body.paymentId, 6_000, `r2-${p.orderId}`)).statusCode).toBe(201);

    // Stripe's side, by the SDK: the connected account gave back 4 000 then 6 000 of its 10 000 transfer, the fee 500 then 750.
    const api = sdk();
    const pi = await api.paymentIntents.retrieve(p.body.providerPaymentId!);
    const charge = await api.charges.retrieve(pi.latest_charge as string);
    const reversals = (await api.transfers.retrieve(charge.transfer as string)).reversals.data.map((r) => r.amount).sort((a, b) => a - b);
    expect(reversals).toEqual([4_000, 6_000]);
    const feeRefunds = (await api.applicationFees.retrieve(charge.application_fee as string)).refunds.data.map((r) => r.amount).sort((a, b) => a - b);
    expect(feeRefunds).toEqual([500, 750]);

    // The books: the receiver's 8 750 given back 3 500 then 5 250, the commission 500 then 750.
    const exported = await ledger(gw);
    const mine = exported.entries.filter((e) => e.orderId === p.orderId);
    expect(mine.filter((e) => e.kind === 'transfer_reversal').map((e) => e.amount)).toEqual([3_500, 5_250]);
    for (const e of mine) expect(e.lines.reduce((s, l) => s + l.amount, 0)).toBe(0);
    const net = (account: string) => mine.flatMap((e) => e.lines).filter((l) => l.account === account).reduce((s, l) => s + l.amount, 0);
    expect([net('connected:acct_refunded'), net('commission')]).toEqual([0, 0]);

    // And against Stripe's payout reconciliation report: no split-mismatch, both sides at 0 owed.
    const csv = await (await fetch(`${stripe.url}/__sim/settlement.csv?version=2&asOf=2100-01-01T00:00:00Z`)).text();
    const row = reconcile(parseBooks(exported, 'ledger'), parseSettlement(csv, 'stripe.csv')).rows.find((r) => r.orderId === p.orderId)!;
    expect(row.mismatches.filter((m) => m.kind === 'split-mismatch')).toEqual([]);
    expect([row.ourSplit, row.theirSplit]).toEqual([0, 0]);
  });

  it('at Stripe without the reversal (the platform bearing the refund) the report shows it: control for the check above', async () => {
    // The same books without their reversal entries — what a gateway that let the platform bear the refund would hold.
    const gw = gateway({ stripe: { url: stripe.url, credentials: stripeKeys } });
    const p = await pay(gw, 'stripe', { destination: 'acct_control', platformFee: 1_000 }, 10_000);
    expect((await refund(gw, p.body.paymentId, 10_000, `r-${p.orderId}`)).statusCode).toBe(201);
    const exported = await ledger(gw);
    const withoutReversal = { ...exported, entries: exported.entries.filter((e) => !(e.orderId === p.orderId && (e.kind === 'transfer_reversal' || e.kind === 'split_refund'))) };
    const csv = await (await fetch(`${stripe.url}/__sim/settlement.csv?version=2&asOf=2100-01-01T00:00:00Z`)).text();
    const row = reconcile(parseBooks(withoutReversal, 'ledger'), parseSettlement(csv, 'stripe.csv')).rows.find((r) => r.orderId === p.orderId)!;
    expect(row.mismatches.map((m) => [m.kind, m.ours, m.theirs])).toEqual([['split-mismatch', 9_000, 0]]);
  });

  it('at Adyen sends splits[] on the refund: the balance account\'s share and the commission\'s, summing to the refund', async () => {
    const wire = await recordingProxy(adyen.url);
    const gw = gateway({ adyen: { url: wire.url } });
    const p = await pay(gw, 'adyen', { destination: 'BA00000000000000000000REF', platformFee: 1_200 }, 12_000);
    expect(p.body.status).toBe('succeeded');
    const answer = await refund(gw, p.body.paymentId, 3_000, `r-${p.orderId}`);
    expect(answer.statusCode).toBeLessThan(300);
    const sent = wire.bodies.map((b) => JSON.parse(b) as { reference?: string; splits?: Array<{ type: string; account?: string; reference?: string; amount: { value: number; currency: string } }>; amount?: { value: number } }).find((b) => b.amount?.value === 3_000)!;
    expect(sent.splits).toEqual([
      { type: 'BalanceAccount', account: 'BA00000000000000000000REF', amount: { value: 2_700, currency: 'EUR' }, reference: `${p.orderId}-refund-sale` },
      { type: 'Commission', amount: { value: 300, currency: 'EUR' }, reference: `${p.orderId}-refund-commission` },
    ]);
  });
});
