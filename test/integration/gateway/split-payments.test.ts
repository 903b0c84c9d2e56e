import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildGateway, type BuiltGateway } from '../../../gateway/index.js';
import { startAdyenSim, startStripeSim, type StartedAdyenSim, type StartedStripeSim } from '../../../simulators/index.js';
import { recordingProxy } from '../../helpers/recording-proxy.js';
import { stripeSdkFor } from '../../helpers/stripe-sdk.js';

/**
 * A marketplace order through the reference gateway (issue #15): `split: { destination,
 * platformFee }` on POST /payments reaches each provider in its own shape — checked independently
 * of the gateway: at Stripe with the official SDK (the transfer to the connected account and the
 * application fee the platform keeps), at Adyen by reading the request on the wire (splits[] as
 * Adyen documents it, summing to the amount) — and is booked as balanced split and transfer entries.
 */
let stripe: StartedStripeSim;
let stripeKeys: Record<string, unknown>;
let adyen: StartedAdyenSim;

beforeAll(async () => {
  stripe = await startStripeSim({ seed: 1501 });
  stripeKeys = (await (await fetch(`${stripe.url}/__sim/keys`)).json()) as Record<string, unknown>;
  adyen = await startAdyenSim({ seed: 1502 });
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
async function pay(gw: BuiltGateway, provider: string, split: unknown, amount = 10_000) {
  const orderId = `split_${process.pid}_${++n}`;
  const res = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount, currency: 'eur', paymentMethod: 'pm_card_visa', provider, split } });
  return { orderId, status: res.statusCode, body: res.json() as { status: string; paymentId: string; providerPaymentId?: string; error?: { code: string; message: string } } };
}

interface Entry { orderId: string; kind: string; amount: number; destination?: string; commission?: number; lines: Array<{ account: string; amount: number }> }
async function booked(gw: BuiltGateway, orderId: string): Promise<Entry[]> {
  const { entries } = (await gw.app.inject({ method: 'GET', url: '/ledger' })).json() as { entries: Entry[] };
  return entries.filter((e) => e.orderId === orderId);
}


describe('a marketplace order through the gateway', () => {
  it('makes a Stripe destination charge: the sale transferred to the connected account, the commission kept as an application fee', async () => {
    const gw = gateway({ stripe: { url: stripe.url, credentials: stripeKeys } });
    const p = await pay(gw, 'stripe', { destination: 'acct_seller15', platformFee: 1_250 });
    expect([p.status, p.body.status]).toEqual([201, 'succeeded']);
    const api = sdk();
    const pi = await api.paymentIntents.retrieve(p.body.providerPaymentId!);
    expect([pi.transfer_data?.destination, pi.application_fee_amount]).toEqual(['acct_seller15', 1_250]);
    const transfers = (await api.transfers.list({ destination: 'acct_seller15' })).data;
    expect(transfers.map((t) => [t.amount, t.currency])).toEqual([[10_000, 'eur']]);
    const fees = (await api.applicationFees.list({ charge: pi.latest_charge as string })).data;
    expect(fees.map((f) => f.amount)).toEqual([1_250]);
  });

  it('books the commission and the receiver\'s part as balanced split and transfer entries beside the capture', async () => {
    const gw = gateway({ stripe: { url: stripe.url, credentials: stripeKeys } });
    const p = await pay(gw, 'stripe', { destination: 'acct_books', platformFee: 700 }, 5_000);
    expect(p.body.status).toBe('succeeded');
    const entries = await booked(gw, p.orderId);
    expect(entries.map((e) => e.kind)).toEqual(['capture', 'split', 'transfer']);
    for (const e of entries) expect(e.lines.reduce((s, l) => s + l.amount, 0)).toBe(0);
    const split = entries.find((e) => e.kind === 'split')!;
    expect([split.amount, split.destination, split.commission]).toEqual([4_300, 'acct_books', 700]);
    expect(split.lines).toEqual(expect.arrayContaining([{ account: 'commission', amount: -700 }, { account: 'connected:acct_books', amount: -4_300 }]));
    const transfer = entries.find((e) => e.kind === 'transfer')!;
    expect([transfer.amount, transfer.destination]).toEqual([4_300, 'acct_books']);
    expect(transfer.lines).toEqual(expect.arrayContaining([{ account: 'provider_clearing:stripe', amount: -4_300 }]));
  });

  it('with the splitOff regression books the split but Stripe transfers nothing (what the reconciliation must catch)', async () => {
    const gw = gateway({ stripe: { url: stripe.url, credentials: stripeKeys } }, { splitOff: true });
    const p = await pay(gw, 'stripe', { destination: 'acct_forgotten', platformFee: 100 });
    expect(p.body.status).toBe('succeeded');
    expect((await booked(gw, p.orderId)).map((e) => e.kind)).toEqual(['capture', 'split', 'transfer']);
    expect((await sdk().transfers.list({ destination: 'acct_forgotten' })).data).toEqual([]);
  });

  it('sends Adyen splits[]: the sale to the balance account with its reference, the commission, summing to the amount', async () => {
    const wire = await recordingProxy(adyen.url);
    const gw = gateway({ adyen: { url: wire.url } });
    const p = await pay(gw, 'adyen', { destination: 'BA00000000000000000000001', platformFee: 1_500 }, 12_000);
    expect([p.status, p.body.status]).toEqual([201, 'succeeded']);
    const sent = wire.bodies.map((b) => JSON.parse(b) as { reference?: string; splits?: Array<{ type: string; account?: string; reference?: string; amount: { value: number; currency: string } }> }).find((b) => b.reference === p.orderId)!;
    expect(sent.splits).toEqual([
      { type: 'BalanceAccount', account: 'BA00000000000000000000001', amount: { value: 10_500, currency: 'EUR' }, reference: `${p.orderId}-sale` },
      { type: 'Commission', amount: { value: 1_500, currency: 'EUR' }, reference: `${p.orderId}-commission` },
    ]);
    expect(sent.splits!.reduce((s, x) => s + x.amount.value, 0)).toBe(12_000);
    expect((await booked(gw, p.orderId)).map((e) => e.kind)).toEqual(['capture', 'split', 'transfer']);
  });

  it('sends no splits[] for an order without a split (the field is the marketplace order\'s only)', async () => {
    const wire = await recordingProxy(adyen.url);
    const gw = gateway({ adyen: { url: wire.url } });
    const p = await pay(gw, 'adyen', undefined);
    expect(p.body.status).toBe('succeeded');
    expect(wire.bodies.some((b) => b.includes('"splits"'))).toBe(false);
    expect((await booked(gw, p.orderId)).map((e) => e.kind)).toEqual(['capture']);
  });

  it.each([
    [{ destination: 'acct_x', platformFee: 10_001 }, 'split.platformFee'],
    [{ destination: 'acct_x', platformFee: -1 }, 'split.platformFee'],
    [{ destination: 'acct x', platformFee: 10 }, 'split.destination'],
    [{ destination: 'acct_x', platformFee: 10, percent: 3 }, 'split.percent'],
    ['acct_x', 'split:'],
  ])('refuses the split %j with a coded 400 naming %s, before any provider call', async (split, field) => {
    const gw = gateway({ stripe: { url: stripe.url, credentials: stripeKeys } });
    const p = await pay(gw, 'stripe', split);
    expect(p.status).toBe(400);
    expect(p.body.error?.code).toBe('PAYCHAOS_ERR_GATEWAY_BAD_REQUEST');
    expect(p.body.error?.message).toContain(field);
  });

  it('refuses a split for a provider that cannot carry one in the charge, naming those that can', async () => {
    const gw = gateway({ stripe: { url: stripe.url, credentials: stripeKeys }, paypal: { url: 'http://127.0.0.1:9' } });
    const p = await pay(gw, 'paypal', { destination: 'acct_x', platformFee: 10 });
    expect(p.status).toBe(400);
    expect(p.body.error?.message).toMatch(/split: not supported by paypal .*stripe/);
  });
});
