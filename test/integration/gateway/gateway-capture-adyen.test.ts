import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildGateway, type BuiltGateway } from '../../../gateway/index.js';
import { startAdyenSim, type StartedAdyenSim } from '../../../simulators/adyen/index.js';
import { startReceiver, type Received } from '../simulators/receiver.js';

/**
 * Adyen authorise-only through the gateway: the charge holds (additionalData.manualCapture), the
 * capture and the cancel are modifications Adyen only *receives* (202), and the books follow the
 * CAPTURE / CANCELLATION notifications, caught by a receiver and handed to /webhooks/adyen.
 */
let adyen: StartedAdyenSim;
let hooks: Awaited<ReturnType<typeof startReceiver>>;
let credentials: Record<string, unknown>;

beforeAll(async () => {
  hooks = await startReceiver(() => ({ status: 200, body: '[accepted]' }));
  adyen = await startAdyenSim({ seed: 1502, profile: { webhooks: { url: hooks.url } } });
  credentials = (await (await fetch(`${adyen.url}/__sim/keys`)).json()) as Record<string, unknown>;
});
afterAll(async () => {
  await adyen?.close();
  await hooks?.close();
});

function gateway(): BuiltGateway {
  const gw = buildGateway({ providers: { adyen: { url: adyen.url, credentials } }, recovery: { intervalMs: 3_600_000 } });
  onTestFinished(() => gw.close());
  return gw;
}

let n = 0;
async function held(gw: BuiltGateway) {
  const orderId = `acp_${process.pid}_${++n}`;
  const res = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount: 2000, currency: 'eur', paymentMethod: 'pm_card_visa', provider: 'adyen', capture: 'manual' } });
  return { code: res.statusCode, ...(res.json() as { paymentId: string; orderId: string; status: string; providerPaymentId: string }) };
}
const deliver = (gw: BuiltGateway, r: Received) =>
  gw.app.inject({ method: 'POST', url: '/webhooks/adyen', headers: Object.fromEntries(Object.entries(r.headers).filter(([k]) => !['content-length', 'host', 'connection'].includes(k))) as Record<string, string>, payload: r.body });
const moved = (orderId: string, kind: string) => adyen.ledger.byOrder(orderId).filter((e) => e.kind === kind).map((e) => e.amount);
const post = (gw: BuiltGateway, paymentId: string, what: 'capture' | 'cancel', key: string, payload: Record<string, unknown> = {}) =>
  gw.app.inject({ method: 'POST', url: `/payments/${paymentId}/${what}`, headers: { 'idempotency-key': key }, payload });

describe('Adyen authorise-only, capture and cancel through the gateway', () => {
  it('holds (202 pending, Authorised, nothing captured); its AUTHORISATION notification keeps it held, not captured', async () => {
    const gw = gateway();
    const p = await held(gw);
    expect(p.code).toBe(202);
    expect(p.status).toBe('pending');
    expect(moved(p.orderId, 'capture')).toEqual([]);
    const auth = await hooks.waitForOne((r) => r.body.includes(p.providerPaymentId) && r.body.includes('AUTHORISATION'));
    expect((await deliver(gw, auth)).statusCode).toBe(200);
    expect(gw.store.payments.get(p.paymentId)).toMatchObject({ status: 'pending', providerCode: 'Authorised' });
    expect(gw.store.ledger.captured(p.paymentId)).toBe(0);
  });

  it('captures part of the hold: received (202), booked on the CAPTURE notification for the captured amount, once', async () => {
    const gw = gateway();
    const p = await held(gw);
    const res = await post(gw, p.paymentId, 'capture', `c1-${p.orderId}`, { amount: 1200 });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'pending', amount: 1200, captured: 0, captureId: expect.any(String) });
    expect(moved(p.orderId, 'capture')).toEqual([1200]);
    const hook = await hooks.waitForOne((r) => r.body.includes(p.providerPaymentId) && /"eventCode":\s*"CAPTURE"/.test(r.body));
    expect((await deliver(gw, hook)).statusCode).toBe(200);
    expect((await deliver(gw, hook)).statusCode).toBe(200);
    expect(gw.store.payments.get(p.paymentId)?.status).toBe('succeeded');
    expect(gw.store.ledger.captured(p.paymentId)).toBe(1200);
    expect(gw.store.ledger.unbalancedEntries()).toEqual([]);
  });

  it('cancel after a received capture: Adyen refuses the void (CANCELLATION success false), the payment ends captured, never voided', async () => {
    const gw = gateway();
    const p = await held(gw);
    expect((await post(gw, p.paymentId, 'capture', `c1-${p.orderId}`)).statusCode).toBe(202);
    expect((await post(gw, p.paymentId, 'cancel', `x1-${p.orderId}`)).statusCode).toBe(202);
    for (const code of ['CAPTURE', 'CANCELLATION']) {
      const hook = await hooks.waitForOne((r) => r.body.includes(p.providerPaymentId) && new RegExp(`"eventCode":\\s*"${code}"`).test(r.body));
      expect((await deliver(gw, hook)).statusCode).toBe(200);
    }
    expect(moved(p.orderId, 'capture')).toEqual([2000]);
    expect(moved(p.orderId, 'void')).toEqual([]);
    expect(gw.store.payments.get(p.paymentId)?.status).toBe('succeeded');
    expect(gw.store.ledger.captured(p.paymentId)).toBe(2000);
  });

  it('capture after a void: Adyen refuses it (CAPTURE success false), nothing booked, the payment ends voided', async () => {
    const gw = gateway();
    const p = await held(gw);
    expect((await post(gw, p.paymentId, 'cancel', `x1-${p.orderId}`)).statusCode).toBe(202);
    expect((await post(gw, p.paymentId, 'capture', `c1-${p.orderId}`)).statusCode).toBe(202);
    for (const code of ['CANCELLATION', 'CAPTURE']) {
      const hook = await hooks.waitForOne((r) => r.body.includes(p.providerPaymentId) && new RegExp(`"eventCode":\\s*"${code}"`).test(r.body));
      expect((await deliver(gw, hook)).statusCode).toBe(200);
    }
    expect(moved(p.orderId, 'capture')).toEqual([]);
    expect(moved(p.orderId, 'void')).toEqual([2000]);
    expect(gw.store.payments.get(p.paymentId)).toMatchObject({ status: 'failed', errorCode: 'order_closed' });
    expect(gw.store.ledger.captured(p.paymentId)).toBe(0);
    // Voided: a new capture is refused before Adyen hears of it.
    expect((await post(gw, p.paymentId, 'capture', `c2-${p.orderId}`)).json().error.code).toBe('PAYCHAOS_ERR_GATEWAY_NOT_HELD');
  });
});
