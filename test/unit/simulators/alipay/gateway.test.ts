import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAlipaySim, type AlipaySim } from '../../../../simulators/alipay/index.js';
import { KEYS, PAY, call, readResponse, requestParams, signRequest } from './helpers.js';

let sims: AlipaySim[] = [];
const sim = (options: Parameters<typeof buildAlipaySim>[0] = {}) => {
  const s = buildAlipaySim({ seed: 11, merchantPublicKey: KEYS.merchantPublicKey, platformPrivateKey: KEYS.platformPrivateKey, ...options });
  sims.push(s);
  return s;
};
afterEach(async () => {
  for (const s of sims) await s.app.close();
  sims = [];
});

describe('Alipay gateway.do', () => {
  it('pays a bar-code trade at once, signs the response, and records authorisation and capture', async () => {
    const s = sim();
    const res = await call(s.app, s, 'alipay.trade.pay', PAY);
    expect(res.status).toBe(200);
    expect(res.verified).toBe(true);
    expect(res.body).toMatchObject({ code: '10000', msg: 'Success', out_trade_no: 'ord_1', total_amount: '88.88', buyer_pay_amount: '88.88' });
    expect(res.body.trade_no).toMatch(/^\d{28}$/);
    expect(s.ledger.entries().map((e) => [e.kind, e.amount, e.orderId, e.currency])).toEqual([
      ['authorization', 8888, 'ord_1', 'CNY'],
      ['capture', 8888, 'ord_1', 'CNY'],
    ]);
  });

  it('answers a second pay of a paid out_trade_no with ACQ.TRADE_HAS_SUCCESS and charges once', async () => {
    const s = sim();
    await call(s.app, s, 'alipay.trade.pay', PAY);
    const again = await call(s.app, s, 'alipay.trade.pay', PAY);
    expect(again.body).toMatchObject({ code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_HAS_SUCCESS' });
    expect(again.verified).toBe(true);
    expect(s.ledger.count('capture')).toBe(1);
  });

  it('answers the same out_trade_no with another amount with ACQ.CONTEXT_INCONSISTENT', async () => {
    const s = sim();
    await call(s.app, s, 'alipay.trade.precreate', { out_trade_no: 'q1', total_amount: '10.00', subject: 'x' });
    const res = await call(s.app, s, 'alipay.trade.precreate', { out_trade_no: 'q1', total_amount: '11.00', subject: 'x' });
    expect(res.body.sub_code).toBe('ACQ.CONTEXT_INCONSISTENT');
  });

  it('rejects a request signed with another key with isv.invalid-signature, quoting the verified string', async () => {
    const s = sim();
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const params = signRequest(requestParams(s.appId, 'alipay.trade.pay', PAY), stranger);
    const res = await s.app.inject({ method: 'POST', url: '/gateway.do', payload: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const { body, verified } = readResponse(res.body, 'alipay.trade.pay', s.keys.platformPublicKey);
    expect(verified).toBe(true);
    expect(body).toMatchObject({ code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature' });
    expect(body.sub_msg).toContain('app_id=2021000000000001&biz_content=');
    expect(s.ledger.size).toBe(0);
  });

  it('rejects a tampered parameter after signing, an unknown app_id and an unknown method', async () => {
    const s = sim();
    const signed = signRequest(requestParams(s.appId, 'alipay.trade.pay', PAY), KEYS.merchantPrivateKey);
    const tampered = { ...signed, biz_content: JSON.stringify({ ...PAY, total_amount: '0.01' }) };
    const post = (p: Record<string, string>) => s.app.inject({ method: 'POST', url: '/gateway.do', payload: new URLSearchParams(p).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(readResponse((await post(tampered)).body, 'alipay.trade.pay', s.keys.platformPublicKey).body.sub_code).toBe('isv.invalid-signature');
    expect((await call(s.app, { ...s, appId: '2021999' }, 'alipay.trade.pay', PAY)).body.sub_code).toBe('isv.invalid-app-id');
    const unknown = JSON.parse((await post({ ...signed, method: 'alipay.trade.teleport' })).body);
    expect(unknown.error_response).toMatchObject({ code: '40002', sub_code: 'isv.invalid-method' });
  });

  it('reads the common parameters from the query string and biz_content from the body, as the SDKs send them', async () => {
    const s = sim();
    const { biz_content, ...common } = signRequest(requestParams(s.appId, 'alipay.trade.pay', PAY), KEYS.merchantPrivateKey);
    const res = await s.app.inject({ method: 'POST', url: `/gateway.do?${new URLSearchParams(common)}`, payload: new URLSearchParams({ biz_content: biz_content! }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(readResponse(res.body, 'alipay.trade.pay', s.keys.platformPublicKey).body.code).toBe('10000');
  });

  it('hides a precreated trade from trade.query until the buyer scans, then follows WAIT_BUYER_PAY → TRADE_SUCCESS', async () => {
    const s = sim();
    const pre = await call(s.app, s, 'alipay.trade.precreate', { out_trade_no: 'qr1', total_amount: '5.00', subject: 'QR' });
    expect(pre.body).toMatchObject({ code: '10000', out_trade_no: 'qr1' });
    expect(pre.body.qr_code).toMatch(/^https:\/\/qr\.alipay\.com\//);
    expect((await call(s.app, s, 'alipay.trade.query', { out_trade_no: 'qr1' })).body.sub_code).toBe('ACQ.TRADE_NOT_EXIST');
    await s.app.inject({ method: 'POST', url: '/__sim/buyer/qr1?action=scan' });
    expect((await call(s.app, s, 'alipay.trade.query', { out_trade_no: 'qr1' })).body).toMatchObject({ code: '10000', trade_status: 'WAIT_BUYER_PAY' });
    expect(s.ledger.size).toBe(0);
    const paid = await s.app.inject({ method: 'POST', url: '/__sim/buyer/qr1?action=pay' });
    expect(paid.json()).toMatchObject({ trade_status: 'TRADE_SUCCESS' });
    expect((await call(s.app, s, 'alipay.trade.query', { out_trade_no: 'qr1' })).body).toMatchObject({ trade_status: 'TRADE_SUCCESS', buyer_pay_amount: '5.00' });
    expect(s.ledger.count('capture')).toBe(1);
  });

  it('lets the buyer give up: WAIT_BUYER_PAY → TRADE_CLOSED, and a later pay is refused with 409', async () => {
    const s = sim();
    await call(s.app, s, 'alipay.trade.create', { out_trade_no: 'gaveup', total_amount: '3.00', subject: 'mini', buyer_id: '2088102146225135' });
    expect((await s.app.inject({ method: 'POST', url: '/__sim/buyer/gaveup?action=cancel' })).json()).toMatchObject({ trade_status: 'TRADE_CLOSED' });
    expect((await s.app.inject({ method: 'POST', url: '/__sim/buyer/gaveup?action=pay' })).statusCode).toBe(409);
    expect((await s.app.inject({ method: 'POST', url: '/__sim/buyer/nope?action=pay' })).statusCode).toBe(404);
    expect(s.ledger.size).toBe(0);
  });

  it('closes an unpaid trade, refuses to close a paid one, and answers ACQ.TRADE_HAS_CLOSE afterwards', async () => {
    const s = sim();
    await call(s.app, s, 'alipay.trade.create', { out_trade_no: 'c1', total_amount: '3.00', subject: 'mini', buyer_id: '2088102146225135' });
    expect((await call(s.app, s, 'alipay.trade.close', { out_trade_no: 'c1' })).body).toMatchObject({ code: '10000', out_trade_no: 'c1' });
    expect((await call(s.app, s, 'alipay.trade.query', { out_trade_no: 'c1' })).body.trade_status).toBe('TRADE_CLOSED');
    expect((await call(s.app, s, 'alipay.trade.create', { out_trade_no: 'c1', total_amount: '3.00', subject: 'mini', buyer_id: '2088102146225135' })).body.sub_code).toBe('ACQ.TRADE_HAS_CLOSE');
    await call(s.app, s, 'alipay.trade.pay', PAY);
    expect((await call(s.app, s, 'alipay.trade.close', { out_trade_no: 'ord_1' })).body.sub_code).toBe('ACQ.TRADE_STATUS_ERROR');
  });

  it('refunds in parts by out_request_no, replays a repeated one, never refunds more than paid, and closes a fully refunded trade', async () => {
    const s = sim();
    await call(s.app, s, 'alipay.trade.pay', PAY);
    const first = await call(s.app, s, 'alipay.trade.refund', { out_trade_no: 'ord_1', refund_amount: '8.88', out_request_no: 'r1' });
    expect(first.body).toMatchObject({ code: '10000', fund_change: 'Y', refund_fee: '8.88' });
    expect((await call(s.app, s, 'alipay.trade.refund', { out_trade_no: 'ord_1', refund_amount: '8.88', out_request_no: 'r1' })).body).toMatchObject({ code: '10000', fund_change: 'N', refund_fee: '8.88' });
    expect((await call(s.app, s, 'alipay.trade.refund', { out_trade_no: 'ord_1', refund_amount: '80.01', out_request_no: 'r2' })).body.sub_code).toBe('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL');
    expect((await call(s.app, s, 'alipay.trade.refund', { out_trade_no: 'ord_1', refund_amount: '80.00', out_request_no: 'r2' })).body.refund_fee).toBe('88.88');
    expect((await call(s.app, s, 'alipay.trade.query', { out_trade_no: 'ord_1' })).body.trade_status).toBe('TRADE_CLOSED');
    expect((await call(s.app, s, 'alipay.trade.fastpay.refund.query', { out_trade_no: 'ord_1', out_request_no: 'r2' })).body).toMatchObject({ refund_status: 'REFUND_SUCCESS', refund_amount: '80.00' });
    expect((await call(s.app, s, 'alipay.trade.fastpay.refund.query', { out_trade_no: 'ord_1', out_request_no: 'nope' })).body).not.toHaveProperty('refund_status');
    expect(s.ledger.entries().filter((e) => e.kind === 'refund').map((e) => [e.amount, e.reference])).toEqual([[888, 'r1'], [8000, 'r2']]);
    const csv = (await s.app.inject({ method: 'GET', url: '/__sim/settlement.csv' })).body;
    expect(csv.split('\r\n')[0]).toContain('支付宝交易号,商户订单号,业务类型');
    expect(csv).toContain(',退款,Singles Day tea,');
    expect(csv).toContain('-80.00');
  });
});

describe('Alipay behaviour profile', () => {
  it('forces declines from the outcome mix: the trade is closed and the out_trade_no spent', async () => {
    const s = sim({ profile: { outcomes: { 'ACQ.BUYER_BALANCE_NOT_ENOUGH': 1 } } });
    const res = await call(s.app, s, 'alipay.trade.pay', PAY);
    expect(res.body).toMatchObject({ code: '40004', sub_code: 'ACQ.BUYER_BALANCE_NOT_ENOUGH', sub_msg: '买家余额不足' });
    expect(s.ledger.size).toBe(0);
    s.behaviour.apply({});
    expect((await call(s.app, s, 'alipay.trade.pay', PAY)).body.sub_code).toBe('ACQ.TRADE_HAS_CLOSE');
  });

  it('answers 10003 when the buyer must confirm, and pays once the buyer does', async () => {
    const s = sim({ profile: { outcomes: { '10003': 1 } } });
    expect((await call(s.app, s, 'alipay.trade.pay', PAY)).body).toMatchObject({ code: '10003', out_trade_no: 'ord_1' });
    expect((await call(s.app, s, 'alipay.trade.query', { out_trade_no: 'ord_1' })).body.trade_status).toBe('WAIT_BUYER_PAY');
    await s.app.inject({ method: 'POST', url: '/__sim/buyer/ord_1?action=pay' });
    expect((await call(s.app, s, 'alipay.trade.query', { out_trade_no: 'ord_1' })).body.trade_status).toBe('TRADE_SUCCESS');
  });

  it('turns a burst into signed ACQ.SYSTEM_ERROR envelopes that commit nothing', async () => {
    const s = sim({ profile: { bursts: { every: '1h', for: '1h', status: 500 } } });
    const res = await call(s.app, s, 'alipay.trade.pay', PAY);
    expect(res.status).toBe(200);
    expect(res.verified).toBe(true);
    expect(res.body).toMatchObject({ code: '20000', msg: 'Service Currently Unavailable', sub_code: 'ACQ.SYSTEM_ERROR' });
    expect(s.ledger.size).toBe(0);
  });

  it('under "commit then error" pays the trade, answers ACQ.SYSTEM_ERROR, and trade.query tells the truth', async () => {
    const s = sim({ profile: { commitThenError: { rate: 1 } } });
    expect((await call(s.app, s, 'alipay.trade.pay', PAY)).body.sub_code).toBe('ACQ.SYSTEM_ERROR');
    s.behaviour.apply({});
    expect((await call(s.app, s, 'alipay.trade.query', { out_trade_no: 'ord_1' })).body.trade_status).toBe('TRADE_SUCCESS');
    expect(s.ledger.count('capture')).toBe(1);
  });

  it('pays once when many identical requests race on one out_trade_no', async () => {
    const s = sim({ profile: { latency: { kind: 'uniform', min: 1, max: 20 } } });
    const answers = await Promise.all(Array.from({ length: 12 }, () => call(s.app, s, 'alipay.trade.pay', PAY)));
    expect(answers.filter((a) => a.body.code === '10000')).toHaveLength(1);
    expect(answers.filter((a) => a.body.sub_code === 'ACQ.TRADE_HAS_SUCCESS')).toHaveLength(11);
    expect(s.ledger.count('capture')).toBe(1);
  });

  it('replays the same trade numbers and outcomes from the same seed', async () => {
    const run = async () => {
      const s = sim({ seed: 99, profile: { outcomes: { 'ACQ.BUYER_BALANCE_NOT_ENOUGH': 0.5 } } });
      const out: string[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await call(s.app, s, 'alipay.trade.pay', { ...PAY, out_trade_no: `seed_${i}` });
        out.push(`${res.body.code}:${res.body.trade_no ?? res.body.sub_code}`);
      }
      return out;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first.map((o) => o.split(':')[0])).size).toBe(2);
  });

  it('serves the platform public key and the generated merchant key pair at /__sim/keys', async () => {
    const s = buildAlipaySim({ seed: 12 });
    sims.push(s);
    const keys = (await s.app.inject({ method: 'GET', url: '/__sim/keys' })).json();
    expect(keys.appId).toBe(s.appId);
    expect(keys.alipayPublicKey).toContain('BEGIN PUBLIC KEY');
    expect(keys.merchantPrivateKey).toContain('BEGIN PRIVATE KEY');
  });
});
