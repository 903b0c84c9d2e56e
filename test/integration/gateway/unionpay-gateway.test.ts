import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildGateway, type BuiltGateway } from '../../../gateway/index.js';
import { unionpayOrderId } from '../../../gateway/clients/unionpay.js';
import { startUnionPaySim, type StartedUnionPaySim } from '../../../simulators/unionpay/index.js';
import { startReceiver } from '../simulators/receiver.js';

/**
 * The whole reference gateway paying through the UnionPay simulator: POST /payments by back
 * consume, a partial refund through POST /payments/:id/refunds, and the simulator's own back
 * notifications delivered to POST /webhooks/unionpay — verified against the certificate chain,
 * recorded once, acknowledged with a 200 (what UnionPay counts as delivered).
 */
let sim: StartedUnionPaySim;
let credentials: Record<string, unknown>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 200, body: 'ok' }));
  sim = await startUnionPaySim({ seed: 31 });
  credentials = { ...((await (await fetch(`${sim.url}/__sim/keys`)).json()) as Record<string, unknown>), notifyUrl: receiver.url };
});
afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});

function gateway(): BuiltGateway {
  const gw = buildGateway({ providers: { unionpay: { url: sim.url, credentials } }, recovery: { intervalMs: 3_600_000 } });
  onTestFinished(() => gw.close());
  return gw;
}

const notifications = (match: (f: URLSearchParams) => boolean) => receiver.waitForOne((r) => match(new URLSearchParams(r.body)));
const deliver = (gw: BuiltGateway, body: string) => gw.app.inject({ method: 'POST', url: '/webhooks/unionpay', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: body });

describe('the gateway through the UnionPay simulator', () => {
  it('pays, refunds in part, and takes the back notifications once each; a tampered one is refused', async () => {
    const gw = gateway();
    const orderId = `up-gw-${process.pid}`;
    const paid = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount: 2500, currency: 'cny', paymentMethod: 'pm_card_unionpay', provider: 'unionpay' } });
    expect(paid.statusCode).toBe(201);
    const payment = paid.json() as { paymentId: string; status: string; providerPaymentId: string };
    expect(payment.status).toBe('succeeded');
    expect(sim.ledger.byOrder(unionpayOrderId(orderId)).map((e) => [e.kind, e.amount])).toEqual([
      ['authorization', 2500],
      ['capture', 2500],
    ]);

    const refunded = await gw.app.inject({ method: 'POST', url: `/payments/${payment.paymentId}/refunds`, headers: { 'idempotency-key': 'r1' }, payload: { amount: 1000 } });
    expect(refunded.statusCode).toBe(201);
    expect(refunded.json()).toMatchObject({ status: 'succeeded', refunded: 1000 });
    expect(sim.ledger.balanceOf(payment.providerPaymentId)).toMatchObject({ captured: 2500, refunded: 1000 });

    const consume = await notifications((f) => f.get('orderId') === unionpayOrderId(orderId));
    const first = await deliver(gw, consume.body);
    expect([first.statusCode, first.body]).toEqual([200, 'ok']);
    expect((await deliver(gw, consume.body)).statusCode).toBe(200);
    const refund = await notifications((f) => f.get('origQryId') === payment.providerPaymentId);
    expect((await deliver(gw, refund.body)).statusCode).toBe(200);
    // The refund the API booked is the one the notification names: booked once.
    expect(gw.store.ledger.refunded(payment.paymentId)).toBe(1000);

    const tampered = new URLSearchParams(consume.body);
    tampered.set('txnAmt', '1');
    const refused = await deliver(gw, tampered.toString());
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('PAYCHAOS_ERR_GATEWAY_WEBHOOK_BAD_SIGNATURE');
  });
});
