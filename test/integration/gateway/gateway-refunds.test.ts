import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildGateway, type BuiltGateway, type GatewayOptions } from '../../../gateway/index.js';
import { wechatOutTradeNo } from '../../../gateway/clients/index.js';
import { startAdyenSim, startStripeSim, startWechatPaySim } from '../../../simulators/index.js';
import { cancelRequest as cancel } from '../../helpers/lifecycle-requests.js';

/**
 * POST /payments/{id}/refunds and /cancel through the gateway, against the real simulators: the
 * simulators' ledgers judge what moved at the provider, the gateway's ledger what it booked.
 */
type Sim = Awaited<ReturnType<typeof startStripeSim>>;
let stripe: Sim;
let adyen: Awaited<ReturnType<typeof startAdyenSim>>;
let wechat: Awaited<ReturnType<typeof startWechatPaySim>>;
let wechatKeys: Record<string, unknown>;

beforeAll(async () => {
  [stripe, adyen, wechat] = await Promise.all([startStripeSim({ seed: 301 }), startAdyenSim({ seed: 302 }), startWechatPaySim({ seed: 303 })]);
  wechatKeys = (await (await fetch(`${wechat.url}/__sim/keys`)).json()) as Record<string, unknown>;
});
afterAll(async () => {
  await Promise.all([stripe?.close(), adyen?.close(), wechat?.close()]);
});

function gateway(extra: Partial<GatewayOptions> = {}): BuiltGateway {
  const gw = buildGateway({ providers: { stripe: { url: stripe.url }, adyen: { url: adyen.url }, wechatpay: { url: wechat.url, credentials: wechatKeys, settleWithinMs: 0 } }, recovery: { intervalMs: 3_600_000 }, ...extra });
  onTestFinished(() => gw.close());
  return gw;
}

let n = 0;
async function paid(gw: BuiltGateway, extra: Record<string, unknown> = {}) {
  const orderId = `rf_${process.pid}_${++n}`;
  const res = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount: 1500, currency: 'eur', paymentMethod: 'pm_card_visa', ...extra } });
  return res.json() as { paymentId: string; orderId: string; status: string; provider: string };
}
const refund = (gw: BuiltGateway, paymentId: string, key: string | undefined, payload: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  gw.app.inject({ method: 'POST', url: `/payments/${paymentId}/refunds`, headers: { ...(key !== undefined ? { 'idempotency-key': key } : {}), ...headers }, payload });
const stripeRefunds = (orderId: string) => stripe.ledger.byOrder(orderId).filter((e) => e.kind === 'refund').map((e) => e.amount);

describe('refunds through the gateway', () => {
  it('refunds in full (no amount: everything refundable), once at the provider and once in the books; a replay answers the same', async () => {
    const gw = gateway();
    const p = await paid(gw);
    const first = await refund(gw, p.paymentId, 'r1');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ status: 'succeeded', amount: 1500, provider: 'stripe', captured: 1500, refunded: 1500, refundId: expect.stringMatching(/^re_/) });
    const again = await refund(gw, p.paymentId, 'r1');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(stripeRefunds(p.orderId)).toEqual([1500]);
    expect(gw.store.ledger.refunded(p.paymentId)).toBe(1500);
    expect(gw.store.ledger.unbalancedEntries()).toEqual([]);
    // Nothing left: a new refund is refused before the provider is called.
    const more = await refund(gw, p.paymentId, 'r2', { amount: 1 });
    expect(more.statusCode).toBe(409);
    expect(stripeRefunds(p.orderId)).toEqual([1500]);
  });

  it('scopes the provider key of a refund to its payment: two payments refunded under one client key are two refunds at the provider, not an idempotency clash', async () => {
    const gw = gateway();
    const [a, b] = [await paid(gw), await paid(gw)];
    const key = `shared-${process.pid}-${n}`;
    const first = await refund(gw, a.paymentId, key);
    const second = await refund(gw, b.paymentId, key);
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().refundId).not.toBe(first.json().refundId);
    expect(stripeRefunds(a.orderId)).toEqual([1500]);
    expect(stripeRefunds(b.orderId)).toEqual([1500]);
  });

  it('partial refunds add up to the capture and never beyond it: the excess is refused (422, naming amount) and nothing is sent', async () => {
    const gw = gateway();
    const p = await paid(gw);
    expect((await refund(gw, p.paymentId, 'a', { amount: 500 })).json()).toMatchObject({ status: 'succeeded', refunded: 500 });
    expect((await refund(gw, p.paymentId, 'b', { amount: 700 })).json()).toMatchObject({ status: 'succeeded', refunded: 1200 });
    const over = await refund(gw, p.paymentId, 'c', { amount: 400 });
    expect(over.statusCode).toBe(422);
    expect(over.json().error).toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', message: expect.stringMatching(/^amount: 400 is more than the 300 still refundable/) });
    expect(stripeRefunds(p.orderId)).toEqual([500, 700]);
    // The refused key was released: the same key with an amount that fits is a new refund.
    expect((await refund(gw, p.paymentId, 'd', { amount: 300 })).json()).toMatchObject({ status: 'succeeded', refunded: 1500 });
    expect(stripeRefunds(p.orderId)).toEqual([500, 700, 300]);
    expect(gw.store.ledger.balance('refunds', 'eur')).toBe(1500);
  });

  it('two concurrent refunds that together exceed the capture: at most the capture moves', async () => {
    const gw = gateway();
    const p = await paid(gw);
    const answers = await Promise.all([refund(gw, p.paymentId, 'x', { amount: 1000 }), refund(gw, p.paymentId, 'y', { amount: 1000 })]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect(stripeRefunds(p.orderId)).toEqual([1000]);
  });

  it('bad input is a coded refusal naming the field: no Idempotency-Key, a bad amount, a reused key with another amount, an unknown payment', async () => {
    const gw = gateway();
    const p = await paid(gw);
    expect((await refund(gw, p.paymentId, undefined)).json().error.message).toMatch(/Idempotency-Key is required/);
    expect((await refund(gw, p.paymentId, 'k', { amount: -3 })).json().error.message).toMatch(/^amount: /);
    expect((await refund(gw, p.paymentId, 'k', { amount: 100 })).statusCode).toBe(201);
    expect((await refund(gw, p.paymentId, 'k', { amount: 200 })).statusCode).toBe(422);
    expect((await refund(gw, 'pay_nope', 'k')).statusCode).toBe(404);
  });

  it('refunds a failed-over payment at the provider that charged it (Adyen: accepted, its REFUND notification confirms)', async () => {
    // Stripe refuses connections (a closed port): the card fails over to Adyen.
    const gw = buildGateway({ providers: { stripe: { url: 'http://127.0.0.1:1' }, adyen: { url: adyen.url } }, resilience: { routes: { 'pm_card_*': ['stripe', 'adyen'] }, retry: { maxAttempts: 1 } }, recovery: { intervalMs: 3_600_000 } });
    onTestFinished(() => gw.close());
    const p = await paid(gw);
    expect(p).toMatchObject({ status: 'succeeded', provider: 'adyen' });
    const r = await refund(gw, p.paymentId, 'ad', { amount: 600 });
    expect(r.statusCode).toBe(202);
    expect(r.json()).toMatchObject({ provider: 'adyen', status: 'pending', refundId: expect.any(String) });
    // Not booked until Adyen confirms: a refund that may still fail moves nothing in the books.
    expect(gw.store.ledger.refunded(p.paymentId)).toBe(0);
    expect(stripeRefunds(p.orderId)).toEqual([]);
  });
});

describe('cancels through the gateway', () => {
  it('closes an unpaid WeChat Pay order: the payment ends failed order_closed; a captured payment is refused (refund it instead)', async () => {
    const gw = gateway();
    const orderId = `cx_${process.pid}_${++n}`;
    const pending = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount: 900, currency: 'cny', paymentMethod: 'pm_wechatpay', provider: 'wechatpay' } });
    expect(pending.statusCode).toBe(202);
    const id = pending.json().paymentId as string;
    const c = await cancel(gw, id, 'c1');
    expect(c.statusCode).toBe(201);
    expect(c.json()).toMatchObject({ status: 'succeeded', paymentStatus: 'failed' });
    expect(gw.store.payments.get(id)).toMatchObject({ status: 'failed', errorCode: 'order_closed' });
    expect((await cancel(gw, id, 'c1')).headers['idempotent-replayed']).toBe('true');
    // The shopper can no longer pay it.
    const payer = await fetch(`${wechat.url}/__sim/payer/${wechatOutTradeNo(orderId)}?action=pay`, { method: 'POST' });
    expect(payer.status).not.toBe(200);

    const p = await paid(gw);
    const refused = await cancel(gw, p.paymentId, 'c2');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/captured: a cancel never moves captured money; refund it/);
  });
});

describe('a refund after charged-then-500 (the provider commits, then answers 500)', () => {
  const stripeFault = (on: boolean): void => {
    stripe.behaviour.apply(on ? { commitThenError: { rate: 1, status: 500 } } : {});
  };

  it('is answered unknown, and its retry under the same key refunds nothing more: the refund is applied once', async () => {
    const gw = gateway();
    const p = await paid(gw);
    stripeFault(true);
    onTestFinished(() => stripeFault(false));
    const first = await refund(gw, p.paymentId, 'late', { amount: 400 });
    expect([502, 504]).toContain(first.statusCode);
    expect(first.json()).toMatchObject({ status: 'pending', amount: 400 });
    const again = await refund(gw, p.paymentId, 'late', { amount: 400 });
    expect([502, 504]).toContain(again.statusCode);
    expect(stripeRefunds(p.orderId)).toEqual([400]);
  });

  it('negative control: a gateway that sends each refund request under a fresh provider key (regression refundKeyPerRequest) refunds twice', async () => {
    const gw = gateway({ regression: { refundKeyPerRequest: true } });
    const p = await paid(gw);
    stripeFault(true);
    onTestFinished(() => stripeFault(false));
    await refund(gw, p.paymentId, 'late', { amount: 400 });
    await refund(gw, p.paymentId, 'late', { amount: 400 });
    expect(stripeRefunds(p.orderId)).toEqual([400, 400]);
  });
});

describe('authorise only (capture: "manual"), then cancel', () => {
  it('holds a Stripe card payment (202 pending, requires_capture, nothing captured), and the cancel voids the hold: the payment ends failed order_closed, never captured', async () => {
    const gw = gateway();
    const p = await paid(gw, { capture: 'manual' });
    expect(p.status).toBe('pending');
    const moved = (kind: string) => stripe.ledger.byOrder(p.orderId).filter((e) => e.kind === kind).map((e) => e.amount);
    expect(moved('authorization')).toEqual([1500]);
    expect(moved('capture')).toEqual([]);
    // Nothing captured, so nothing to refund.
    expect((await refund(gw, p.paymentId, 'early')).statusCode).toBe(409);
    const cancelled = await cancel(gw, p.paymentId, 'c1');
    expect(cancelled.statusCode).toBe(201);
    expect(cancelled.json()).toMatchObject({ status: 'succeeded', paymentStatus: 'failed' });
    expect(moved('void')).toEqual([1500]);
    expect(moved('capture')).toEqual([]);
    expect(gw.store.payments.get(p.paymentId)).toMatchObject({ status: 'failed', errorCode: 'order_closed' });
  });

  it('is a different request from the same payment captured at once: the same key with capture manual is a mismatch (422)', async () => {
    const gw = gateway();
    const orderId = `mc_${process.pid}_${++n}`;
    const send = (extra: Record<string, unknown>) => gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount: 1500, currency: 'eur', paymentMethod: 'pm_card_visa', ...extra } });
    expect((await send({})).statusCode).toBe(201);
    expect((await send({ capture: 'manual' })).statusCode).toBe(422);
  });

  it('is refused before any call where a channel would capture at once (WeChat Pay here), and a bad value names the field', async () => {
    const gw = gateway();
    const orderId = `mc_${process.pid}_${++n}`;
    const res = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount: 1500, currency: 'cny', paymentMethod: 'pm_wechatpay', provider: 'wechatpay', capture: 'manual' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_REQUEST', message: expect.stringMatching(/^capture: "manual" is not supported by wechatpay \(this gateway holds authorisations at stripe, adyen\)/) });
    expect(wechat.ledger.byOrder(wechatOutTradeNo(orderId)).length).toBe(0);
    const bad = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k2-${orderId}` }, payload: { orderId, amount: 1500, currency: 'eur', paymentMethod: 'pm_card_visa', capture: 'later' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^capture: expected "automatic"/);
  });
});
