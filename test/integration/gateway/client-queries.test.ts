import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlipayClient, LocalWalletClient, PaypalClient, StripeClient, WechatPayClient, alipayOutTradeNo, wechatOutTradeNo } from '../../../gateway/clients/index.js';
import { AdyenClient, type ProviderClient } from '../../../gateway/clients/index.js';
import { startAlipaySim, startPaypalSim, startStripeSim, startWechatPaySim } from '../../../simulators/index.js';

/**
 * Each client's `query`: the provider's own status API, never a charge — what the recovery loop
 * settles pending payments with. Against the simulators, which implement those APIs as documented.
 */
type Started = { url: string; close(): Promise<void>; ledger: { entries(): ReadonlyArray<{ kind: string }> } };
const keysOf = async (url: string) => (await (await fetch(`${url}/__sim/keys`)).json()) as Record<string, unknown>;
const charge = (orderId: string, extra: Partial<{ paymentMethod: string; currency: string }> = {}) => ({ orderId, amount: 1000, currency: 'eur', paymentMethod: 'pm_card_visa', providerKey: `gw-${orderId}`, ...extra });
const ask = (orderId: string, providerReference: string, extra: Partial<{ providerPaymentId: string; currency: string }> = {}) => ({ orderId, providerReference, providerKey: `gw-${orderId}`, amount: 1000, currency: 'eur', ...extra });
const captures = (sim: Started) => sim.ledger.entries().filter((e) => e.kind === 'capture').length;

const sims: Started[] = [];
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
});

describe('Stripe query: GET /v1/payment_intents/{id}, else search by metadata order_id', () => {
  let sim: Started;
  let client: StripeClient;
  beforeAll(async () => {
    sim = await startStripeSim({ seed: 21 });
    sims.push(sim);
    client = new StripeClient({ url: sim.url });
  });
  afterAll(() => client.close());

  it('reads a succeeded PaymentIntent by its id and by the order id, and finds nothing for an order never sent', async () => {
    const paid = await client.charge(charge('q-s-1'));
    expect(paid.outcome).toBe('succeeded');
    await expect(client.query(ask('q-s-1', 'q-s-1', { providerPaymentId: paid.paymentId! }))).resolves.toMatchObject({ kind: 'final', result: { outcome: 'succeeded', paymentId: paid.paymentId } });
    await expect(client.query(ask('q-s-1', 'q-s-1'))).resolves.toMatchObject({ kind: 'final', result: { outcome: 'succeeded', paymentId: paid.paymentId } });
    await expect(client.query(ask('q-s-never', 'q-s-never'))).resolves.toMatchObject({ kind: 'absent' });
    expect(captures(sim)).toBe(1);
  });

  it('reads a declined confirm as failed with its normalised code', async () => {
    await client.charge(charge('q-s-2', { paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds' }));
    await expect(client.query(ask('q-s-2', 'q-s-2'))).resolves.toMatchObject({ kind: 'final', result: { outcome: 'failed', errorCode: 'insufficient_funds' } });
  });
});

describe('Alipay query: alipay.trade.query by out_trade_no', () => {
  it('says waiting while the buyer has not paid and absent for a trade never made (paid: test/integration/gateway/durable-state.test.ts)', async () => {
    const sim = await startAlipaySim({ seed: 22 });
    sims.push(sim);
    sim.behaviour.apply({ outcomes: { '10003': 1 } });
    const client = new AlipayClient({ url: sim.url, credentials: await keysOf(sim.url), settleWithinMs: 0 });
    try {
      const waiting = await client.charge(charge('q-a-1', { currency: 'cny' }));
      expect(waiting).toMatchObject({ outcome: 'pending', providerCode: 'WAIT_BUYER_PAY' });
      await expect(client.query(ask('q-a-1', alipayOutTradeNo('q-a-1')))).resolves.toMatchObject({ kind: 'waiting' });
      await expect(client.query(ask('q-a-never', alipayOutTradeNo('q-a-never')))).resolves.toMatchObject({ kind: 'absent' });
    } finally {
      await client.close();
    }
  });
});

describe('WeChat Pay query: GET /v3/pay/transactions/out-trade-no/{out_trade_no}', () => {
  it('reads a paid order as succeeded and an unknown one as absent (ORDER_NOT_EXIST)', async () => {
    const sim = await startWechatPaySim({ seed: 23, payerDelayMs: 0 });
    sims.push(sim);
    const client = new WechatPayClient({ url: sim.url, credentials: await keysOf(sim.url), settleWithinMs: 2_000 });
    try {
      const paid = await client.charge(charge('q-w-1', { currency: 'cny' }));
      expect(paid.outcome).toBe('succeeded');
      await expect(client.query(ask('q-w-1', wechatOutTradeNo('q-w-1')))).resolves.toMatchObject({ kind: 'final', result: { outcome: 'succeeded' } });
      await expect(client.query(ask('q-w-never', wechatOutTradeNo('q-w-never')))).resolves.toMatchObject({ kind: 'absent' });
      expect(captures(sim)).toBe(1);
    } finally {
      await client.close();
    }
  });
});

describe('PayPal query: GET /v2/checkout/orders/{id}', () => {
  it('waits while the payer has not approved, then completes the one capture once approved, and reads it again without capturing twice', async () => {
    const sim = await startPaypalSim({ seed: 24, autoApprove: false });
    sims.push(sim);
    const client = new PaypalClient({ url: sim.url, credentials: await keysOf(sim.url), settleWithinMs: 0 });
    try {
      const waiting = await client.charge(charge('q-p-1'));
      expect(waiting).toMatchObject({ outcome: 'pending', providerCode: 'PAYER_ACTION_REQUIRED' });
      const id = waiting.paymentId!;
      await expect(client.query(ask('q-p-1', 'q-p-1', { providerPaymentId: id }))).resolves.toMatchObject({ kind: 'waiting' });
      expect((await fetch(`${sim.url}/__sim/approve/${id}`, { method: 'POST' })).status).toBeLessThan(400);
      await expect(client.query(ask('q-p-1', 'q-p-1', { providerPaymentId: id }))).resolves.toMatchObject({ kind: 'final', result: { outcome: 'succeeded', paymentId: id } });
      await expect(client.query(ask('q-p-1', 'q-p-1', { providerPaymentId: id }))).resolves.toMatchObject({ kind: 'final', result: { outcome: 'succeeded' } });
      // Without the id (a crash before create answered): the create is replayed under its request id, the same order.
      await expect(client.query(ask('q-p-1', 'q-p-1'))).resolves.toMatchObject({ kind: 'final', result: { outcome: 'succeeded', paymentId: id } });
      expect(captures(sim)).toBe(1);
    } finally {
      await client.close();
    }
  });
});

describe('providers without a way to ask', () => {
  it('has no query on the Adyen client (Checkout has no status API), and the local wallet cannot be asked without a charge id', async () => {
    const adyen = new AdyenClient({ url: 'http://127.0.0.1:9' });
    expect((adyen as ProviderClient).query).toBeUndefined();
    await adyen.close();
    const wallet = new LocalWalletClient('wiremock:localwallet', { url: 'http://127.0.0.1:9' });
    await expect(wallet.query(ask('q-l-1', 'q-l-1'))).resolves.toMatchObject({ kind: 'unknown' });
    await wallet.close();
  });
});
