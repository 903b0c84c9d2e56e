import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveStubsDir, startWireMock, type StartedWireMock } from '../../../../simulators/wiremock/index.js';
import { supervisedProcesses } from '../../../../src/stack/index.js';
import { startReceiver } from '../receiver.js';

/** A real WireMock (java -jar), started once for the file, serving the bundled localwallet stubs. */
let wm: StartedWireMock;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const AUTH = { authorization: 'Bearer sk_test_paychaos', 'content-type': 'application/json' };

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 200, body: 'ok' }));
  wm = await startWireMock({ stubsDir: resolveStubsDir('localwallet'), readyTimeoutMs: 30_000, processes: supervisedProcesses });
}, 45_000);
afterAll(async () => {
  await wm?.close();
  await receiver?.close();
});

const charge = (body: Record<string, unknown>, headers: Record<string, string> = AUTH) =>
  fetch(`${wm.url}/v1/charges`, { method: 'POST', headers, body: JSON.stringify({ reference: 'ord_w1', amount: 1250, currency: 'SGD', callbackUrl: receiver.url, ...body }) });

describe('WireMock serving the localwallet example', () => {
  it('listens on 127.0.0.1 with every stub file registered', async () => {
    expect(wm.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(wm.stubs.length).toBe(14);
    // Plus the /__sim/health route every simulator answers.
    expect(await wm.client.getAllMappings()).toHaveLength(15);
    expect(await (await fetch(`${wm.url}/__sim/health`)).json()).toEqual({ ok: true, provider: 'wiremock' });
  });

  it('serves a stub written in WireMock\'s own mapping format', async () => {
    const res = await fetch(`${wm.url}/v1/status`);
    expect([res.status, await res.json()]).toEqual([200, { status: 'UP', region: 'sg' }]);
  });

  it('answers a poll for a charge it never created with 404, before any charge exists', async () => {
    const res = await fetch(`${wm.url}/v1/charges/ch_nosuchcharge000`, { headers: AUTH });
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([404, 'CHARGE_NOT_FOUND']);
  });

  it('creates a charge from a templated stub, walks the scenario PENDING → SUCCEEDED, refunds once, and sends the webhook', async () => {
    const res = await charge({});
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; status: string; amount: number; reference: string };
    expect(created).toMatchObject({ status: 'PENDING', amount: 1250, reference: 'ord_w1' });
    expect(created.id).toMatch(/^ch_[A-Za-z0-9]{16}$/);
    const poll = async () => ((await (await fetch(`${wm.url}/v1/charges/${created.id}`, { headers: AUTH })).json()) as { status: string }).status;
    expect(await poll()).toBe('PENDING');
    expect(await poll()).toBe('SUCCEEDED');
    const refund = () => fetch(`${wm.url}/v1/charges/${created.id}/refunds`, { method: 'POST', headers: AUTH, body: JSON.stringify({ amount: 250 }) });
    const first = await refund();
    expect([first.status, ((await first.json()) as { amount: number }).amount]).toEqual([201, 250]);
    expect((await refund()).status).toBe(409);
    expect(await poll()).toBe('REFUNDED');
    await receiver.waitFor(1);
    expect(JSON.parse(receiver.received[0]!.body)).toEqual({ type: 'charge.succeeded', reference: 'ord_w1', amount: 1250, currency: 'SGD' });
    expect(receiver.received[0]!.headers['x-wallet-event']).toBe('charge.succeeded');
  });

  it('declines the trigger amounts, refuses a missing API key, and injects the header-triggered faults', async () => {
    const declined = await charge({ amount: 5100 });
    expect([declined.status, ((await declined.json()) as { error: { code: string } }).error.code]).toEqual([402, 'INSUFFICIENT_BALANCE']);
    expect((await charge({}, { 'content-type': 'application/json' })).status).toBe(401);
    // Every call needs the key, the trigger amounts and the polls included.
    expect((await charge({ amount: 5100 }, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await fetch(`${wm.url}/v1/charges/ch_anything00000000`)).status).toBe(401);
    // A fault header outranks a trigger amount.
    expect((await charge({ amount: 5900 }, { ...AUTH, 'x-paychaos-fault': 'rate-limit' })).status).toBe(429);
    const limited = await charge({}, { ...AUTH, 'x-paychaos-fault': 'rate-limit' });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
    await expect(charge({}, { ...AUTH, 'x-paychaos-fault': 'reset' })).rejects.toThrow();
  });

  // Last, on the file's one instance (close is idempotent, afterAll calls it again).
  it('stops the JVM on close, leaving no process and a free port', async () => {
    const pid = wm.pid!;
    expect(() => process.kill(pid, 0)).not.toThrow();
    await wm.close();
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(fetch(`${wm.url}/__admin/health`)).rejects.toThrow();
  });
});
