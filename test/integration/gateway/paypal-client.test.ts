import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startPaypalSim, type LedgerEntry, type PaypalSimOptions, type StartedPaypalSim } from '../../../simulators/index.js';
import type { ChargeRequest, ProviderConnection } from '../../../gateway/clients/provider-client.js';
import { PaypalClient } from '../../../gateway/clients/paypal.js';

/** The gateway's PayPal client against the real PayPal simulator, over sockets on 127.0.0.1. */

async function sim(options: PaypalSimOptions = {}): Promise<StartedPaypalSim> {
  const started = await startPaypalSim({ seed: 23, autoApprove: true, ...options });
  onTestFinished(() => started.close());
  return started;
}

/** A connection as the gateway builds it: the credentials the simulator lists at GET /__sim/keys. */
async function connectionTo(s: StartedPaypalSim, url = s.url, extra: Partial<ProviderConnection> = {}): Promise<ProviderConnection> {
  const keys = (await (await fetch(`${s.url}/__sim/keys`)).json()) as { clientId: string; clientSecret: string };
  return { url, credentials: { clientId: keys.clientId, clientSecret: keys.clientSecret }, ...extra };
}

function client(connection: ProviderConnection): PaypalClient {
  const c = new PaypalClient(connection);
  onTestFinished(() => c.close());
  return c;
}

let n = 0;
function request(overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  n++;
  return { orderId: `ord_paypal_${n}`, amount: 4250, currency: 'usd', paymentMethod: 'pm_paypal', providerKey: `gw-key-${n}`, ...overrides };
}

async function ledgerOf(s: StartedPaypalSim, orderId: string): Promise<LedgerEntry[]> {
  const body = (await (await fetch(`${s.url}/__sim/ledger`)).json()) as { entries: LedgerEntry[] };
  return body.entries.filter((e) => e.orderId === orderId);
}

const captures = async (s: StartedPaypalSim, orderId: string) => (await ledgerOf(s, orderId)).filter((e) => e.kind === 'capture');

/**
 * A pass-through in front of the simulator that records each call (`METHOD path`) and can answer a
 * capture with a 500 after forwarding it — the capture is made, the answer lost — which no
 * behaviour profile can aim at one call of the two.
 */
async function recordingProxy(target: string) {
  const calls: string[] = [];
  const state = { failCaptureAfterForwarding: false };
  const server = createHttpServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    calls.push(`${req.method} ${req.url}`);
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'paypal-request-id', 'prefer']) if (typeof req.headers[name] === 'string') headers[name] = req.headers[name];
    const upstream = await fetch(`${target}${req.url}`, { method: req.method ?? 'GET', headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) });
    const text = await upstream.text();
    if (state.failCaptureAfterForwarding && req.url?.endsWith('/capture')) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'INTERNAL_SERVER_ERROR', message: 'An internal server error has occurred.', details: [{ issue: 'INTERNAL_SERVER_ERROR' }] }));
      return;
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, calls, state };
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('PaypalClient, shopper approving at once (autoApprove)', () => {
  it('creates, captures and charges once, with the gateway orderId as the ledger orderId', async () => {
    const s = await sim();
    const req = request();
    const result = await client(await connectionTo(s)).charge(req);
    expect(result).toMatchObject({ outcome: 'succeeded', providerStatus: 201 });
    const entries = await ledgerOf(s, req.orderId);
    expect(entries.map((e) => e.kind)).toEqual(['authorization', 'capture']);
    for (const e of entries) expect(e).toMatchObject({ orderId: req.orderId, paymentId: result.paymentId, amount: 4250, currency: 'USD' });
  });

  it('sends amounts in the currency’s own exponent (JPY has none)', async () => {
    const s = await sim();
    const req = request({ amount: 500, currency: 'jpy' });
    expect((await client(await connectionTo(s)).charge(req)).outcome).toBe('succeeded');
    expect(await captures(s, req.orderId)).toMatchObject([{ amount: 500, currency: 'JPY' }]);
  });

  it('charges once when the same providerKey is sent twice in a row, with one token for both', async () => {
    const s = await sim();
    const proxy = await recordingProxy(s.url);
    const c = client(await connectionTo(s, proxy.url));
    const req = request();
    const first = await c.charge(req);
    expect(first.outcome).toBe('succeeded');
    expect(await c.charge(req)).toEqual(first);
    expect(await captures(s, req.orderId)).toHaveLength(1);
    expect(proxy.calls.filter((call) => call === 'POST /v1/oauth2/token')).toHaveLength(1);
  });

  it('charges once when the same providerKey races: every duplicate waits for and gets the first answer', async () => {
    const s = await sim({ profile: { latency: { kind: 'fixed', value: '150ms' } } });
    const c = client(await connectionTo(s));
    const req = request();
    const results = await Promise.all(Array.from({ length: 6 }, () => c.charge(req)));
    expect(results.every((r) => r.outcome === 'succeeded')).toBe(true);
    expect(new Set(results.map((r) => r.paymentId)).size).toBe(1);
    expect(await captures(s, req.orderId)).toHaveLength(1);
  });

  it.each([
    ['INSTRUMENT_DECLINED', 'card_declined'],
    ['CARD_EXPIRED', 'expired_card'],
    ['PAYER_ACTION_REQUIRED', 'authentication_required'],
    ['MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED', 'limit_exceeded'],
  ])('maps a capture refused with %s to failed %s and charges nothing', async (issue, errorCode) => {
    const s = await sim({ profile: { outcomes: { [issue]: 1 } } });
    const req = request();
    expect(await client(await connectionTo(s)).charge(req)).toMatchObject({ outcome: 'failed', errorCode, providerCode: issue, providerStatus: 422 });
    expect(await ledgerOf(s, req.orderId)).toEqual([]);
  });

  it('answers pending, not failed, when the capture is made but its answer is a 500; the retry with the same key learns it was charged, once', async () => {
    const s = await sim();
    const proxy = await recordingProxy(s.url);
    const c = client(await connectionTo(s, proxy.url));
    const req = request();
    proxy.state.failCaptureAfterForwarding = true;
    expect(await c.charge(req)).toMatchObject({ outcome: 'pending', errorCode: 'provider_error', providerCode: 'INTERNAL_SERVER_ERROR', providerStatus: 500 });
    expect(await captures(s, req.orderId)).toHaveLength(1);
    proxy.state.failCaptureAfterForwarding = false;
    expect(await c.charge(req)).toMatchObject({ outcome: 'succeeded', providerStatus: 201 });
    expect(await captures(s, req.orderId)).toHaveLength(1);
  });

  it('answers pending, not failed, to a 500 from the capture itself (profile outcome INTERNAL_SERVER_ERROR)', async () => {
    // The profile's outcomes act on captures only, so the token and the create go through.
    const s = await sim({ profile: { outcomes: { INTERNAL_SERVER_ERROR: 1 } } });
    const c = client(await connectionTo(s));
    const req = request();
    expect(await c.charge(req)).toMatchObject({ outcome: 'pending', errorCode: 'provider_error', providerCode: 'INTERNAL_SERVER_ERROR', providerStatus: 500 });
    expect(await ledgerOf(s, req.orderId)).toEqual([]);
    // A 5xx is not stored under the request id: once PayPal recovers, the retry captures, once.
    s.behaviour.apply({});
    expect((await c.charge(req)).outcome).toBe('succeeded');
    expect(await captures(s, req.orderId)).toHaveLength(1);
  });

  it('fails, with nothing charged, when a 5xx comes before the capture (serverErrors, commitThenError on create): an order is not a payment', async () => {
    const s = await sim();
    const c = client(await connectionTo(s));
    expect((await c.charge(request())).outcome).toBe('succeeded'); // the token is cached from here on
    const put = await fetch(`${s.url}/__sim/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ serverErrors: { rate: 1, status: 503 } }) });
    expect(put.status).toBe(200);
    const down = request();
    expect(await c.charge(down)).toMatchObject({ outcome: 'failed', errorCode: 'provider_unavailable', providerStatus: 503 });
    s.behaviour.apply({ commitThenError: { rate: 1, status: 500 } });
    const lost = request();
    expect(await c.charge(lost)).toMatchObject({ outcome: 'failed', errorCode: 'provider_error', providerStatus: 500 });
    expect([...(await ledgerOf(s, down.orderId)), ...(await ledgerOf(s, lost.orderId))]).toEqual([]);
    // PayPal stored the created order under the request id, so the retry uses it and charges once.
    s.behaviour.apply({});
    expect((await c.charge(lost)).outcome).toBe('succeeded');
    expect(await captures(s, lost.orderId)).toHaveLength(1);
  });

  it('answers failed network_error when the connection is refused: nothing reached PayPal', async () => {
    expect(await client({ url: await closedPortUrl() }).charge(request())).toEqual({ outcome: 'failed', errorCode: 'network_error', providerCode: 'ECONNREFUSED', providerStatus: 0 });
  });

  it('recovers from a 401 (the token expired at PayPal) by fetching one new token, once', async () => {
    let skewMs = 0;
    const s = await sim({ now: () => new Date(Date.now() + skewMs) });
    const proxy = await recordingProxy(s.url);
    const c = client(await connectionTo(s, proxy.url));
    expect((await c.charge(request())).outcome).toBe('succeeded');
    // PayPal's clock passes the token's 32,400 s; the client's cache still holds it.
    skewMs = 10 * 60 * 60 * 1000;
    const req = request();
    expect(await c.charge(req)).toMatchObject({ outcome: 'succeeded' });
    expect(await captures(s, req.orderId)).toHaveLength(1);
    expect(proxy.calls.filter((call) => call === 'POST /v1/oauth2/token')).toHaveLength(2);
  });

  it('fails invalid_request, with nothing charged, when PayPal refuses the client credentials', async () => {
    const s = await sim();
    const req = request();
    expect(await client({ url: s.url, credentials: { clientId: 'nobody', clientSecret: 'wrong' } }).charge(req)).toMatchObject({ outcome: 'failed', errorCode: 'invalid_request', providerCode: 'invalid_client', providerStatus: 401 });
    expect(await ledgerOf(s, req.orderId)).toEqual([]);
  });
});

describe('PaypalClient, shopper approving in the PayPal app (no autoApprove)', () => {
  it('answers pending PAYER_ACTION_REQUIRED after settleWithinMs when the shopper has not approved, and charges nothing', async () => {
    const s = await sim({ autoApprove: false });
    const req = request();
    const started = performance.now();
    const result = await client(await connectionTo(s, s.url, { settleWithinMs: 300 })).charge(req);
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ outcome: 'pending', providerCode: 'PAYER_ACTION_REQUIRED', providerStatus: 200 });
    expect(result.paymentId).toBeDefined();
    // Waited the settle time (timer tolerance 20 ms), and not much more (a poll is 100 ms).
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(2_000);
    expect(await ledgerOf(s, req.orderId)).toEqual([]);
  });

  it('captures once when the shopper approves while the gateway waits', async () => {
    const s = await sim({ autoApprove: false });
    const proxy = await recordingProxy(s.url);
    const req = request();
    const charging = client(await connectionTo(s, proxy.url, { settleWithinMs: 5_000 })).charge(req);
    // The shopper taps approve once the gateway is looking at the order (within 4 s; the gateway waits 5).
    let look: string | undefined;
    for (let i = 0; i < 200 && look === undefined; i++, await sleep(20)) look = proxy.calls.find((call) => call.startsWith('GET /v2/checkout/orders/'));
    expect(look).toBeDefined();
    const orderId = look!.slice('GET /v2/checkout/orders/'.length);
    expect((await fetch(`${s.url}/__sim/approve/${orderId}`, { method: 'POST' })).status).toBe(200);
    expect(await charging).toMatchObject({ outcome: 'succeeded', paymentId: orderId });
    expect(await captures(s, req.orderId)).toHaveLength(1);
  });

  it('captures once when the shopper approves after the pending answer and the gateway retries with the same key', async () => {
    const s = await sim({ autoApprove: false });
    const c = client(await connectionTo(s, s.url, { settleWithinMs: 0 }));
    const req = request();
    const waiting = await c.charge(req);
    expect(waiting).toMatchObject({ outcome: 'pending', providerCode: 'PAYER_ACTION_REQUIRED' });
    expect((await fetch(`${s.url}/__sim/approve/${waiting.paymentId}`, { method: 'POST' })).status).toBe(200);
    // The create answer is replayed (still CREATED); the client looks at the order itself.
    expect(await c.charge(req)).toMatchObject({ outcome: 'succeeded', paymentId: waiting.paymentId });
    expect(await c.charge(req)).toMatchObject({ outcome: 'succeeded', paymentId: waiting.paymentId });
    expect(await captures(s, req.orderId)).toHaveLength(1);
  });
});
