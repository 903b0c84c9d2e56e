import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { UnionPayClient, unionpayOrderId, unionpayTxnTime } from '../../../gateway/clients/unionpay.js';
import type { ChargeRequest, ProviderConnection } from '../../../gateway/clients/provider-client.js';
import { verifyUnionPay } from '../../../gateway/webhooks/index.js';
import { scaledClock } from '../../../src/kernel/index.js';
import { startUnionPaySim, type StartedUnionPaySim } from '../../../simulators/unionpay/index.js';
import { startReceiver } from '../simulators/receiver.js';

/**
 * The UnionPay client against the real simulator on 127.0.0.1, with the credentials the simulator
 * lists at /__sim/keys (as the demo hands them over). The ledger is the judge of what was charged.
 */
let sim: StartedUnionPaySim;
/** Another simulator: its own certificates, which the first one's merchant must not trust. */
let stranger: StartedUnionPaySim;
let credentials: Record<string, unknown>;
let strangerCredentials: Record<string, unknown>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

const keysOf = async (s: StartedUnionPaySim) => (await (await fetch(`${s.url}/__sim/keys`)).json()) as Record<string, unknown>;

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 200, body: 'ok' }));
  // ×600: an in-progress consume (processingMs 60 s) ends 100 ms later.
  [sim, stranger] = await Promise.all([startUnionPaySim({ seed: 21, clock: scaledClock(600), processingMs: 60_000 }), startUnionPaySim({ seed: 22 })]);
  [credentials, strangerCredentials] = await Promise.all([keysOf(sim), keysOf(stranger)]);
});
afterAll(async () => {
  await sim?.close();
  await stranger?.close();
  await receiver?.close();
});
afterEach(() => {
  sim.behaviour.apply({});
});

function client(connection: Partial<ProviderConnection> = {}, keys: Record<string, unknown> = credentials): UnionPayClient {
  const c = new UnionPayClient({ url: sim.url, credentials: { ...keys, notifyUrl: receiver.url }, settleWithinMs: 1500, ...connection });
  onTestFinished(() => c.close());
  return c;
}
const order = (orderId: string, amount = 1234): ChargeRequest => ({ orderId, amount, currency: 'cny', paymentMethod: 'pm_card_unionpay', providerKey: `${orderId}:1` });
const captures = (orderId: string) => sim.ledger.byOrder(unionpayOrderId(orderId)).filter((e) => e.kind === 'capture');

describe('unionpayOrderId and unionpayTxnTime', () => {
  it('keep an order number UnionPay takes, and map any other to a stable 8–40 letters and digits', () => {
    expect(unionpayOrderId('order20261207')).toBe('order20261207');
    const mapped = unionpayOrderId('demo-20261122T024500Z-a1b2c3-1abc');
    expect(mapped).toMatch(/^[A-Za-z0-9]{8,40}$/);
    expect(unionpayOrderId('demo-20261122T024500Z-a1b2c3-1abc')).toBe(mapped);
    expect(unionpayOrderId('a-b')).not.toBe(unionpayOrderId('ab-'));
    expect(unionpayTxnTime('x')).toMatch(/^20260101\d{6}$/);
    expect(unionpayTxnTime('x')).toBe(unionpayTxnTime('x'));
  });
});

describe('UnionPayClient against the simulator', () => {
  it('charges by back consume and a repeat of the order meets the same transaction (12), charged once', async () => {
    const c = client();
    const first = await c.charge(order('gw-up-1'));
    expect(first).toMatchObject({ outcome: 'succeeded', providerCode: '00', providerStatus: 200 });
    const again = await c.charge(order('gw-up-1'));
    expect(again).toMatchObject({ outcome: 'succeeded', paymentId: first.paymentId });
    expect(captures('gw-up-1')).toHaveLength(1);
    expect(await c.query({ orderId: 'gw-up-1', providerReference: unionpayOrderId('gw-up-1'), providerKey: 'k', amount: 1234, currency: 'cny' })).toMatchObject({ kind: 'final', result: { outcome: 'succeeded' } });
    expect(await c.query({ orderId: 'gw-up-never', providerReference: 'x', providerKey: 'k', amount: 1, currency: 'cny' })).toMatchObject({ kind: 'absent' });
  });

  it('settles an in-progress consume (05) by query; a decline is failed with its normalised code', async () => {
    sim.behaviour.apply({ outcomes: { '05': 1 } });
    expect(await client().charge(order('gw-up-2'))).toMatchObject({ outcome: 'succeeded' });
    sim.behaviour.apply({ outcomes: { '64': 1 } });
    expect(await client().charge(order('gw-up-3'))).toMatchObject({ outcome: 'failed', errorCode: 'insufficient_funds', providerCode: '64' });
    expect(captures('gw-up-3')).toHaveLength(0);
  });

  it('refunds in part, once per refundKey, and queries the refund', async () => {
    const c = client();
    const paid = await c.charge(order('gw-up-4', 1000));
    const req = { orderId: 'gw-up-4', paymentId: paid.paymentId!, amount: 300, capturedAmount: 1000, currency: 'cny', refundKey: 'rf-1' };
    expect(await c.refund(req)).toMatchObject({ outcome: 'succeeded' });
    // The same refund again is UnionPay's duplicate (12): never a second refund.
    expect((await c.refund(req)).outcome).not.toBe('failed');
    expect(await c.queryRefund({ orderId: 'gw-up-4', refundKey: 'rf-1' })).toMatchObject({ state: 'succeeded', amount: 300 });
    expect(await c.queryRefund({ orderId: 'gw-up-4', refundKey: 'rf-never' })).toMatchObject({ state: 'absent' });
    // Without the paymentId the consume is found by query.
    expect(await c.refund({ ...req, paymentId: undefined as unknown as string, refundKey: 'rf-2', amount: 800 })).toMatchObject({ outcome: 'failed', errorCode: 'invalid_request', providerCode: '36' });
    expect(sim.ledger.balanceOf(paid.paymentId!)).toMatchObject({ captured: 1000, refunded: 300 });
  });

  it('does not believe an answer signed under a certificate its root does not vouch for (negative control)', async () => {
    // The merchant's own key and merId (the simulator takes the request), another PKI's middle and root certificates.
    const c = client({}, { ...credentials, middleCertificate: strangerCredentials.middleCertificate, rootCertificate: strangerCredentials.rootCertificate });
    expect(await c.charge(order('gw-up-5'))).toMatchObject({ outcome: 'pending', errorCode: 'outcome_unknown' });
    // The money did move: only a trusted query may say so.
    expect(captures('gw-up-5')).toHaveLength(1);
  });

  it('refuses a credential it cannot use, naming the field', () => {
    expect(() => new UnionPayClient({ url: sim.url, credentials: { ...credentials, merId: 'short' } })).toThrow(/credentials.merId/);
    expect(() => new UnionPayClient({ url: sim.url, credentials: { ...credentials, rootCertificate: 'not a pem' } })).toThrow(/credentials.rootCertificate/);
  });
});

describe('verifyUnionPay with the simulator\'s notifications', () => {
  it('verifies a consume and a refund notification, and refuses a tampered one or another merchant\'s', async () => {
    const c = client();
    const paid = await c.charge(order('gw-up-6', 700));
    await c.refund({ orderId: 'gw-up-6', paymentId: paid.paymentId!, amount: 200, capturedAmount: 700, currency: 'cny', refundKey: 'rf-6' });
    const consume = await receiver.waitForOne((r) => new URLSearchParams(r.body).get('orderId') === unionpayOrderId('gw-up-6'));
    const refund = await receiver.waitForOne((r) => new URLSearchParams(r.body).get('origQryId') === paid.paymentId);
    const ok = verifyUnionPay({}, consume.body, credentials);
    expect(ok).toMatchObject({ ok: true, event: { type: 'payment.succeeded', providerPaymentId: paid.paymentId, merchantReference: unionpayOrderId('gw-up-6'), amount: 700, currency: 'cny' } });
    expect(verifyUnionPay({}, refund.body, credentials)).toMatchObject({ ok: true, event: { type: 'refund.succeeded', providerPaymentId: paid.paymentId, amount: 200 } });
    const tampered = new URLSearchParams(consume.body);
    tampered.set('txnAmt', '1');
    expect(verifyUnionPay({}, tampered.toString(), credentials)).toMatchObject({ ok: false, code: 'PAYCHAOS_ERR_GATEWAY_WEBHOOK_BAD_SIGNATURE' });
    expect(verifyUnionPay({}, consume.body, { ...credentials, merId: '777290058110049' })).toMatchObject({ ok: false, code: 'PAYCHAOS_ERR_GATEWAY_WEBHOOK_BAD_SIGNATURE' });
    expect(verifyUnionPay({}, consume.body, strangerCredentials)).toMatchObject({ ok: false, code: 'PAYCHAOS_ERR_GATEWAY_WEBHOOK_BAD_SIGNATURE' });
  });
});
