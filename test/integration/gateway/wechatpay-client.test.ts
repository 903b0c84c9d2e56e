import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { WechatPayClient, wechatOutTradeNo } from '../../../gateway/clients/wechatpay.js';
import type { ChargeRequest, ProviderConnection } from '../../../gateway/clients/provider-client.js';
import { freePort } from '../../../src/kernel/index.js';
import { startWechatPaySim, type StartedWechatPaySim } from '../../../simulators/wechatpay/index.js';

/**
 * The WeChat Pay client against the real simulator on 127.0.0.1, with the credentials the
 * simulator lists at /__sim/keys (as the demo hands them over). The ledger is the judge of what
 * was charged.
 */
let sim: StartedWechatPaySim;
/** A second simulator whose payer pays every order 150 ms after it is made, as the demo's does. */
let autoPay: StartedWechatPaySim;
let credentials: Record<string, unknown>;
let autoPayCredentials: Record<string, unknown>;

const keysOf = async (s: StartedWechatPaySim) => (await (await fetch(`${s.url}/__sim/keys`)).json()) as Record<string, unknown>;
const pemOfNewKey = (type: 'public' | 'private') => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return type === 'public' ? pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() : pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
};

beforeAll(async () => {
  [sim, autoPay] = await Promise.all([startWechatPaySim({ seed: 17 }), startWechatPaySim({ seed: 18, payerDelayMs: 150 })]);
  [credentials, autoPayCredentials] = await Promise.all([keysOf(sim), keysOf(autoPay)]);
});
afterAll(async () => {
  await sim?.close();
  await autoPay?.close();
});
afterEach(() => {
  sim.behaviour.apply({});
  autoPay.behaviour.apply({});
});

function client(connection: Partial<ProviderConnection> = {}, on = autoPay, keys = autoPayCredentials): WechatPayClient {
  const c = new WechatPayClient({ url: on.url, credentials: keys, ...connection });
  onTestFinished(() => c.close());
  return c;
}
/** A client of the simulator whose payer never pays by himself. */
const manualClient = (connection: Partial<ProviderConnection> = {}) => client(connection, sim, credentials);

const order = (orderId: string, providerKey = `${orderId}:1`): ChargeRequest => ({ orderId, amount: 1234, currency: 'cny', paymentMethod: 'pm_wechatpay', providerKey });
const captures = (s: StartedWechatPaySim, orderId: string) => s.ledger.byOrder(wechatOutTradeNo(orderId)).filter((e) => e.kind === 'capture');

describe('wechatOutTradeNo', () => {
  it.each([
    ['demo-20261122T024500Z-a1b2c3-1abc', 'demo-20261122T0_eb4b74474080cb23'],
    ['order-42', 'order-42'],
    ['A1', 'A1_16a36e86f6fed5d4'],
  ])('maps %s to %s', (orderId, expected) => {
    expect(wechatOutTradeNo(orderId)).toBe(expected);
  });

  it('keeps every number valid for WeChat Pay', () => {
    for (const id of ['x'.repeat(200), 'ünïcode order', 'a', 'a.b']) expect(wechatOutTradeNo(id)).toMatch(/^[A-Za-z0-9_|*-]{6,32}$/);
  });
});

describe('WechatPayClient', () => {
  it('charges an order the payer pays exactly once, under the documented out_trade_no', async () => {
    const result = await client().charge(order('demo-20261122T024500Z-a1b2c3-1abc'));
    expect(result).toMatchObject({ outcome: 'succeeded', providerStatus: 200 });
    expect(result.paymentId).toMatch(/^42000\d+$/);
    const ledger = autoPay.ledger.byOrder('demo-20261122T0_eb4b74474080cb23');
    expect(ledger.map((e) => [e.kind, e.amount, e.currency, e.paymentId])).toEqual([
      ['authorization', 1234, 'CNY', result.paymentId],
      ['capture', 1234, 'CNY', result.paymentId],
    ]);
  });

  it('charges an order once when it is charged twice in a row with different providerKeys', async () => {
    const c = client();
    const first = await c.charge(order('seq-order-1', 'key-a'));
    const second = await c.charge(order('seq-order-1', 'key-b'));
    expect(first.outcome).toBe('succeeded');
    // ORDERPAID, then the query names the same transaction.
    expect(second).toMatchObject({ outcome: 'succeeded', paymentId: first.paymentId });
    expect(captures(autoPay, 'seq-order-1')).toHaveLength(1);
  });

  it('charges an order once when five attempts with different providerKeys race', async () => {
    const c = client();
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => c.charge(order('race-order-1', `key-${n}`))));
    expect(results.map((r) => r.outcome)).toEqual(Array(5).fill('succeeded'));
    expect(new Set(results.map((r) => r.paymentId)).size).toBe(1);
    expect(captures(autoPay, 'race-order-1')).toHaveLength(1);
  });

  it('answers pending NOTPAY, with no error code (the gateway answers 202), within settleWithinMs when the payer never pays, and succeeded on a retry once he has', async () => {
    const c = manualClient({ settleWithinMs: 500 });
    const started = performance.now();
    const result = await c.charge(order('notpay-1'));
    const elapsed = performance.now() - started;
    expect(result).toEqual({ outcome: 'pending', providerCode: 'NOTPAY', providerStatus: 200 });
    // It polled until the deadline, and stopped there (tolerance 300 ms: the last query and timer scheduling).
    expect(elapsed).toBeGreaterThanOrEqual(490);
    expect(elapsed).toBeLessThan(500 + 300);
    expect(captures(sim, 'notpay-1')).toHaveLength(0);

    expect((await fetch(`${sim.url}/__sim/payer/${wechatOutTradeNo('notpay-1')}?action=pay`, { method: 'POST' })).status).toBe(200);
    const retried = await c.charge(order('notpay-1', 'notpay-1:2'));
    expect(retried).toMatchObject({ outcome: 'succeeded' });
    expect(captures(sim, 'notpay-1').map((e) => e.paymentId)).toEqual([retried.paymentId]);
  });

  it('fails an order whose payment fails on the phone (NOTENOUGH) as card_declined from trade_state PAYERROR', async () => {
    autoPay.behaviour.apply({ outcomes: { NOTENOUGH: 1 } });
    const result = await client().charge(order('notenough-1'));
    // The query answer says PAYERROR and nothing machine-readable about why (see the report).
    expect(result).toEqual({ outcome: 'failed', errorCode: 'card_declined', providerCode: 'PAYERROR', providerStatus: 200 });
    expect(captures(autoPay, 'notenough-1')).toHaveLength(0);
  });

  it.each([
    ['RULE_LIMIT', 'limit_exceeded', 403],
    ['ACCOUNTERROR', 'card_declined', 403],
    ['TRADE_ERROR', 'card_declined', 403],
  ])('fails an order refused with %s as %s', async (code, normalised, status) => {
    autoPay.behaviour.apply({ outcomes: { [code]: 1 } });
    const result = await client().charge(order(`refused-${code}`));
    expect(result).toEqual({ outcome: 'failed', errorCode: normalised, providerCode: code, providerStatus: status });
    expect(captures(autoPay, `refused-${code}`)).toHaveLength(0);
  });

  it('reads SYSTEM_ERROR as pending and FREQUENCY_LIMITED as rate limited, by their HTTP status', async () => {
    autoPay.behaviour.apply({ outcomes: { SYSTEM_ERROR: 1 } });
    expect(await client().charge(order('syserr-1'))).toEqual({ outcome: 'pending', errorCode: 'provider_error', providerCode: 'SYSTEM_ERROR', providerStatus: 500 });
    autoPay.behaviour.apply({ outcomes: { FREQUENCY_LIMITED: 1 } });
    expect(await client().charge(order('ratelimit-1'))).toEqual({ outcome: 'failed', errorCode: 'rate_limited', providerCode: 'FREQUENCY_LIMITED', providerStatus: 429 });
  });

  it('fails with invalid_request when WeChat cannot verify our signature (SIGN_ERROR)', async () => {
    const result = await client({}, autoPay, { ...autoPayCredentials, merchantPrivateKey: pemOfNewKey('private') }).charge(order('signerr-1'));
    expect(result).toEqual({ outcome: 'failed', errorCode: 'invalid_request', providerCode: 'SIGN_ERROR', providerStatus: 401 });
    expect(captures(autoPay, 'signerr-1')).toHaveLength(0);
  });

  it('does not take a response signed by another key for an order or a success', async () => {
    const result = await client({}, autoPay, { ...autoPayCredentials, platformPublicKey: pemOfNewKey('public') }).charge(order('badsig-1'));
    expect(result).toEqual({ outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'bad_signature', providerStatus: 200 });
    // The order was made, and the payer pays it: only a verified answer could have said so.
    await vi.waitFor(() => expect(captures(autoPay, 'badsig-1')).toHaveLength(1), { timeout: 2000, interval: 25 });
  });

  it('fails with network_error when the connection is refused', async () => {
    const result = await client({ url: `http://127.0.0.1:${await freePort()}` }).charge(order('refused-conn-1'));
    expect(result).toEqual({ outcome: 'failed', errorCode: 'network_error', providerCode: 'ECONNREFUSED', providerStatus: 0 });
  });
});
