import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { checkNoDoubleCharge } from '../../../src/analysis/index.js';
import { isPaychaosError } from '../../../src/kernel/index.js';
import { supervisedProcesses } from '../../../src/stack/index.js';
import { LocalWalletClient } from '../../../gateway/clients/localwallet.js';
import type { ChargeRequest, ProviderConnection } from '../../../gateway/clients/index.js';
import { markWireMockJournal, startSimulator, wiremockLedger, type StartedWireMockSimulator } from '../../../simulators/index.js';

/** One real WireMock (java -jar) for the file, serving the bundled localwallet stubs. */
const PROVIDER = 'wiremock:localwallet';
let sim: StartedWireMockSimulator;
const clients: LocalWalletClient[] = [];

beforeAll(async () => {
  sim = (await startSimulator(PROVIDER, { processes: supervisedProcesses })) as StartedWireMockSimulator;
}, 30_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sim?.close();
});

const client = (connection: Partial<ProviderConnection> = {}): LocalWalletClient => {
  const c = new LocalWalletClient(PROVIDER, { url: sim.url, timeoutMs: 2000, ...connection });
  clients.push(c);
  return c;
};
let n = 0;
const order = (overrides: Partial<ChargeRequest> = {}): ChargeRequest => ({ orderId: `ord_lw_${++n}_${Date.now()}`, amount: 1250, currency: 'sgd', paymentMethod: 'pm_wallet', providerKey: `k${n}`, ...overrides });

/** Requests the journal holds for one path and method. */
async function served(method: string, path: string): Promise<number> {
  const body = (await (await request(`${sim.adminUrl}/requests`)).body.json()) as { requests: { request: { method: string; url: string } }[] };
  return body.requests.filter((e) => e.request.method === method && e.request.url === path).length;
}

/** A stub added for one test (WireMock serves it before the bundled ones), removed after it. */
async function withStub<T>(req: Record<string, unknown>, res: Record<string, unknown>, features: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  const stub = await sim.wiremock.client.register(req as never, res as never, { stubPriority: 1, ...features } as never);
  try {
    return await fn();
  } finally {
    await sim.wiremock.client.deleteMapping(stub.id);
  }
}

describe('LocalWalletClient against the localwallet stubs', () => {
  it('creates a charge for the order and polls it from PENDING to succeeded', async () => {
    const req = order();
    const result = await client().charge(req);
    expect(result).toMatchObject({ outcome: 'succeeded', providerStatus: 200 });
    expect(result.paymentId).toMatch(/^ch_[A-Za-z0-9]{16}$/);
    // The stubs answer the first poll PENDING and the next SUCCEEDED: it took at least two.
    expect(await served('GET', `/v1/charges/${result.paymentId}`)).toBeGreaterThanOrEqual(2);
  });

  it.each([
    [5100, 'insufficient_funds', 'INSUFFICIENT_BALANCE'],
    [5900, 'fraud_suspected', 'RISK_REJECTED'],
  ] as const)('normalises a decline of amount %i to %s', async (amount, errorCode, providerCode) => {
    expect(await client().charge(order({ amount }))).toEqual({ outcome: 'failed', errorCode, providerCode, providerStatus: 402 });
  });

  it('fails with invalid_request when the wallet refuses our API key', async () => {
    expect(await client({ credentials: { apiKey: 'sk_live_not_ours' } }).charge(order())).toEqual({ outcome: 'failed', errorCode: 'invalid_request', providerCode: 'UNAUTHORIZED', providerStatus: 401 });
  });

  it('fails with network_error when nothing listens at the wallet URL', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    expect(await client({ url: `http://127.0.0.1:${closed}` }).charge(order())).toMatchObject({ outcome: 'failed', errorCode: 'network_error', providerCode: 'ECONNREFUSED', providerStatus: 0 });
  });

  it('answers pending (PENDING) once settleWithinMs elapses with the shopper still deciding', async () => {
    // The shopper never approves: every poll sees PENDING.
    await withStub({ method: 'GET', endpoint: '/v1/charges/ch_[A-Za-z0-9]+' }, { status: 200, body: { status: 'PENDING' } }, { requestEndpointFeature: 'urlPathPattern' }, async () => {
      const started = performance.now();
      const result = await client({ settleWithinMs: 400 }).charge(order());
      const elapsed = performance.now() - started;
      expect(result).toMatchObject({ outcome: 'pending', providerCode: 'PENDING', providerStatus: 200 });
      expect(result.errorCode).toBeUndefined();
      // Tolerance: the create call before the deadline starts, and the last poll's 200 ms grace.
      expect(elapsed).toBeGreaterThanOrEqual(400);
      expect(elapsed).toBeLessThan(400 + 200 + 400);
      expect(await served('GET', `/v1/charges/${result.paymentId}`)).toBeGreaterThanOrEqual(3);
    });
  });

  it('reads a reset create as outcome unknown and a 429 as rate_limited', async () => {
    const reset = await withStub({ method: 'POST', endpoint: '/v1/charges', body: '$[?(@.amount == 7001)]' }, { status: 500 }, { requestBodyFeature: 'matchesJsonPath', fault: 'CONNECTION_RESET_BY_PEER' }, () => client().charge(order({ amount: 7001 })));
    expect(reset).toEqual({ outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'ECONNRESET', providerStatus: 0 });
    const limited = await withStub({ method: 'POST', endpoint: '/v1/charges', body: '$[?(@.amount == 7002)]' }, { status: 429, body: { error: { code: 'RATE_LIMITED' } } }, { requestBodyFeature: 'matchesJsonPath' }, () => client().charge(order({ amount: 7002 })));
    expect(limited).toEqual({ outcome: 'failed', errorCode: 'rate_limited', providerCode: 'RATE_LIMITED', providerStatus: 429 });
  });
});

describe('wiremockLedger: the ledger rebuilt from the journal', () => {
  it('holds one authorization and one capture per created charge, joined on the reference, and shows a second create for an order as a double charge', async () => {
    const mark = await markWireMockJournal(sim.adminUrl);
    const single = order({ amount: 1500 });
    const twice = order({ amount: 2500, currency: 'php' });
    const a = await client({ settleWithinMs: 0 }).charge(single);
    await client().charge(order({ amount: 5100 }));
    // The wallet has no idempotency key: two creates for one order are two charges.
    const b1 = await client({ settleWithinMs: 0 }).charge(twice);
    const b2 = await client({ settleWithinMs: 0 }).charge({ ...twice, providerKey: 'another-key' });

    const rows = await wiremockLedger(sim.adminUrl, PROVIDER, { since: mark });
    expect(rows.map((r) => [r.kind, r.orderId, r.paymentId, r.amount, r.currency])).toEqual([
      ['authorization', single.orderId, a.paymentId, 1500, 'sgd'],
      ['capture', single.orderId, a.paymentId, 1500, 'sgd'],
      ['authorization', twice.orderId, b1.paymentId, 2500, 'php'],
      ['capture', twice.orderId, b1.paymentId, 2500, 'php'],
      ['authorization', twice.orderId, b2.paymentId, 2500, 'php'],
      ['capture', twice.orderId, b2.paymentId, 2500, 'php'],
    ]);
    expect(rows.every((r) => r.provider === PROVIDER && r.idempotencyKey === undefined)).toBe(true);

    const verdict = checkNoDoubleCharge(rows);
    expect(verdict.checked).toBe(2);
    expect(verdict.violations).toEqual([expect.objectContaining({ orderId: twice.orderId, provider: PROVIDER, paymentIds: [b1.paymentId, b2.paymentId] })]);
  });

  it('throws rather than return a partial ledger when the journal lost the start of the run', async () => {
    const mark = await markWireMockJournal(sim.adminUrl);
    await client({ settleWithinMs: 0 }).charge(order());
    await sim.wiremock.client.clearAllRequests();
    const err = await wiremockLedger(sim.adminUrl, PROVIDER, { since: mark }).catch((e: unknown) => e);
    expect(isPaychaosError(err, 'PAYCHAOS_ERR_WIREMOCK_JOURNAL_INCOMPLETE')).toBe(true);
    expect((err as { details: { reason: string } }).details.reason).toBe('mark-missing');
  });
});
