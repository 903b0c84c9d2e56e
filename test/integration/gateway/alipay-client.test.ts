import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { AlipayClient, alipayOutTradeNo } from '../../../gateway/clients/alipay.js';
import type { ChargeRequest, ProviderConnection } from '../../../gateway/clients/provider-client.js';
import { freePort } from '../../../src/kernel/index.js';
import { startAlipaySim, type StartedAlipaySim } from '../../../simulators/alipay/index.js';

/**
 * The Alipay client against the real simulator on 127.0.0.1, with the credentials the simulator
 * lists at /__sim/keys (as the demo hands them over). The ledger is the judge of what was charged.
 */
let sim: StartedAlipaySim;
/** A second simulator whose buyer confirms every waiting trade 150 ms after it is made. */
let autoPay: StartedAlipaySim;
let credentials: Record<string, unknown>;
let autoPayCredentials: Record<string, unknown>;

const keysOf = async (s: StartedAlipaySim) => (await (await fetch(`${s.url}/__sim/keys`)).json()) as Record<string, unknown>;

beforeAll(async () => {
  [sim, autoPay] = await Promise.all([startAlipaySim({ seed: 7 }), startAlipaySim({ seed: 8, buyerDelayMs: 150 })]);
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

function client(connection: Partial<ProviderConnection> = {}, on = sim, keys = credentials): AlipayClient {
  const c = new AlipayClient({ url: on.url, credentials: keys, ...connection });
  onTestFinished(() => c.close());
  return c;
}

const order = (orderId: string, providerKey = `${orderId}:1`): ChargeRequest => ({ orderId, amount: 1234, currency: 'cny', paymentMethod: 'pm_alipay', providerKey });
const captures = (s: StartedAlipaySim, orderId: string) => s.ledger.byOrder(alipayOutTradeNo(orderId)).filter((e) => e.kind === 'capture');

describe('alipayOutTradeNo', () => {
  it.each([
    ['demo-20261122T024500Z-a1b2c3-1abc', 'demo_20261122T024500Z_a1b2c3_1abc'],
    ['A1', 'A1'],
    ['order_1.x', 'order_1_x_6187e84851dd745d'],
  ])('maps %s to %s', (orderId, expected) => {
    expect(alipayOutTradeNo(orderId)).toBe(expected);
  });

  it('keeps every number valid for Alipay, and apart orders that differ only in "-" and "_"', () => {
    for (const id of ['x'.repeat(200), 'ünïcode order', 'a-b', 'a_b']) expect(alipayOutTradeNo(id)).toMatch(/^[A-Za-z0-9_]{1,64}$/);
    expect(alipayOutTradeNo('a-b')).not.toBe(alipayOutTradeNo('a_b'));
  });
});

describe('AlipayClient', () => {
  it('charges a paid order exactly once, under the documented out_trade_no', async () => {
    const result = await client().charge(order('demo-20261122T024500Z-a1b2c3-1abc'));
    expect(result).toMatchObject({ outcome: 'succeeded', providerStatus: 200 });
    const ledger = sim.ledger.byOrder('demo_20261122T024500Z_a1b2c3_1abc');
    expect(ledger.map((e) => [e.kind, e.amount, e.currency, e.paymentId])).toEqual([
      ['authorization', 1234, 'CNY', result.paymentId],
      ['capture', 1234, 'CNY', result.paymentId],
    ]);
  });

  it('charges other currencies in their own units (trans_currency): 500 yen is 500, 12.345 dinar is 12345', async () => {
    for (const [orderId, amount, currency] of [['jpy-1', 500, 'jpy'], ['kwd-1', 12345, 'kwd'], ['usd-1', 999, 'usd']] as const) {
      const result = await client().charge({ ...order(orderId), amount, currency });
      expect(result, currency).toMatchObject({ outcome: 'succeeded' });
      expect(captures(sim, orderId).map((e) => [e.amount, e.currency])).toEqual([[amount, currency.toUpperCase()]]);
    }
  });

  it('charges an order once when it is charged twice in a row with different providerKeys', async () => {
    const c = client();
    const first = await c.charge(order('seq-1', 'key-a'));
    const second = await c.charge(order('seq-1', 'key-b'));
    expect(first.outcome).toBe('succeeded');
    // ACQ.TRADE_HAS_SUCCESS: already paid, and the query names the same trade.
    expect(second).toMatchObject({ outcome: 'succeeded', paymentId: first.paymentId });
    expect(captures(sim, 'seq-1')).toHaveLength(1);
  });

  it('charges an order once when five attempts with different providerKeys race', async () => {
    const c = client();
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => c.charge(order('race-1', `key-${n}`))));
    expect(results.map((r) => r.outcome)).toEqual(Array(5).fill('succeeded'));
    expect(new Set(results.map((r) => r.paymentId)).size).toBe(1);
    expect(captures(sim, 'race-1')).toHaveLength(1);
  });

  it('answers pending WAIT_BUYER_PAY, with no error code (the gateway answers 202), within settleWithinMs when the buyer never confirms', async () => {
    sim.behaviour.apply({ outcomes: { '10003': 1 } });
    const started = performance.now();
    const result = await client({ settleWithinMs: 500 }).charge(order('wait-1'));
    const elapsed = performance.now() - started;
    expect(result).toEqual({ outcome: 'pending', providerCode: 'WAIT_BUYER_PAY', paymentId: expect.stringMatching(/^\d{28}$/), providerStatus: 200 });
    // It polled until the deadline, and stopped there (tolerance 300 ms: the last query and timer scheduling).
    expect(elapsed).toBeGreaterThanOrEqual(490);
    expect(elapsed).toBeLessThan(500 + 300);
    expect(captures(sim, 'wait-1')).toHaveLength(0);
  });

  it('answers succeeded once the buyer confirms a waiting trade, charging it once', async () => {
    autoPay.behaviour.apply({ outcomes: { '10003': 1 } });
    const started = performance.now();
    const result = await client({ settleWithinMs: 3000 }, autoPay, autoPayCredentials).charge(order('wait-2'));
    expect(result).toMatchObject({ outcome: 'succeeded', providerStatus: 200 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(captures(autoPay, 'wait-2').map((e) => e.paymentId)).toEqual([result.paymentId]);
  });

  it.each([
    ['ACQ.BUYER_BALANCE_NOT_ENOUGH', 'insufficient_funds'],
    ['ACQ.PAYMENT_REQUEST_HAS_RISK', 'fraud_suspected'],
    ['ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR', 'limit_exceeded'],
  ])('fails a payment declined with %s as %s, charging nothing', async (subCode, normalised) => {
    sim.behaviour.apply({ outcomes: { [subCode]: 1 } });
    const result = await client().charge(order(`decline-${normalised}`));
    expect(result).toEqual({ outcome: 'failed', errorCode: normalised, providerCode: subCode, providerStatus: 200 });
    expect(captures(sim, `decline-${normalised}`)).toHaveLength(0);
  });

  it('asks trade.query after ACQ.SYSTEM_ERROR and answers pending provider_error when no trade was made', async () => {
    sim.behaviour.apply({ outcomes: { 'ACQ.SYSTEM_ERROR': 1 } });
    const started = performance.now();
    const result = await client({ settleWithinMs: 2000 }).charge(order('syserr-1'));
    expect(result).toEqual({ outcome: 'pending', errorCode: 'provider_error', providerCode: 'ACQ.SYSTEM_ERROR', providerStatus: 200 });
    // TRADE_NOT_EXIST ends the wait: it did not poll to the deadline.
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('asks trade.query after ACQ.SYSTEM_ERROR and answers succeeded when the trade was paid before the error', async () => {
    sim.behaviour.apply({ commitThenError: { rate: 1, status: 500 } });
    const result = await client().charge(order('syserr-2'));
    expect(result).toMatchObject({ outcome: 'succeeded', providerStatus: 200 });
    expect(captures(sim, 'syserr-2').map((e) => e.paymentId)).toEqual([result.paymentId]);
  });

  it('does not take a response signed by another key for a success', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const result = await client({}, sim, { ...credentials, alipayPublicKey: stranger }).charge(order('badsig-1'));
    expect(result).toEqual({ outcome: 'pending', errorCode: 'outcome_unknown', providerCode: 'bad_signature', providerStatus: 200 });
    // The simulator did charge: only a verified answer could have said so.
    expect(captures(sim, 'badsig-1')).toHaveLength(1);
  });

  it('fails with network_error when the connection is refused', async () => {
    const result = await client({ url: `http://127.0.0.1:${await freePort()}` }).charge(order('refused-1'));
    expect(result).toEqual({ outcome: 'failed', errorCode: 'network_error', providerCode: 'ECONNREFUSED', providerStatus: 0 });
  });
});
