import { afterEach, describe, expect, it } from 'vitest';
import { buildUnionPaySim, upopSign, type UnionPaySim } from '../../../../simulators/unionpay/index.js';

/**
 * Issue 19: past `retain` the simulator used to forget transactions (query of an old consume
 * answered 34, a refund of it failed, and its merId+orderId+txnTime sent again charged a second
 * time). With `retain: 3` the first consume is read back from disk below.
 */
const TXN_TIME = '20261111080000';
const RETAIN = 3;
let sim: UnionPaySim;
afterEach(async () => sim?.app.close());

function signed(fields: Record<string, string>): string {
  const all = { version: '5.1.0', encoding: 'UTF-8', signMethod: '01', certId: sim.keys.merchantCertId, bizType: '000201', accessType: '0', channelType: '07', merId: sim.merId, ...fields };
  return new URLSearchParams({ ...all, signature: upopSign(all, sim.keys.merchantKey) }).toString();
}
const post = async (path: string, fields: Record<string, string>) => {
  const res = await sim.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: signed(fields) });
  return Object.fromEntries(res.body.split('&').map((p) => [p.slice(0, p.indexOf('=')), decodeURIComponent(p.slice(p.indexOf('=') + 1))])) as Record<string, string>;
};
const consume = (orderId: string) => post('/gateway/api/backTransReq.do', { txnType: '01', txnSubType: '01', orderId, txnTime: TXN_TIME, txnAmt: '800', currencyCode: '156', backUrl: 'http://127.0.0.1:9/n', accNo: '6216261000000000018' });
const query = (orderId: string) => post('/gateway/api/queryTrans.do', { txnType: '00', txnSubType: '00', bizType: '000000', orderId, txnTime: TXN_TIME });
const refund = (orderId: string, origQryId: string, amount: string) => post('/gateway/api/backTransReq.do', { txnType: '04', txnSubType: '00', orderId, txnTime: TXN_TIME, txnAmt: amount, currencyCode: '156', origQryId, backUrl: 'http://127.0.0.1:9/n' });

async function payMany(from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) expect((await consume(`orderMany${i}`)).respCode).toBe('00');
}

describe('UnionPay past retain', () => {
  it('queries and refunds an old consume, and never refunds beyond it', async () => {
    sim = buildUnionPaySim({ seed: 5, retain: RETAIN });
    const paid = await consume('orderOld01');
    expect(paid.respCode).toBe('00');
    await payMany(0, 4 * RETAIN);
    expect(await query('orderOld01')).toMatchObject({ respCode: '00', origRespCode: '00', queryId: paid.queryId });
    expect((await refund('refundOld1', paid.queryId!, '300')).respCode).toBe('00');
    await payMany(100, 4 * RETAIN);
    // What was given back was spilled with the consume: 501 more is too much.
    expect((await refund('refundOld2', paid.queryId!, '501')).respCode).not.toBe('00');
    expect(sim.ledger.balanceOf(paid.queryId!)).toMatchObject({ captured: 800, refunded: 300 });
  });

  it('answers an old consume sent again with 12 (duplicate) and charges once', async () => {
    sim = buildUnionPaySim({ seed: 5, retain: RETAIN });
    await consume('orderOld02');
    await payMany(0, 4 * RETAIN);
    expect((await consume('orderOld02')).respCode).toBe('12');
    expect(sim.ledger.byOrder('orderOld02').filter((e) => e.kind === 'capture')).toHaveLength(1);
  });
});
