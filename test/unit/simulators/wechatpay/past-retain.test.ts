import { afterEach, describe, expect, it } from 'vitest';
import { buildWechatPaySim, type WechatPaySim } from '../../../../simulators/wechatpay/index.js';
import { ORDER, SIM_KEYS, wx } from './helpers.js';

/**
 * Issue 19: past `retain` the simulator used to forget orders (query and refund of an old one
 * answered RESOURCE_NOT_EXISTS / ORDER_NOT_EXIST; resubmitting an old out_trade_no made a second
 * order the payer could pay again). With `retain: 3` the first order is read back from disk below.
 */
let s: WechatPaySim;
afterEach(async () => s?.app.close());

const RETAIN = 3;
const pay = (outTradeNo: string) => s.app.inject({ method: 'POST', url: `/__sim/payer/${outTradeNo}?action=pay` });

async function order(outTradeNo: string): Promise<string> {
  expect((await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', { ...ORDER, out_trade_no: outTradeNo })).status).toBe(200);
  expect((await pay(outTradeNo)).statusCode).toBe(200);
  return (await wx(s.app, 'GET', `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=1900000001`)).body!.transaction_id as string;
}

async function payMany(from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) await order(`wx_many_${i}`);
}

describe('WeChat Pay past retain', () => {
  it('queries and refunds an old order, by out_trade_no and by transaction_id, and never beyond what was paid', async () => {
    s = buildWechatPaySim({ seed: 41, retain: RETAIN, ...SIM_KEYS });
    const txid = await order('wx_old_01');
    await payMany(0, 4 * RETAIN);
    expect((await wx(s.app, 'GET', `/v3/pay/transactions/id/${txid}?mchid=1900000001`)).body).toMatchObject({ out_trade_no: 'wx_old_01', trade_state: 'SUCCESS' });
    const refund = (no: string, amount: number) => wx(s.app, 'POST', '/v3/refund/domestic/refunds', { transaction_id: txid, out_refund_no: no, amount: { refund: amount, total: 8888, currency: 'CNY' } });
    const first = await refund('rf_old', 888);
    expect(first.body).toMatchObject({ out_refund_no: 'rf_old', amount: { refund: 888 } });
    await payMany(100, 4 * RETAIN);
    expect((await wx(s.app, 'GET', '/v3/refund/domestic/refunds/rf_old')).body).toMatchObject({ refund_id: first.body!.refund_id, out_trade_no: 'wx_old_01' });
    // The refund was spilled with its order: its replay moves no money, and 8,001 more is too much.
    expect((await refund('rf_old', 888)).body!.refund_id).toBe(first.body!.refund_id);
    expect((await refund('rf_2', 8001)).body!.code).toBe('INVALID_REQUEST');
    expect(s.ledger.balanceOf(txid)).toMatchObject({ captured: 8888, refunded: 888 });
  });

  it('answers a resubmitted old paid out_trade_no with ORDERPAID, an unpaid one with its prepay, and never charges twice', async () => {
    s = buildWechatPaySim({ seed: 41, retain: RETAIN, ...SIM_KEYS });
    await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', { ...ORDER, out_trade_no: 'wx_old_02' });
    await pay('wx_old_02');
    const unpaid = await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', { ...ORDER, out_trade_no: 'wx_old_03' });
    await payMany(0, 4 * RETAIN);
    expect((await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', { ...ORDER, out_trade_no: 'wx_old_02' })).body).toMatchObject({ code: 'ORDERPAID' });
    expect((await pay('wx_old_02')).statusCode).toBe(409);
    expect((await wx(s.app, 'POST', '/v3/pay/transactions/jsapi', { ...ORDER, out_trade_no: 'wx_old_03' })).body).toEqual(unpaid.body);
    expect(s.ledger.byOrder('wx_old_02').filter((e) => e.kind === 'capture')).toHaveLength(1);
  });
});
