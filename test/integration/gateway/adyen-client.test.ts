import { createServer } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startAdyenSim, type LedgerEntry, type StartedAdyenSim } from '../../../simulators/index.js';
import { AdyenClient } from '../../../gateway/clients/adyen.js';
import type { ChargeRequest, ProviderConnection } from '../../../gateway/clients/provider-client.js';

/** The gateway's Adyen client against the real Adyen-style simulator, over sockets on 127.0.0.1. */

async function sim(options: Parameters<typeof startAdyenSim>[0] = {}): Promise<StartedAdyenSim> {
  const started = await startAdyenSim({ seed: 17, ...options });
  onTestFinished(() => started.close());
  return started;
}

function client(connection: ProviderConnection): AdyenClient {
  const c = new AdyenClient(connection);
  onTestFinished(() => c.close());
  return c;
}

let n = 0;
function request(overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  n++;
  return { orderId: `ord_adyen_${n}`, amount: 2599, currency: 'eur', paymentMethod: 'pm_card_visa', providerKey: `gw-key-${n}`, ...overrides };
}

/** What the simulator's ledger holds for an order, read the way any observer would: GET /__sim/ledger. */
async function ledgerOf(s: StartedAdyenSim, orderId: string): Promise<LedgerEntry[]> {
  const body = (await (await fetch(`${s.url}/__sim/ledger`)).json()) as { entries: LedgerEntry[] };
  return body.entries.filter((e) => e.orderId === orderId);
}

const captures = async (s: StartedAdyenSim, orderId: string) => (await ledgerOf(s, orderId)).filter((e) => e.kind === 'capture');

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('AdyenClient', () => {
  it('charges a visa once, captured at once, under the gateway orderId and providerKey', async () => {
    const s = await sim();
    const req = request();
    const result = await client({ url: s.url }).charge(req);
    expect(result).toMatchObject({ outcome: 'succeeded', providerStatus: 200 });
    const entries = await ledgerOf(s, req.orderId);
    expect(entries.map((e) => e.kind)).toEqual(['authorization', 'capture']);
    for (const e of entries) expect(e).toMatchObject({ orderId: req.orderId, paymentId: result.paymentId, idempotencyKey: req.providerKey, amount: 2599, currency: 'EUR' });
  });

  it('charges once when the same providerKey is sent twice in a row, answering the same payment', async () => {
    const s = await sim();
    const c = client({ url: s.url });
    const req = request();
    const first = await c.charge(req);
    const second = await c.charge(req);
    expect(second).toEqual(first);
    expect(await captures(s, req.orderId)).toHaveLength(1);
  });

  it('charges once when the same providerKey races; a duplicate meeting the first in flight is pending (704), never failed', async () => {
    // 400 ms of processing keeps the first in flight while the others arrive.
    const s = await sim({ profile: { latency: { kind: 'fixed', value: '400ms' } } });
    const c = client({ url: s.url });
    const req = request();
    const results = await Promise.all(Array.from({ length: 6 }, () => c.charge(req)));
    const paid = results.filter((r) => r.outcome === 'succeeded');
    const waiting = results.filter((r) => r.outcome !== 'succeeded');
    // A straggler arriving after the first finished is a replay: succeeded, the same payment.
    expect(paid.length).toBeGreaterThanOrEqual(1);
    expect(new Set(paid.map((r) => r.paymentId)).size).toBe(1);
    expect(waiting.length).toBeGreaterThanOrEqual(1);
    for (const r of waiting) expect(r).toMatchObject({ outcome: 'pending', errorCode: 'outcome_unknown', providerCode: '704' });
    expect(await captures(s, req.orderId)).toHaveLength(1);
    // Once the first is done, a retry with the key is told its result.
    expect(await c.charge(req)).toMatchObject({ outcome: 'succeeded', paymentId: paid[0]?.paymentId });
    expect(await captures(s, req.orderId)).toHaveLength(1);
  });

  it('shortens a providerKey past Adyen’s 64 characters to a stable key, so retries still charge once', async () => {
    const s = await sim();
    const c = client({ url: s.url });
    const req = request({ providerKey: `gw-0123456789abcdef-${'k'.repeat(200)}` });
    const first = await c.charge(req);
    expect(first.outcome).toBe('succeeded');
    expect(await c.charge(req)).toEqual(first);
    const entries = await captures(s, req.orderId);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.idempotencyKey?.length).toBeLessThanOrEqual(64);
  });

  it.each([
    ['pm_card_chargeDeclined', 'card_declined', '2'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds', '12'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', '6'],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', '24'],
    ['pm_card_chargeDeclinedProcessingError', 'provider_error', '4'],
    ['pm_card_authenticationRequired', 'authentication_required', 'RedirectShopper'],
  ])('maps %s to failed %s (Adyen %s) and charges nothing', async (paymentMethod, errorCode, providerCode) => {
    const s = await sim();
    const req = request({ paymentMethod });
    expect(await client({ url: s.url }).charge(req)).toMatchObject({ outcome: 'failed', errorCode, providerCode, providerStatus: 200 });
    expect(await ledgerOf(s, req.orderId)).toEqual([]);
  });

  it.each(['pm_card_mastercard', 'pm_card_unheard_of'])('charges %s as a plain card', async (paymentMethod) => {
    const s = await sim();
    const req = request({ paymentMethod });
    expect((await client({ url: s.url }).charge(req)).outcome).toBe('succeeded');
    expect(await captures(s, req.orderId)).toHaveLength(1);
  });

  it('answers pending, not failed, to 5xx before any work (serverErrors, set with PUT /__sim/behaviour)', async () => {
    const s = await sim();
    const put = await fetch(`${s.url}/__sim/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ serverErrors: { rate: 1, status: 502 } }) });
    expect(put.status).toBe(200);
    const c = client({ url: s.url });
    const req = request();
    expect(await c.charge(req)).toMatchObject({ outcome: 'pending', errorCode: 'provider_error', providerCode: '000', providerStatus: 502 });
    s.behaviour.apply({ serverErrors: { rate: 1, status: 503 } });
    expect(await c.charge(request())).toMatchObject({ outcome: 'pending', errorCode: 'provider_unavailable', providerStatus: 503 });
    expect(await ledgerOf(s, req.orderId)).toEqual([]);
  });

  it('answers pending to charged-then-500 (commitThenError), and the retry with the same key learns it was charged, once', async () => {
    const s = await sim({ profile: { commitThenError: { rate: 1, status: 500 } } });
    const c = client({ url: s.url });
    const req = request();
    expect(await c.charge(req)).toMatchObject({ outcome: 'pending', errorCode: 'provider_error', providerStatus: 500 });
    expect(await captures(s, req.orderId)).toHaveLength(1);
    // Adyen stores the committed result under the key, so the retry it asks for (transient-error) gets it.
    expect(await c.charge(req)).toMatchObject({ outcome: 'succeeded', providerStatus: 200 });
    expect(await captures(s, req.orderId)).toHaveLength(1);
  });

  it('answers pending provider_unavailable when Adyen’s idempotency store is down (503, 703)', async () => {
    const s = await sim({ profile: { idempotencyOutage: { rate: 1 } } });
    const req = request();
    expect(await client({ url: s.url }).charge(req)).toMatchObject({ outcome: 'pending', errorCode: 'provider_unavailable', providerCode: '703', providerStatus: 503 });
    expect(await ledgerOf(s, req.orderId)).toEqual([]);
  });

  it('answers pending outcome_unknown when Adyen does not answer within timeoutMs', async () => {
    const s = await sim({ profile: { latency: { kind: 'fixed', value: '1s' } } });
    const req = request();
    expect(await client({ url: s.url, timeoutMs: 150 }).charge(req)).toMatchObject({ outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'timeout', providerStatus: 0 });
  });

  it('answers failed network_error when the connection is refused: nothing reached Adyen', async () => {
    expect(await client({ url: await closedPortUrl() }).charge(request())).toEqual({ outcome: 'failed', errorCode: 'network_error', providerCode: 'ECONNREFUSED', providerStatus: 0 });
  });

  it('sends the API key and merchant account from the credentials', async () => {
    const s = await sim({ apiKey: 'AQE-test-key' });
    const req = request();
    expect((await client({ url: s.url, credentials: { apiKey: 'AQE-test-key', merchantAccount: 'ShopECOM' } }).charge(req)).outcome).toBe('succeeded');
    expect((await client({ url: s.url }).charge(request())).outcome).toBe('failed');
    expect(await captures(s, req.orderId)).toHaveLength(1);
  });
});
