import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildWechatPaySim, type WechatPaySim } from '../../../../simulators/wechatpay/index.js';
import { ORDER, SIM_KEYS, authorization, wx } from './helpers.js';

let sims: WechatPaySim[] = [];
const sim = (options: Parameters<typeof buildWechatPaySim>[0] = {}) => {
  const s = buildWechatPaySim({ seed: 41, ...SIM_KEYS, ...options });
  sims.push(s);
  return s;
};
afterEach(async () => {
  for (const s of sims) await s.app.close();
  sims = [];
});

const pay = (s: WechatPaySim, outTradeNo = ORDER.out_trade_no) => s.app.inject({ method: 'POST', url: `/__sim/payer/${outTradeNo}?action=pay` });

describe('WeChat Pay APIv3 orders', () => {
  it('creates a JSAPI order with a signed prepay_id answer and keeps it NOTPAY until the payer pays', async () => {
    const s = sim();
    const res = await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', ORDER);
    expect(res.status).toBe(200);
    expect(res.verified).toBe(true);
    expect(res.body!.prepay_id).toMatch(/^wx\w{32}$/);
    const before = await wx(s.app, 'GET', `/v3/pay/transactions/out-trade-no/${ORDER.out_trade_no}?mchid=1900000001`);
    expect(before.body).toMatchObject({ trade_state: 'NOTPAY', trade_type: 'JSAPI', amount: { total: 8888 } });
    expect(s.ledger.size).toBe(0);
    expect((await pay(s)).json()).toMatchObject({ trade_state: 'SUCCESS' });
    const after = await wx(s.app, 'GET', `/v3/pay/transactions/out-trade-no/${ORDER.out_trade_no}?mchid=1900000001`);
    expect(after.body).toMatchObject({ trade_state: 'SUCCESS', trade_state_desc: '支付成功', amount: { total: 8888, payer_total: 8888 } });
    const byId = await wx(s.app, 'GET', `/v3/pay/transactions/id/${after.body!.transaction_id}?mchid=1900000001`);
    expect(byId.body!.out_trade_no).toBe(ORDER.out_trade_no);
    expect(byId.verified).toBe(true);
    expect(s.ledger.entries().map((e) => [e.kind, e.amount, e.paymentId])).toEqual([
      ['authorization', 8888, after.body!.transaction_id],
      ['capture', 8888, after.body!.transaction_id],
    ]);
  });

  it('answers native with code_url, h5 with h5_url and app with prepay_id', async () => {
    const s = sim();
    const { payer: _payer, ...noPayer } = ORDER;
    expect((await wx(s.app, 'POST', '/v3/pay/transactions/native', { ...noPayer, out_trade_no: 'native_1' })).body!.code_url).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    expect((await wx(s.app, 'POST', '/v3/pay/transactions/app', { ...noPayer, out_trade_no: 'app_0001' })).body!.prepay_id).toMatch(/^wx/);
    const h5 = await wx(s.app, 'POST', '/v3/pay/transactions/h5', { ...noPayer, out_trade_no: 'h5_00001', scene_info: { payer_client_ip: '127.0.0.1', h5_info: { type: 'Wap' } } });
    expect(h5.body!.h5_url).toMatch(/^https:\/\/wx\.tenpay\.com\//);
    expect((await wx(s.app, 'POST', '/v3/pay/transactions/h5', { ...noPayer, out_trade_no: 'h5_00002' })).body).toMatchObject({ code: 'PARAM_ERROR' });
  });

  it('returns the same prepay_id for an identical resubmission, OUT_TRADE_NO_USED for other parameters, ORDERPAID once paid', async () => {
    const s = sim();
    const first = await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', ORDER);
    expect((await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', ORDER)).body).toEqual(first.body);
    const other = await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', { ...ORDER, amount: { total: 1, currency: 'CNY' } });
    expect([other.status, other.body]).toEqual([403, { code: 'OUT_TRADE_NO_USED', message: '商户订单号重复' }]);
    expect(other.verified).toBe(true);
    await pay(s);
    const paid = await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', ORDER);
    expect([paid.status, paid.body!.code]).toEqual([400, 'ORDERPAID']);
    expect(s.ledger.count('capture')).toBe(1);
  });

  it('closes an unpaid order with a signed 204, answers ORDER_CLOSED to a resubmission and ORDERPAID to closing a paid one', async () => {
    const s = sim();
    await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', ORDER);
    const closed = await wx(s.app, 'POST', `/v3/pay/transactions/out-trade-no/${ORDER.out_trade_no}/close`, { mchid: '1900000001' });
    expect(closed.status).toBe(204);
    expect(closed.verified).toBe(true);
    expect((await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', ORDER)).body!.code).toBe('ORDER_CLOSED');
    await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', { ...ORDER, out_trade_no: 'wx_order_2' });
    await pay(s, 'wx_order_2');
    expect((await wx(s.app, 'POST', '/v3/pay/transactions/out-trade-no/wx_order_2/close', { mchid: '1900000001' })).body!.code).toBe('ORDERPAID');
    expect((await wx(s.app, 'GET', '/v3/pay/transactions/out-trade-no/nope_1234?mchid=1900000001')).status).toBe(404);
  });

  it('rejects requests with a bad signature, another key, a stale timestamp or no Authorization with 401 SIGN_ERROR', async () => {
    const s = sim();
    const body = JSON.stringify(ORDER);
    const url = '/v3/pay/transactions/jsapi';
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const cases = [
      authorization('POST', url, body, stranger),
      authorization('POST', url, body.replace('8888', '1')),
      authorization('POST', url, body, undefined, '1900000001', Math.floor(Date.now() / 1000) - 600),
      authorization('POST', url, body, undefined, '1900000002'),
      'Bearer nope',
    ];
    for (const auth of cases) {
      const res = await wx(s.app, 'POST', url, ORDER, auth);
      expect([res.status, res.body!.code], auth).toEqual([401, 'SIGN_ERROR']);
      expect(res.verified).toBe(true);
    }
    expect(s.ledger.size).toBe(0);
  });

  it('answers missing fields with PARAM_ERROR and a foreign mchid with APPID_MCHID_NOT_MATCH', async () => {
    const s = sim();
    const { description: _d, ...noDescription } = ORDER;
    expect((await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', noDescription)).body).toMatchObject({ code: 'PARAM_ERROR' });
    expect((await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', { ...ORDER, mchid: '1900000009' })).body!.code).toBe('APPID_MCHID_NOT_MATCH');
    expect((await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', { ...ORDER, amount: { total: 0 } })).status).toBe(400);
  });
});

describe('WeChat Pay refunds', () => {
  it('refunds in parts, replays an out_refund_no, refuses more than was paid, and records each refund', async () => {
    const s = sim();
    await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', ORDER);
    await pay(s);
    const refund = (no: string, amount: number) => wx(s.app, 'POST', '/v3/refund/domestic/refunds', { out_trade_no: ORDER.out_trade_no, out_refund_no: no, amount: { refund: amount, total: 8888, currency: 'CNY' } });
    const first = await refund('rf_1', 888);
    expect(first.body).toMatchObject({ out_refund_no: 'rf_1', status: 'PROCESSING', amount: { refund: 888, total: 8888 } });
    expect(first.verified).toBe(true);
    expect((await refund('rf_1', 888)).body!.refund_id).toBe(first.body!.refund_id);
    expect((await refund('rf_1', 999)).body!.code).toBe('INVALID_REQUEST');
    expect((await refund('rf_2', 8001)).body).toMatchObject({ code: 'INVALID_REQUEST', message: '申请退款金额超过订单可退金额' });
    expect((await refund('rf_2', 8000)).status).toBe(200);
    expect((await wx(s.app, 'GET', '/v3/refund/domestic/refunds/rf_2')).body).toMatchObject({ status: 'SUCCESS' });
    expect((await wx(s.app, 'GET', `/v3/pay/transactions/out-trade-no/${ORDER.out_trade_no}?mchid=1900000001`)).body!.trade_state).toBe('REFUND');
    expect(s.ledger.entries().filter((e) => e.kind === 'refund').map((e) => e.amount)).toEqual([888, 8000]);
    const csv = (await s.app.inject({ method: 'GET', url: '/__sim/settlement.csv' })).body;
    expect(csv.split('\r\n')[0]).toContain('交易时间,公众账号ID,商户号,微信订单号');
    expect(csv).toContain(',REFUND,');
  });
});

describe('WeChat Pay behaviour profile', () => {
  it('answers forced API errors with their status and stores nothing', async () => {
    const s = sim({ profile: { outcomes: { FREQUENCY_LIMITED: 1 } } });
    const res = await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', ORDER);
    expect([res.status, res.body]).toEqual([429, { code: 'FREQUENCY_LIMITED', message: '频率超限' }]);
    s.behaviour.apply({ outcomes: { SYSTEM_ERROR: 1 } });
    expect((await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', ORDER)).status).toBe(500);
    s.behaviour.apply({});
    expect((await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', ORDER)).status).toBe(200);
  });

  it('lets a NOTENOUGH order be created and fails the payer, leaving PAYERROR and no charge', async () => {
    const s = sim({ profile: { outcomes: { NOTENOUGH: 1 } } });
    expect((await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', ORDER)).status).toBe(200);
    await pay(s);
    expect((await wx(s.app, 'GET', `/v3/pay/transactions/out-trade-no/${ORDER.out_trade_no}?mchid=1900000001`)).body).toMatchObject({ trade_state: 'PAYERROR', trade_state_desc: '余额不足' });
    expect(s.ledger.size).toBe(0);
  });

  it('answers maintenance and random 5xx as signed SYSTEM_ERROR', async () => {
    const s = sim({ profile: { maintenance: { after: 0 } } });
    const res = await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', ORDER);
    expect([res.status, res.body!.code, res.verified]).toEqual([503, 'SYSTEM_ERROR', true]);
  });
});

describe('what the WeChat Pay simulator does not simulate', () => {
  it.each([
    ['POST', '/v3/pay/transactions/codepay', { ...ORDER, payer: undefined, auth_code: '134567890123456789' }],
    ['POST', '/v3/combine-transactions/jsapi', { combine_appid: ORDER.appid }],
    ['POST', '/v3/profitsharing/receivers/add', { type: 'MERCHANT_ID', account: '1900000109' }],
    ['POST', '/pay/micropay', undefined],
  ] as const)('answers %s %s 404 INVALID_REQUEST, signed, as WeChat answers a path it does not serve', async (method, url, body) => {
    const s = sim();
    const res = await wx(s.app, method, url, body);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('请求的资源不存在') });
    expect(res.verified).toBe(true);
    expect(s.ledger.size).toBe(0);
  });
});
