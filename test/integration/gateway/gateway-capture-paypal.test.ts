import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildGateway, type BuiltGateway, type GatewayOptions } from '../../../gateway/index.js';
import { PaypalClient } from '../../../gateway/clients/index.js';
import { startPaypalSim, type StartedPaypalSim } from '../../../simulators/index.js';
import { cancelRequest as cancel, captureRequest as capture, expectCaptureCancelRace, movedAt } from '../../helpers/lifecycle-requests.js';

/**
 * PayPal authorise-only through the gateway against the real PayPal simulator: the charge creates
 * an order of intent AUTHORIZE and authorizes it (held, 202), the capture and the cancel act on
 * the authorization (Payments v2). The simulator's ledger judges what moved at PayPal, the
 * gateway's ledger what it booked.
 */
let paypal: StartedPaypalSim;
let credentials: Record<string, unknown>;
beforeAll(async () => {
  paypal = await startPaypalSim({ seed: 1503, autoApprove: true });
  const keys = (await (await fetch(`${paypal.url}/__sim/keys`)).json()) as { clientId: string; clientSecret: string };
  credentials = { clientId: keys.clientId, clientSecret: keys.clientSecret };
});
afterAll(async () => {
  await paypal?.close();
});

function gateway(extra: Partial<GatewayOptions> = {}, url = paypal.url): BuiltGateway {
  const gw = buildGateway({ providers: { paypal: { url, credentials } }, recovery: { intervalMs: 3_600_000 }, ...extra });
  onTestFinished(() => gw.close());
  return gw;
}

let n = 0;
async function held(gw: BuiltGateway, extra: Record<string, unknown> = { capture: 'manual' }) {
  const orderId = `ppcp_${process.pid}_${++n}`;
  const res = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount: 1500, currency: 'usd', paymentMethod: 'pm_paypal', provider: 'paypal', ...extra } });
  return { code: res.statusCode, ...(res.json() as { paymentId: string; orderId: string; status: string; provider: string; providerPaymentId: string }) };
}
const moved = (orderId: string, kind: string) => movedAt(paypal, orderId, kind);

describe('PayPal authorise-only, capture and void through the gateway', () => {
  it('holds: 202 pending on an authorization CREATED, nothing captured at PayPal', async () => {
    const gw = gateway();
    const p = await held(gw);
    expect(p.code).toBe(202);
    expect(p.status).toBe('pending');
    expect(gw.store.payments.get(p.paymentId)).toMatchObject({ status: 'pending', providerCode: 'AUTHORIZATION_CREATED' });
    expect(moved(p.orderId, 'authorization')).toEqual([1500]);
    expect(moved(p.orderId, 'capture')).toEqual([]);
    // The order at PayPal is intent AUTHORIZE, authorized (COMPLETED), its authorization open.
    const order = (await (await fetch(`${paypal.url}/v2/checkout/orders/${p.providerPaymentId}`, { headers: { authorization: `Bearer ${await token()}` } })).json()) as { intent: string; purchase_units: Array<{ payments: { authorizations: Array<{ status: string }> } }> };
    expect(order.intent).toBe('AUTHORIZE');
    expect(order.purchase_units[0]!.payments.authorizations[0]!.status).toBe('CREATED');
  });

  it('captures the whole hold once and books it; a replay answers the same; a second capture and a cancel are refused; a refund follows', async () => {
    const gw = gateway();
    const p = await held(gw);
    const first = await capture(gw, p.paymentId, 'c1');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ status: 'succeeded', paymentStatus: 'succeeded', amount: 1500, captured: 1500, provider: 'paypal', captureId: expect.any(String) });
    const again = await capture(gw, p.paymentId, 'c1');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(moved(p.orderId, 'capture')).toEqual([1500]);
    expect(gw.store.ledger.captured(p.paymentId)).toBe(1500);
    expect(gw.store.ledger.unbalancedEntries()).toEqual([]);
    expect((await capture(gw, p.paymentId, 'c2')).statusCode).toBe(409);
    expect((await cancel(gw, p.paymentId, 'x1')).statusCode).toBe(409);
    const refund = await gw.app.inject({ method: 'POST', url: `/payments/${p.paymentId}/refunds`, headers: { 'idempotency-key': 'r1' }, payload: {} });
    expect(refund.json()).toMatchObject({ status: 'succeeded', amount: 1500 });
    expect(moved(p.orderId, 'refund')).toEqual([1500]);
  });

  it('captures part of the hold with final_capture: PayPal releases the rest, the books and the refundable amount follow the capture', async () => {
    const gw = gateway();
    const p = await held(gw);
    const res = await capture(gw, p.paymentId, 'c1', { amount: 600 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ amount: 600, captured: 600 });
    expect(moved(p.orderId, 'capture')).toEqual([600]);
    expect(moved(p.orderId, 'void')).toEqual([900]);
    expect(gw.store.ledger.captured(p.paymentId)).toBe(600);
    const over = await gw.app.inject({ method: 'POST', url: `/payments/${p.paymentId}/refunds`, headers: { 'idempotency-key': 'r1' }, payload: { amount: 601 } });
    expect(over.statusCode).toBe(422);
    // A status query afterwards reads the same: succeeded for what was captured, not the hold.
    const client = new PaypalClient({ url: paypal.url, credentials });
    onTestFinished(() => client.close());
    const q = await client.query({ orderId: p.orderId, providerReference: p.orderId, providerPaymentId: p.providerPaymentId, providerKey: 'unused', amount: 1500, currency: 'usd' });
    expect(q).toMatchObject({ kind: 'final', result: { outcome: 'succeeded', capturedAmount: 600 } });
  });

  it('voids the hold: the authorization is VOIDED at PayPal, the payment failed order_closed, and a capture after it is refused before PayPal', async () => {
    const gw = gateway();
    const p = await held(gw);
    const x = await cancel(gw, p.paymentId, 'x1');
    expect(x.statusCode).toBe(201);
    expect(x.json()).toMatchObject({ status: 'succeeded', paymentStatus: 'failed' });
    expect(moved(p.orderId, 'void')).toEqual([1500]);
    const after = await capture(gw, p.paymentId, 'c1');
    expect(after.statusCode).toBe(409);
    expect(after.json().error.code).toBe('PAYCHAOS_ERR_GATEWAY_NOT_HELD');
    expect(moved(p.orderId, 'capture')).toEqual([]);
    expect(gw.store.ledger.captured(p.paymentId)).toBe(0);
  });

  it('refuses bad input before PayPal hears of it, each with a coded error naming the field or the state', async () => {
    const gw = gateway();
    const p = await held(gw);
    const over = await capture(gw, p.paymentId, 'c1', { amount: 1501 });
    expect(over.statusCode).toBe(422);
    expect(over.json().error).toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_CAPTURE_OVER_HOLD', message: expect.stringMatching(/^amount: 1501 is more than the 1500 held/) });
    const zero = await capture(gw, p.paymentId, 'c2', { amount: 0 });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().error.message).toMatch(/^amount: expected a positive integer/);
    expect((await capture(gw, p.paymentId, 'c3', { amount: '10' })).statusCode).toBe(400);
    expect((await capture(gw, p.paymentId, undefined)).statusCode).toBe(400);
    expect(moved(p.orderId, 'capture')).toEqual([]);
    // Captured at once (intent CAPTURE): nothing held.
    const paid = await held(gw, {});
    expect(paid.code).toBe(201);
    const notHeld = await capture(gw, paid.paymentId, 'c5');
    expect(notHeld.statusCode).toBe(409);
    expect(notHeld.json().error.code).toBe('PAYCHAOS_ERR_GATEWAY_NOT_HELD');
  });

  it('a capture and a cancel sent at the same instant end in one state, and the answers agree with what PayPal did', async () => {
    const gw = gateway();
    for (let i = 0; i < 8; i++) {
      const p = await held(gw);
      const captured = await expectCaptureCancelRace(gw, p, i, 1500, moved);
      expect(gw.store.payments.get(p.paymentId)?.status).toBe(captured ? 'succeeded' : 'failed');
    }
  });

  it('with regression raceBlind a cancel racing a capture is answered succeeded though PayPal captured (the negative control)', async () => {
    const gw = gateway({ regression: { raceBlind: true } });
    const p = await held(gw);
    const [c, x] = await Promise.all([capture(gw, p.paymentId, 'c1'), cancel(gw, p.paymentId, 'x1')]);
    expect(c.statusCode).toBe(201);
    expect(x.statusCode).toBe(201);
    expect(moved(p.orderId, 'capture')).toEqual([1500]);
    expect(moved(p.orderId, 'void')).toEqual([]);
  });

  it('a capture answered 500 after PayPal committed it is resumed by reading the order, never sent again: captured once, booked once', async () => {
    let captures = 0;
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const isCapture = req.method === 'POST' && /\/v2\/payments\/authorizations\/[^/]+\/capture$/.test(req.url ?? '');
        if (isCapture) captures += 1;
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length').map(([k, v]) => [k, String(v)]));
        const upstream = await fetch(`${paypal.url}${req.url}`, { method: req.method, headers, ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}) });
        const text = await upstream.text();
        if (isCapture && captures === 1) {
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'INTERNAL_SERVER_ERROR', message: 'An internal server error has occurred.', details: [{ issue: 'INTERNAL_SERVER_ERROR' }] }));
          return;
        }
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
    const gw = gateway({}, `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
    const p = await held(gw);
    const lost = await capture(gw, p.paymentId, 'c1', { amount: 1000 });
    expect(lost.statusCode).toBe(502);
    expect(gw.store.ledger.captured(p.paymentId)).toBe(0);
    const resumed = await capture(gw, p.paymentId, 'c1', { amount: 1000 });
    expect(resumed.statusCode).toBe(201);
    expect(resumed.json()).toMatchObject({ status: 'succeeded', captured: 1000 });
    expect(captures).toBe(1);
    expect(moved(p.orderId, 'capture')).toEqual([1000]);
    expect(gw.store.ledger.captured(p.paymentId)).toBe(1000);
  });
});

describe('PayPal authorise-only: an authorize whose answer was lost', () => {
  it('is pending outcome_unknown, then read off the order as held — one authorization, never authorized again — and captured once', async () => {
    const proxy = await failingAuthorize();
    const client = new PaypalClient({ url: proxy.url, credentials });
    onTestFinished(() => client.close());
    const orderId = `ppau_${process.pid}_${++n}`;
    const charged = await client.charge({ orderId, amount: 2500, currency: 'usd', paymentMethod: 'pm_paypal', providerKey: `pk-${orderId}`, capture: 'manual' });
    expect(charged.outcome).toBe('pending');
    expect(charged).toMatchObject({ errorCode: expect.any(String), paymentId: expect.any(String) });
    expect(moved(orderId, 'authorization')).toEqual([2500]);
    const q = await client.query({ orderId, providerReference: orderId, ...(charged.paymentId !== undefined ? { providerPaymentId: charged.paymentId } : {}), providerKey: `pk-${orderId}`, amount: 2500, currency: 'usd' });
    expect(q).toMatchObject({ kind: 'waiting', result: { outcome: 'pending', providerCode: 'AUTHORIZATION_CREATED' } });
    expect(proxy.authorizes()).toBe(1);
    const captured = await client.capture({ orderId, paymentId: charged.paymentId!, amount: 2500, authorisedAmount: 2500, currency: 'usd', captureKey: `cp-${orderId}` });
    expect(captured, JSON.stringify(captured)).toMatchObject({ outcome: 'succeeded', capturedAmount: 2500 });
    expect(moved(orderId, 'authorization')).toEqual([2500]);
    expect(moved(orderId, 'capture')).toEqual([2500]);
  });

  it('through the gateway: the payment is pending unknown, the recovery loop reads the order and keeps it held, and the capture then takes it', async () => {
    const proxy = await failingAuthorize();
    const gw = gateway({}, proxy.url);
    const p = await held(gw);
    expect(p.code).toBeGreaterThanOrEqual(500);
    const before = gw.store.payments.get(p.paymentId)!;
    expect(before).toMatchObject({ status: 'pending', providerPaymentId: expect.any(String) });
    const settled = await gw.recovery.settle(before);
    // Held as a direct answer leaves it: no error code, answered 202 (held-after-lost-answer.test.ts).
    expect(settled).toMatchObject({ status: 'pending', providerCode: 'AUTHORIZATION_CREATED', httpStatus: 202 });
    expect(settled.errorCode).toBeUndefined();
    expect(proxy.authorizes()).toBe(1);
    expect((await capture(gw, p.paymentId, 'c1')).statusCode).toBe(201);
    expect(moved(p.orderId, 'capture')).toEqual([1500]);
    expect(gw.store.ledger.captured(p.paymentId)).toBe(1500);
  });
});

/** A pass-through to the simulator that answers every authorize 503 after forwarding it: the hold made, the answer lost. */
async function failingAuthorize(): Promise<{ url: string; authorizes: () => number }> {
  let authorizes = 0;
  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const isAuthorize = req.method === 'POST' && /\/authorize$/.test(req.url ?? '');
      if (isAuthorize) authorizes += 1;
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length').map(([k, v]) => [k, String(v)]));
      const upstream = await fetch(`${paypal.url}${req.url}`, { method: req.method, headers, ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}) });
      const text = await upstream.text();
      if (isAuthorize) {
        res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable.', details: [{ issue: 'SERVICE_UNAVAILABLE' }] }));
        return;
      }
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
  return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, authorizes: () => authorizes };
}

async function token(): Promise<string> {
  const res = await fetch(`${paypal.url}/v1/oauth2/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${String(credentials.clientId)}:${String(credentials.clientSecret)}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
  return ((await res.json()) as { access_token: string }).access_token;
}
