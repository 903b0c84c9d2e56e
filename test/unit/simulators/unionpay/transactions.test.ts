import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isNormalisedCode } from '../../../../src/conventions/index.js';
import { ManualClock } from '../../../../src/kernel/index.js';
import { UNIONPAY_OUTCOMES, UNIONPAY_RESP_CODES, buildUnionPaySim, upopSign, upopVerify, type UnionPaySim } from '../../../../simulators/unionpay/index.js';

/**
 * The UnionPay simulator's timed parts on a manual clock, through inject(): a consume answered
 * 05 ends when its processing time has passed, a front consume is paid by the simulated
 * cardholder, and nothing fires once the simulator is closed.
 */
const TXN_TIME = '20261111080000';

function signed(sim: UnionPaySim, fields: Record<string, string>): string {
  const all = { version: '5.1.0', encoding: 'UTF-8', signMethod: '01', certId: sim.keys.merchantCertId, bizType: '000201', accessType: '0', channelType: '07', merId: sim.merId, ...fields };
  return new URLSearchParams({ ...all, signature: upopSign(all, sim.keys.merchantKey) }).toString();
}

const post = async (sim: UnionPaySim, path: string, fields: Record<string, string>) => {
  const res = await sim.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: signed(sim, fields) });
  return { status: res.statusCode, body: res.body, fields: Object.fromEntries(res.body.split('&').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)])) };
};
const consume = (orderId: string) => ({ txnType: '01', txnSubType: '01', orderId, txnTime: TXN_TIME, txnAmt: '800', currencyCode: '156', backUrl: 'http://127.0.0.1:9/n', accNo: '6216261000000000018' });
const query = (sim: UnionPaySim, orderId: string) => post(sim, '/gateway/api/queryTrans.do', { txnType: '00', txnSubType: '00', bizType: '000000', orderId, txnTime: TXN_TIME });

describe('UnionPay simulator on a manual clock', () => {
  it('ends a consume answered 05 when processingMs has passed, and never once closed', async () => {
    const clock = new ManualClock();
    const sim = buildUnionPaySim({ seed: 5, clock, processingMs: 1000, profile: { outcomes: { '05': 1 } } });
    expect((await post(sim, '/gateway/api/backTransReq.do', consume('orderAAA1'))).fields.respCode).toBe('05');
    expect((await post(sim, '/gateway/api/backTransReq.do', consume('orderAAA2'))).fields.respCode).toBe('05');
    clock.advance(999);
    expect((await query(sim, 'orderAAA1')).fields.origRespCode).toBe('05');
    clock.advance(1);
    expect((await query(sim, 'orderAAA1')).fields.origRespCode).toBe('00');
    expect(sim.ledger.count('capture')).toBe(2);

    const closing = buildUnionPaySim({ seed: 6, clock, processingMs: 1000, profile: { outcomes: { '05': 1 } } });
    expect((await post(closing, '/gateway/api/backTransReq.do', consume('orderBBB1'))).fields.respCode).toBe('05');
    await closing.app.close();
    clock.advance(5000);
    expect(closing.ledger.size).toBe(0);
    await sim.app.close();
  });

  it('lets the simulated cardholder pay a front consume after shopperDelayMs', async () => {
    const clock = new ManualClock();
    const sim = buildUnionPaySim({ seed: 7, clock, shopperDelayMs: 3000 });
    const { accNo: _card, ...front } = consume('orderCCC1');
    const page = await post(sim, '/gateway/api/frontTransReq.do', { ...front, frontUrl: 'http://127.0.0.1:9/back' });
    expect(page.body).toContain('银联在线支付');
    expect((await query(sim, 'orderCCC1')).fields.respCode).toBe('34');
    clock.advance(3000);
    expect((await query(sim, 'orderCCC1')).fields).toMatchObject({ respCode: '00', origRespCode: '00', accNo: '621626*********0018' });
    await sim.app.close();
  });

  it('names the missing or wrong field in respMsg: 13 for a missing one, 10 for a malformed one', async () => {
    const sim = buildUnionPaySim({ seed: 8 });
    const { backUrl: _b, ...noBackUrl } = consume('orderDDD1');
    expect((await post(sim, '/gateway/api/backTransReq.do', noBackUrl)).fields).toMatchObject({ respCode: '13', respMsg: expect.stringContaining('backUrl') });
    expect((await post(sim, '/gateway/api/backTransReq.do', { ...consume('order-DDD2'), orderId: 'order-DDD2' })).fields).toMatchObject({ respCode: '10', respMsg: expect.stringContaining('orderId') });
    expect((await post(sim, '/gateway/api/backTransReq.do', { ...consume('orderDDD3'), txnTime: '20261341000000' })).fields).toMatchObject({ respCode: '10', respMsg: expect.stringContaining('txnTime') });
    expect(sim.ledger.size).toBe(0);
    await sim.app.close();
  });
});

describe('UnionPay codes and gate answers', () => {
  it('maps every answer code to a normalised code (none for success)', () => {
    for (const [code, entry] of Object.entries(UNIONPAY_RESP_CODES)) {
      if (code === '00' || code === 'A6') expect(entry.normalised, code).toBeUndefined();
      else expect(isNormalisedCode(entry.normalised ?? ''), code).toBe(true);
    }
    for (const code of UNIONPAY_OUTCOMES) expect(Object.keys(UNIONPAY_RESP_CODES)).toContain(code);
  });

  it('answers an injected 500 as its own signed respCode 06 (HTTP 200), a 502 as the load balancer\'s HTML, committing nothing', async () => {
    const sim = buildUnionPaySim({ seed: 9, profile: { serverErrors: { rate: 1, status: 500 } } });
    const busy = await post(sim, '/gateway/api/backTransReq.do', consume('orderEEE1'));
    expect([busy.status, busy.fields.respCode]).toEqual([200, '06']);
    expect(upopVerify(busy.fields, createPublicKey(busy.fields.signPubKeyCert!))).toBe(true);
    sim.behaviour.apply({ serverErrors: { rate: 1, status: 502 } });
    const lb = await post(sim, '/gateway/api/backTransReq.do', consume('orderEEE2'));
    expect([lb.status, lb.body]).toEqual([502, '<html><body><h1>502</h1></body></html>']);
    expect(sim.ledger.size).toBe(0);
    await sim.app.close();
  });
});
