import { afterEach, describe, expect, it } from 'vitest';
import type { Transport } from '../../../../simulators/core/index.js';
import { ManualClock } from '../../../../src/kernel/index.js';
import { WECHAT_FIRST_NOTIFY_DELAY_MS, WECHAT_NOTIFY_LADDER, aeadDecrypt, aeadEncrypt, buildWechatPaySim, type WechatPaySim } from '../../../../simulators/wechatpay/index.js';
import { KEYS, ORDER, SIM_KEYS, authorization, decryptResource, signedByPlatform, wx } from './helpers.js';

/** A request signed at the simulated time (the simulator checks the timestamp against its clock). */
const authAt = (clock: ManualClock, method = 'POST', url = '/v3/pay/transactions/jsapi', body = JSON.stringify({ ...ORDER, time_expire: '2026-11-11T08:05:00+08:00' })) =>
  authorization(method, url, body, KEYS.merchantPrivateKey, '1900000001', Math.floor(clock.now() / 1000));

const S = 1000;
let sims: WechatPaySim[] = [];
afterEach(async () => {
  for (const s of sims) await s.app.close();
  sims = [];
});

function recorder(clock: ManualClock, answer: (n: number) => number) {
  const got: Array<{ body: string; headers: Record<string, string>; at: number; url: string }> = [];
  const transport: Transport = async (url, body, headers) => {
    got.push({ url, body, headers, at: clock.now() });
    return { status: answer(got.length), body: '' };
  };
  return { got, transport };
}

/** Step the clock a second at a time (every gap is whole seconds), settling each attempt before time moves. */
async function run(clock: ManualClock, ms: number, step = S): Promise<void> {
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  clock.advance(0);
  await settle();
  for (let t = 0; t < ms; t += step) {
    clock.advance(Math.min(step, ms - t));
    await settle();
  }
}

async function paidOrder(clock: ManualClock, transport: Transport, profile: unknown = {}) {
  const s = buildWechatPaySim({ seed: 51, clock, transport, now: () => new Date(clock.now()), profile, ...SIM_KEYS });
  sims.push(s);
  await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', ORDER, undefined);
  await s.app.inject({ method: 'POST', url: `/__sim/payer/${ORDER.out_trade_no}?action=pay` });
  return s;
}

describe('WeChat Pay notifications', () => {
  it('sends 15 notifications over 24h4m (15s, 15s, 30s, 3m … 6h) while the merchant does not answer 200/204', async () => {
    const clock = new ManualClock(Date.now());
    const r = recorder(clock, () => 500);
    const s = await paidOrder(clock, r.transport);
    const paidAt = clock.now();
    // A minute per step after the first minute keeps the loop short; every gap after 1m is whole minutes.
    await run(clock, 60 * S);
    await run(clock, 25 * 3600 * S, 60 * S);
    expect(r.got).toHaveLength(15);
    expect(r.got[0]!.at - paidAt).toBe(WECHAT_FIRST_NOTIFY_DELAY_MS);
    expect(r.got.slice(1).map((g, i) => g.at - r.got[i]!.at)).toEqual([...WECHAT_NOTIFY_LADDER]);
    expect(r.got[14]!.at - paidAt).toBe((24 * 60 + 4) * 60 * S);
    expect(new Set(r.got.map((g) => JSON.parse(g.body).id)).size).toBe(1);
    expect(s.webhooks.totals()).toMatchObject({ attempts: 15, accepted: 0 });
  });

  it('stops at the first 200 or 204, and carries a signed, AEAD_AES_256_GCM-encrypted TRANSACTION.SUCCESS', async () => {
    const clock = new ManualClock(Date.now());
    const r = recorder(clock, (n) => (n < 2 ? 500 : 204));
    const s = await paidOrder(clock, r.transport);
    await run(clock, 60 * S);
    expect(r.got).toHaveLength(2);
    const note = JSON.parse(r.got[1]!.body);
    expect(note).toMatchObject({ event_type: 'TRANSACTION.SUCCESS', resource_type: 'encrypt-resource', summary: '支付成功', resource: { algorithm: 'AEAD_AES_256_GCM', original_type: 'transaction', associated_data: 'transaction' } });
    expect(r.got.every((g) => signedByPlatform(g.headers, g.body))).toBe(true);
    const resource = decryptResource(note.resource);
    expect(resource).toMatchObject({ mchid: s.mchid, out_trade_no: ORDER.out_trade_no, trade_state: 'SUCCESS', amount: { total: 8888, payer_total: 8888 }, payer: { openid: ORDER.payer.openid } });
    expect(resource.transaction_id).toMatch(/^\d{28}$/);
    expect(r.got[0]!.url).toBe(ORDER.notify_url);
  });

  it('reproduces the documented near-simultaneous duplicate: two copies one second apart, same id', async () => {
    const clock = new ManualClock(Date.now());
    const r = recorder(clock, () => 200);
    await paidOrder(clock, r.transport, { webhooks: { duplicate: 1 } });
    await run(clock, 30 * S);
    expect(r.got).toHaveLength(2);
    expect(r.got[1]!.at - r.got[0]!.at).toBe(1000);
    expect(JSON.parse(r.got[0]!.body).id).toBe(JSON.parse(r.got[1]!.body).id);
  });

  it('reorders held notifications newest first and signs with an untrusted key on request', async () => {
    const clock = new ManualClock(Date.now());
    const r = recorder(clock, () => 200);
    const s = await paidOrder(clock, r.transport, { webhooks: { reorder: { rate: 1, window: '1m' }, badSignature: 1 } });
    await wx(s.app, 'POST', '/v3/refund/domestic/refunds', { out_trade_no: ORDER.out_trade_no, out_refund_no: 'rf_9', notify_url: 'http://127.0.0.1:1/refund', amount: { refund: 100, total: 8888, currency: 'CNY' } });
    await run(clock, 3 * 60 * S);
    expect(r.got.map((g) => JSON.parse(g.body).event_type)).toEqual(['REFUND.SUCCESS', 'TRANSACTION.SUCCESS']);
    expect(r.got.some((g) => signedByPlatform(g.headers, g.body))).toBe(false);
    expect(decryptResource(JSON.parse(r.got[0]!.body).resource)).toMatchObject({ out_refund_no: 'rf_9', refund_status: 'SUCCESS', amount: { refund: 100 } });
  });

  it('closes an order still unpaid at time_expire', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 11, 0, 0, 0));
    const r = recorder(clock, () => 200);
    const s = buildWechatPaySim({ seed: 53, clock, transport: r.transport, now: () => new Date(clock.now()), ...SIM_KEYS });
    sims.push(s);
    // 08:05 Beijing time is 00:05 UTC: five minutes after the clock's start.
    await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', { ...ORDER, time_expire: '2026-11-11T08:05:00+08:00' }, authAt(clock));
    await run(clock, 4 * 60 * S, 60 * S);
    const query = () => wx(s.app, 'GET', `/v3/pay/transactions/out-trade-no/${ORDER.out_trade_no}?mchid=1900000001`, undefined, authAt(clock, 'GET', `/v3/pay/transactions/out-trade-no/${ORDER.out_trade_no}?mchid=1900000001`, ''));
    expect((await query()).body!.trade_state).toBe('NOTPAY');
    await run(clock, 2 * 60 * S, 60 * S);
    expect((await query()).body).toMatchObject({ trade_state: 'CLOSED' });
  });

  it('pays by itself after payerDelayMs, for load tests without a payer', async () => {
    const clock = new ManualClock(Date.now());
    const r = recorder(clock, () => 200);
    const s = buildWechatPaySim({ seed: 52, clock, transport: r.transport, now: () => new Date(clock.now()), payerDelayMs: 5 * S, ...SIM_KEYS });
    sims.push(s);
    await wx(s.app, 'POST', '/v3/pay/transactions/native', { ...ORDER, payer: undefined });
    await run(clock, 30 * S);
    expect(s.ledger.count('capture')).toBe(1);
    expect(r.got).toHaveLength(1);
  });
});

describe('AEAD_AES_256_GCM', () => {
  it('round-trips with the APIv3 key and refuses a tampered ciphertext', () => {
    const ct = aeadEncrypt('{"a":1}', KEYS.apiV3Key, 'abcdefghijkl', 'transaction');
    expect(aeadDecrypt(ct, KEYS.apiV3Key, 'abcdefghijkl', 'transaction')).toBe('{"a":1}');
    const bytes = Buffer.from(ct, 'base64');
    bytes[0]! ^= 1;
    expect(() => aeadDecrypt(bytes.toString('base64'), KEYS.apiV3Key, 'abcdefghijkl', 'transaction')).toThrow();
  });
});
