import { afterEach, describe, expect, it } from 'vitest';
import { buildAlipaySim, type AlipaySim } from '../../../../simulators/alipay/index.js';
import { KEYS, PAY, call } from './helpers.js';

/**
 * Issue 19: past `retain` the simulator used to forget trades (query and refund of an old one
 * answered ACQ.TRADE_NOT_EXIST; a repeated out_trade_no charged again). With `retain: 3` the first
 * trade is read back from disk below.
 */
let s: AlipaySim;
afterEach(async () => s?.app.close());

const RETAIN = 3;
const build = () => (s = buildAlipaySim({ seed: 11, retain: RETAIN, merchantPublicKey: KEYS.merchantPublicKey, platformPrivateKey: KEYS.platformPrivateKey }));

async function payMany(from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) expect((await call(s.app, s, 'alipay.trade.pay', { ...PAY, out_trade_no: `ord_${i}` })).body.code).toBe('10000');
}

describe('Alipay past retain', () => {
  it('queries and refunds an old trade, by out_trade_no and by trade_no, and never beyond what was paid', async () => {
    build();
    const paid = await call(s.app, s, 'alipay.trade.pay', { ...PAY, out_trade_no: 'ord_old' });
    await payMany(0, 4 * RETAIN);
    expect((await call(s.app, s, 'alipay.trade.query', { out_trade_no: 'ord_old' })).body).toMatchObject({ code: '10000', trade_status: 'TRADE_SUCCESS', trade_no: paid.body.trade_no });
    expect((await call(s.app, s, 'alipay.trade.refund', { out_trade_no: 'ord_old', refund_amount: '8.88', out_request_no: 'r1' })).body).toMatchObject({ code: '10000', refund_fee: '8.88' });
    await payMany(100, 4 * RETAIN);
    // The refund was spilled with the trade: its replay moves no money, and 80.01 more is too much.
    expect((await call(s.app, s, 'alipay.trade.refund', { trade_no: paid.body.trade_no, refund_amount: '8.88', out_request_no: 'r1' })).body).toMatchObject({ code: '10000', fund_change: 'N' });
    expect((await call(s.app, s, 'alipay.trade.refund', { out_trade_no: 'ord_old', refund_amount: '80.01', out_request_no: 'r2' })).body.code).not.toBe('10000');
    expect(s.ledger.balanceOf(paid.body.trade_no)).toMatchObject({ captured: 8888, refunded: 888 });
  });

  it('answers a repeated pay of an old out_trade_no with ACQ.TRADE_HAS_SUCCESS and charges once', async () => {
    build();
    await call(s.app, s, 'alipay.trade.pay', { ...PAY, out_trade_no: 'ord_old' });
    await payMany(0, 4 * RETAIN);
    expect((await call(s.app, s, 'alipay.trade.pay', { ...PAY, out_trade_no: 'ord_old' })).body.sub_code).toBe('ACQ.TRADE_HAS_SUCCESS');
    expect(s.ledger.byOrder('ord_old').filter((e) => e.kind === 'capture')).toHaveLength(1);
  });
});
