import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGateway, type BuiltGateway } from '../../../gateway/index.js';
import { AlipayClient, alipayOutTradeNo } from '../../../gateway/clients/index.js';
import type { ChargeRequest, ProviderConnection } from '../../../gateway/clients/index.js';
import { startAlipaySim, type StartedAlipaySim } from '../../../simulators/index.js';

/**
 * Alipay's face-to-face docs: a pay whose result stays unknown after the query window must be
 * cancelled (alipay.trade.cancel, 撤销) — an unpaid trade closed, a paid one refunded — so no money
 * stays with a merchant whose till gave up. Driven against the simulator; its ledger and its
 * trade.query are the judges. The default 30 s window is the negative control: inside it the
 * trade is left waiting and the buyer can still pay.
 */
const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function simWithKeys(seed: number): Promise<{ sim: StartedAlipaySim; credentials: Record<string, unknown> }> {
  const sim = await startAlipaySim({ seed });
  closers.push(() => sim.close());
  const credentials = (await (await fetch(`${sim.url}/__sim/keys`)).json()) as Record<string, unknown>;
  return { sim, credentials };
}
function client(sim: StartedAlipaySim, credentials: Record<string, unknown>, connection: Partial<ProviderConnection>): AlipayClient {
  const c = new AlipayClient({ url: sim.url, credentials, ...connection });
  closers.push(() => c.close());
  return c;
}
const order = (orderId: string): ChargeRequest => ({ orderId, amount: 1234, currency: 'cny', paymentMethod: 'pm_alipay', providerKey: `gw-${orderId}` });
const kinds = (sim: StartedAlipaySim, orderId: string) => sim.ledger.byOrder(alipayOutTradeNo(orderId)).map((e) => [e.kind, e.amount]);
const buyerPays = (sim: StartedAlipaySim, orderId: string) => fetch(`${sim.url}/__sim/buyer/${alipayOutTradeNo(orderId)}?action=pay`, { method: 'POST' });
const ask = (orderId: string) => ({ orderId, providerReference: alipayOutTradeNo(orderId), providerKey: `gw-${orderId}`, amount: 1234, currency: 'cny' });

describe('the Alipay client cancels a pay whose outcome stays unknown after the query window', () => {
  it('cancels a trade still waiting for the buyer: failed order_closed, the trade closed, the buyer can no longer pay', async () => {
    const { sim, credentials } = await simWithKeys(61);
    sim.behaviour.apply({ outcomes: { '10003': 1 } });
    const c = client(sim, credentials, { settleWithinMs: 200, queryWindowMs: 0 });
    const result = await c.charge(order('cx-wait-1'));
    expect(result).toEqual({ outcome: 'failed', errorCode: 'order_closed', providerCode: 'cancel_close', paymentId: expect.stringMatching(/^\d{28}$/), providerStatus: 200 });
    sim.behaviour.apply({});
    expect((await buyerPays(sim, 'cx-wait-1')).status).toBe(409);
    await expect(c.query(ask('cx-wait-1'))).resolves.toMatchObject({ kind: 'final', result: { outcome: 'failed', providerCode: 'TRADE_CLOSED' } });
    expect(kinds(sim, 'cx-wait-1')).toEqual([]);
  });

  it('negative control: inside the window the trade is left waiting, pending, and the buyer can still pay it', async () => {
    const { sim, credentials } = await simWithKeys(62);
    sim.behaviour.apply({ outcomes: { '10003': 1 } });
    const c = client(sim, credentials, { settleWithinMs: 200 });
    expect(await c.charge(order('cx-wait-2'))).toMatchObject({ outcome: 'pending', providerCode: 'WAIT_BUYER_PAY' });
    await expect(c.query(ask('cx-wait-2'))).resolves.toMatchObject({ kind: 'waiting' });
    expect((await buyerPays(sim, 'cx-wait-2')).status).toBe(200);
    await expect(c.query(ask('cx-wait-2'))).resolves.toMatchObject({ kind: 'final', result: { outcome: 'succeeded' } });
    expect(kinds(sim, 'cx-wait-2')).toEqual([['authorization', 1234], ['capture', 1234]]);
  });

  it('cancels a trade paid behind an answer it never read: refunded in full, so no money is kept', async () => {
    const { sim, credentials } = await simWithKeys(63);
    // The load balancer in front of Alipay: it forwards pay and cancel, but answers the pay with a
    // 502 after Alipay took it ("charged, then 502"), and every trade.query with a 502 unsent.
    const lb = await frontWith(sim.url, (method) => (method === 'alipay.trade.query' ? 'refuse' : method === 'alipay.trade.pay' ? 'lose-answer' : 'pass'));
    const c = new AlipayClient({ url: lb, credentials, settleWithinMs: 200, queryWindowMs: 0 });
    closers.push(() => c.close());
    const result = await c.charge(order('cx-paid-1'));
    expect(result).toEqual({ outcome: 'failed', errorCode: 'order_closed', providerCode: 'cancel_refund', paymentId: expect.stringMatching(/^\d{28}$/), providerStatus: 200 });
    expect(kinds(sim, 'cx-paid-1')).toEqual([['authorization', 1234], ['capture', 1234], ['refund', 1234]]);
  });

  it('leaves an unverifiable answer alone: no cancel is sent, the payment stays pending', async () => {
    const { sim, credentials } = await simWithKeys(64);
    const { generateKeyPairSync } = await import('node:crypto');
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const c = client(sim, { ...credentials, alipayPublicKey: stranger }, { settleWithinMs: 100, queryWindowMs: 0 });
    expect(await c.charge(order('cx-stranger-1'))).toMatchObject({ outcome: 'pending', providerCode: 'bad_signature' });
    await expect(c.query(ask('cx-stranger-1'))).resolves.toMatchObject({ kind: 'unknown' });
    expect(kinds(sim, 'cx-stranger-1')).toEqual([['authorization', 1234], ['capture', 1234]]);
  });
});

describe('the gateway, when an Alipay pay stays unknown past the query window', () => {
  const body = (orderId: string) => ({ orderId, amount: 1000, currency: 'CNY', paymentMethod: 'pm_alipay', provider: 'alipay' });
  const pay = (gw: BuiltGateway, key: string, orderId: string) => gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': key }, payload: body(orderId) });

  it('answers 202 pending at first, then the recovery loop cancels the trade and records the payment failed order_closed', async () => {
    const { sim, credentials } = await simWithKeys(65);
    sim.behaviour.apply({ outcomes: { '10003': 1 } });
    const gw = buildGateway({ providers: { alipay: { url: sim.url, credentials, settleWithinMs: 100, queryWindowMs: 600 } }, recovery: { intervalMs: 100, absentAfterMs: 20_000 } });
    closers.push(() => gw.close());
    const first = await pay(gw, 'k-cx-1', 'GW-CX-1');
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ status: 'pending', providerCode: 'WAIT_BUYER_PAY' });

    const deadline = Date.now() + 5_000;
    let payment: Record<string, unknown> = {};
    while (Date.now() < deadline) {
      payment = (await gw.app.inject({ method: 'GET', url: '/payments?orderId=GW-CX-1' })).json();
      if (payment.status !== 'pending') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(payment).toMatchObject({ status: 'failed', errorCode: 'order_closed', providerCode: 'cancel_close' });
    sim.behaviour.apply({});
    expect((await buyerPays(sim, 'GW-CX-1')).status).toBe(409);
    expect(kinds(sim, 'GW-CX-1')).toEqual([]);
  });
});

/** An HTTP front for gateway.do that, per Alipay method, passes the call, refuses it (502 unsent), or sends it and answers 502. */
async function frontWith(target: string, rule: (method: string | null) => 'pass' | 'refuse' | 'lose-answer'): Promise<string> {
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const action = rule(new URLSearchParams(body).get('method'));
    if (action === 'refuse') return void res.writeHead(502).end('<html>502 Bad Gateway</html>');
    const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers: { 'content-type': String(req.headers['content-type']) }, body });
    const text = await upstream.text();
    if (action === 'lose-answer') return void res.writeHead(502).end('<html>502 Bad Gateway</html>');
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
