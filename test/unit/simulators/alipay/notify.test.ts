import { createVerify } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ALIPAY_NOTIFY_LADDER, ANTOM_NOTIFY_LADDER, buildAlipaySim, type AlipaySim } from '../../../../simulators/alipay/index.js';
import type { Transport } from '../../../../simulators/core/index.js';
import { ManualClock } from '../../../../src/kernel/index.js';
import { KEYS, PAY, call } from './helpers.js';

const MIN = 60_000;
let sims: AlipaySim[] = [];
afterEach(async () => {
  for (const s of sims) await s.app.close();
  sims = [];
});

/** Deliveries land here; `answer` plays the merchant's notify endpoint. */
function recorder(answer: (n: number) => { status: number; body: string }) {
  const got: Array<{ url: string; body: string; headers: Record<string, string>; at: number }> = [];
  let clock: ManualClock | undefined;
  const transport: Transport = async (url, body, headers) => {
    got.push({ url, body, headers, at: clock!.now() });
    return answer(got.length);
  };
  return { got, transport, bind: (c: ManualClock) => (clock = c) };
}

/** Verify as the merchant must, independently of the simulator: drop sign and sign_type, sort, join, SHA256withRSA. */
function verifies(body: string): boolean {
  const params = Object.fromEntries(new URLSearchParams(body));
  const content = Object.keys(params).filter((k) => k !== 'sign' && k !== 'sign_type' && params[k] !== '').sort().map((k) => `${k}=${params[k]}`).join('&');
  return createVerify('sha256').update(content).verify(KEYS.platformPublicKey, params.sign!, 'base64');
}

async function flush(clock: ManualClock, ms: number): Promise<void> {
  // Fire what is due now, then advance a minute at a time (every gap is whole minutes), letting each
  // attempt's transport promise settle before time moves: the retry is then scheduled at the right instant.
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  clock.advance(0);
  await settle();
  for (let t = 0; t < ms; t += MIN) {
    clock.advance(Math.min(MIN, ms - t));
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  }
}

function build(transport: Transport, clock: ManualClock, options: Parameters<typeof buildAlipaySim>[0] = {}) {
  const s = buildAlipaySim({ seed: 21, clock, transport, now: () => new Date(clock.now()), merchantPublicKey: KEYS.merchantPublicKey, platformPrivateKey: KEYS.platformPrivateKey, ...options });
  sims.push(s);
  return s;
}

describe('Alipay async notify', () => {
  it('retries on the documented ladder (4m, 10m, 10m, 1h, 2h, 6h, 15h) until the body is exactly "success", keeping notify_id', async () => {
    const clock = new ManualClock();
    const r = recorder((n) => (n < 3 ? { status: 200, body: 'ok' } : n === 3 ? { status: 200, body: 'success\n' } : n < 8 ? { status: 500, body: '' } : { status: 200, body: 'success' }));
    r.bind(clock);
    const s = build(r.transport, clock);
    await call(s.app, s, 'alipay.trade.pay', PAY, { notify_url: 'http://127.0.0.1:1/notify' });
    const start = clock.now();
    await flush(clock, 26 * 60 * MIN);
    expect(r.got).toHaveLength(8);
    const gaps = r.got.slice(1).map((g, i) => g.at - r.got[i]!.at);
    expect(gaps).toEqual([...ALIPAY_NOTIFY_LADDER]);
    expect(r.got[0]!.at).toBe(start);
    expect(s.webhooks.attempts().map((a) => a.accepted)).toEqual([false, false, false, false, false, false, false, true]);
    const ids = r.got.map((g) => new URLSearchParams(g.body).get('notify_id'));
    expect(new Set(ids).size).toBe(1);
    expect(r.got.every((g) => verifies(g.body))).toBe(true);
    expect(r.got[0]!.url).toBe('http://127.0.0.1:1/notify');
    expect(r.got[0]!.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(r.got[0]!.body))).toMatchObject({ notify_type: 'trade_status_sync', trade_status: 'TRADE_SUCCESS', out_trade_no: 'ord_1', total_amount: '88.88', sign_type: 'RSA2', app_id: s.appId });
  });

  it('stops after eight notifications, and the Antom ladder starts with a 2 minute gap', async () => {
    const clock = new ManualClock();
    const r = recorder(() => ({ status: 500, body: '' }));
    r.bind(clock);
    const s = build(r.transport, clock, { notifyLadder: 'antom' });
    await call(s.app, s, 'alipay.trade.pay', PAY, { notify_url: 'http://127.0.0.1:1/notify' });
    await flush(clock, 30 * 60 * MIN);
    expect(r.got).toHaveLength(8);
    expect(r.got[1]!.at - r.got[0]!.at).toBe(ANTOM_NOTIFY_LADDER[0]);
  });

  it('sends nothing for WAIT_BUYER_PAY and notifies TRADE_SUCCESS once the buyer pays', async () => {
    const clock = new ManualClock();
    const r = recorder(() => ({ status: 200, body: 'success' }));
    r.bind(clock);
    const s = build(r.transport, clock);
    await call(s.app, s, 'alipay.trade.precreate', { out_trade_no: 'qr9', total_amount: '1.00', subject: 'QR' }, { notify_url: 'http://127.0.0.1:1/n' });
    await s.app.inject({ method: 'POST', url: '/__sim/buyer/qr9?action=scan' });
    await flush(clock, MIN);
    expect(r.got).toHaveLength(0);
    await s.app.inject({ method: 'POST', url: '/__sim/buyer/qr9?action=pay' });
    await flush(clock, MIN);
    expect(r.got.map((g) => new URLSearchParams(g.body).get('trade_status'))).toEqual(['TRADE_SUCCESS']);
  });

  it('signs with a key the merchant does not trust when the profile asks for bad signatures', async () => {
    const clock = new ManualClock();
    const r = recorder(() => ({ status: 200, body: 'success' }));
    r.bind(clock);
    const s = build(r.transport, clock, { profile: { webhooks: { badSignature: 1 } } });
    await call(s.app, s, 'alipay.trade.pay', PAY, { notify_url: 'http://127.0.0.1:1/n' });
    await flush(clock, MIN);
    expect(r.got).toHaveLength(1);
    expect(verifies(r.got[0]!.body)).toBe(false);
    expect(s.webhooks.attempts()[0]).toMatchObject({ badSignature: true });
  });

  it('duplicates and reorders notifications under the profile, each copy with the same notify_id', async () => {
    const clock = new ManualClock();
    const r = recorder(() => ({ status: 200, body: 'success' }));
    r.bind(clock);
    const s = build(r.transport, clock, { profile: { webhooks: { duplicate: 1, reorder: { rate: 1, window: '30s' } } } });
    await call(s.app, s, 'alipay.trade.pay', PAY, { notify_url: 'http://127.0.0.1:1/n' });
    await call(s.app, s, 'alipay.trade.refund', { out_trade_no: 'ord_1', refund_amount: '1.00', out_request_no: 'r1' });
    await flush(clock, 2 * MIN);
    const seen = r.got.map((g) => Object.fromEntries(new URLSearchParams(g.body)));
    // Held for the window, then newest first: the refund's notification overtakes the payment's.
    expect(seen.map((p) => p.out_biz_no ?? 'payment')).toEqual(['r1', 'payment', 'r1', 'payment']);
    expect(seen[0]!.notify_id).toBe(seen[2]!.notify_id);
    expect(seen[0]!.refund_fee).toBe('1.00');
  });

  it('closes a trade left unpaid past timeout_express and notifies TRADE_CLOSED', async () => {
    const clock = new ManualClock();
    const r = recorder(() => ({ status: 200, body: 'success' }));
    r.bind(clock);
    const s = build(r.transport, clock);
    await call(s.app, s, 'alipay.trade.create', { out_trade_no: 'abandon1', total_amount: '9.00', subject: 'x', buyer_id: '2088102146225135', timeout_express: '30m' }, { notify_url: 'http://127.0.0.1:1/n' });
    await flush(clock, 29 * MIN);
    expect((await call(s.app, s, 'alipay.trade.query', { out_trade_no: 'abandon1' })).body.trade_status).toBe('WAIT_BUYER_PAY');
    await flush(clock, 2 * MIN);
    expect((await call(s.app, s, 'alipay.trade.query', { out_trade_no: 'abandon1' })).body.trade_status).toBe('TRADE_CLOSED');
    expect(r.got.map((g) => new URLSearchParams(g.body).get('trade_status'))).toEqual(['TRADE_CLOSED']);
    expect((await call(s.app, s, 'alipay.trade.create', { out_trade_no: 'x2', total_amount: '1.00', subject: 'x', buyer_id: '1', timeout_express: 'soon' })).body.sub_code).toBe('ACQ.INVALID_PARAMETER');
  });

  it('lets the buyer pay by itself after buyerDelayMs, for load without a buyer', async () => {
    const clock = new ManualClock();
    const r = recorder(() => ({ status: 200, body: 'success' }));
    r.bind(clock);
    const s = build(r.transport, clock, { buyerDelayMs: 5 * MIN });
    await call(s.app, s, 'alipay.trade.precreate', { out_trade_no: 'auto1', total_amount: '2.00', subject: 'QR' }, { notify_url: 'http://127.0.0.1:1/n' });
    await flush(clock, 6 * MIN);
    expect((await call(s.app, s, 'alipay.trade.query', { out_trade_no: 'auto1' })).body.trade_status).toBe('TRADE_SUCCESS');
    expect(s.ledger.count('capture')).toBe(1);
  });
});
