import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildGateway, type BuiltGateway, type GatewayOptions } from '../../../gateway/index.js';
import { startStripeSim } from '../../../simulators/index.js';
import { cancelRequest as cancel, captureRequest as capture, expectCaptureCancelRace, movedAt } from '../../helpers/lifecycle-requests.js';

/**
 * POST /payments/{id}/capture through the gateway against the real Stripe simulator: its ledger
 * judges what moved at the provider, the gateway's ledger what it booked.
 */
let stripe: Awaited<ReturnType<typeof startStripeSim>>;
beforeAll(async () => {
  stripe = await startStripeSim({ seed: 1501 });
});
afterAll(async () => {
  await stripe?.close();
});

function gateway(extra: Partial<GatewayOptions> = {}, url = stripe.url): BuiltGateway {
  const gw = buildGateway({ providers: { stripe: { url } }, recovery: { intervalMs: 3_600_000 }, ...extra });
  onTestFinished(() => gw.close());
  return gw;
}

let n = 0;
async function held(gw: BuiltGateway, extra: Record<string, unknown> = { capture: 'manual' }) {
  const orderId = `cp_${process.pid}_${++n}`;
  const res = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': `k-${orderId}` }, payload: { orderId, amount: 1500, currency: 'eur', paymentMethod: 'pm_card_visa', ...extra } });
  return res.json() as { paymentId: string; orderId: string; status: string; provider: string };
}
const moved = (orderId: string, kind: string) => movedAt(stripe, orderId, kind);

describe('capture of a held authorisation', () => {
  it('captures the whole hold once at Stripe and books it like a captured payment; a replay answers the same; the books balance and a refund follows', async () => {
    const gw = gateway();
    const p = await held(gw);
    expect(p.status).toBe('pending');
    const first = await capture(gw, p.paymentId, 'c1');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ status: 'succeeded', paymentStatus: 'succeeded', amount: 1500, captured: 1500, provider: 'stripe' });
    const again = await capture(gw, p.paymentId, 'c1');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(moved(p.orderId, 'capture')).toEqual([1500]);
    expect(gw.store.ledger.captured(p.paymentId)).toBe(1500);
    expect(gw.store.ledger.unbalancedEntries()).toEqual([]);
    const ledger = (await gw.app.inject({ method: 'GET', url: '/ledger' })).json() as { entries: Array<{ paymentId: string; kind: string; amount: number }> };
    expect(ledger.entries.filter((e) => e.paymentId === p.paymentId && e.kind === 'capture').map((e) => e.amount)).toEqual([1500]);
    // Captured: a second capture under a new key is refused before the provider; a cancel too; a refund works.
    const twice = await capture(gw, p.paymentId, 'c2');
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('PAYCHAOS_ERR_GATEWAY_NOT_HELD');
    expect((await cancel(gw, p.paymentId, 'x1')).statusCode).toBe(409);
    expect((await gw.app.inject({ method: 'POST', url: `/payments/${p.paymentId}/refunds`, headers: { 'idempotency-key': 'r1' }, payload: {} })).json()).toMatchObject({ status: 'succeeded', amount: 1500 });
    expect(moved(p.orderId, 'capture')).toEqual([1500]);
  });

  it('captures part of the hold: the books and the refundable amount follow what was captured, not what was held', async () => {
    const gw = gateway();
    const p = await held(gw);
    const res = await capture(gw, p.paymentId, 'c1', { amount: 600 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ amount: 600, captured: 600 });
    expect(moved(p.orderId, 'capture')).toEqual([600]);
    expect(gw.store.ledger.captured(p.paymentId)).toBe(600);
    const over = await gw.app.inject({ method: 'POST', url: `/payments/${p.paymentId}/refunds`, headers: { 'idempotency-key': 'r1' }, payload: { amount: 601 } });
    expect(over.statusCode).toBe(422);
  });

  it('refuses bad input before the provider hears of it, each with a coded error naming the field or the state', async () => {
    const gw = gateway();
    const p = await held(gw);
    const over = await capture(gw, p.paymentId, 'c1', { amount: 1501 });
    expect(over.statusCode).toBe(422);
    expect(over.json().error).toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_CAPTURE_OVER_HOLD', message: expect.stringMatching(/^amount: 1501 is more than the 1500 held/) });
    const zero = await capture(gw, p.paymentId, 'c2', { amount: 0 });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().error.message).toMatch(/^amount: expected a positive integer/);
    expect((await capture(gw, p.paymentId, 'c3', { amount: '10' })).statusCode).toBe(400);
    const nokey = await capture(gw, p.paymentId, undefined);
    expect(nokey.statusCode).toBe(400);
    expect(nokey.json().error.message).toMatch(/Idempotency-Key is required/);
    expect((await capture(gw, 'pay_nobody', 'c4')).statusCode).toBe(404);
    expect(moved(p.orderId, 'capture')).toEqual([]);
    // Captured at once: nothing held.
    const paid = await held(gw, {});
    const notHeld = await capture(gw, paid.paymentId, 'c5');
    expect(notHeld.statusCode).toBe(409);
    expect(notHeld.json().error.code).toBe('PAYCHAOS_ERR_GATEWAY_NOT_HELD');
    // Voided: nothing held any more.
    expect((await cancel(gw, p.paymentId, 'x1')).statusCode).toBe(201);
    const voided = await capture(gw, p.paymentId, 'c6');
    expect(voided.statusCode).toBe(409);
    expect(voided.json().error.code).toBe('PAYCHAOS_ERR_GATEWAY_NOT_HELD');
    expect(moved(p.orderId, 'capture')).toEqual([]);
  });

  it('a capture and a cancel sent at the same instant end in one state, and the answers agree with what Stripe did', async () => {
    const gw = gateway();
    for (let i = 0; i < 10; i++) await expectCaptureCancelRace(gw, await held(gw), i, 1500, moved);
  });

  it('with regression raceBlind a cancel racing a capture is answered succeeded though Stripe captured (the negative control)', async () => {
    const gw = gateway({ regression: { raceBlind: true } });
    const p = await held(gw);
    const [c, x] = await Promise.all([capture(gw, p.paymentId, 'c1'), cancel(gw, p.paymentId, 'x1')]);
    expect(c.statusCode).toBe(201);
    expect(x.statusCode).toBe(201);
    expect(x.json()).toMatchObject({ status: 'succeeded' });
    expect(moved(p.orderId, 'capture')).toEqual([1500]);
    expect(moved(p.orderId, 'void')).toEqual([]);
  });

  it('a capture answered 500 after Stripe committed it is resumed by a status query, never sent again: captured once, booked once', async () => {
    // A proxy in front of the simulator that lets the first capture through, then answers 500 in its place.
    let captures = 0;
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const isCapture = req.method === 'POST' && /\/capture$/.test(req.url ?? '');
        if (isCapture) captures += 1;
        const upstream = await fetch(`${stripe.url}${req.url}`, { method: req.method, headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length').map(([k, v]) => [k, String(v)])), ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}) });
        const text = await upstream.text();
        if (isCapture && captures === 1) {
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { type: 'api_error', message: 'lost' } }));
          return;
        }
        res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
    const gw = gateway({}, `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
    const p = await held(gw);
    const lost = await capture(gw, p.paymentId, 'c1');
    expect(lost.statusCode).toBe(502);
    expect(gw.store.ledger.captured(p.paymentId)).toBe(0);
    const resumed = await capture(gw, p.paymentId, 'c1');
    expect(resumed.statusCode).toBe(201);
    expect(resumed.json()).toMatchObject({ status: 'succeeded', captured: 1500 });
    expect(captures).toBe(1);
    expect(moved(p.orderId, 'capture')).toEqual([1500]);
    expect(gw.store.ledger.captured(p.paymentId)).toBe(1500);
  });
});
