import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaledClock } from '../../../src/kernel/index.js';
import { startUnionPaySim, type StartedUnionPaySim } from '../../../simulators/unionpay/index.js';
import { startReceiver } from './receiver.js';
import { UpopTestClient, beijingNow, type UnionPayMerchant } from './unionpay-client.js';

/**
 * The UnionPay simulator through an independent merchant client (unionpay-client.ts: node:crypto
 * from the published protocol): every answer and notification must verify with it, and its
 * requests must be taken.
 */
let sim: StartedUnionPaySim;
let client: UpopTestClient;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const fromForm = (body: string): Record<string, string> => Object.fromEntries(new URLSearchParams(body));

beforeAll(async () => {
  // The first delivery is answered 500, so the ladder's first gap (1 minute) runs: ×6000 makes it 10 ms.
  receiver = await startReceiver((_r, n) => (n === 1 ? { status: 500 } : { status: 200, body: 'ok' }));
  sim = await startUnionPaySim({ seed: 15, clock: scaledClock(6000), processingMs: 3_000_000 });
  const merchant = (await (await fetch(`${sim.url}/__sim/keys`)).json()) as UnionPayMerchant;
  client = new UpopTestClient(sim.url, merchant);
});
afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});

const consume = (orderId: string, txnTime: string, txnAmt = '1000') => ({
  ...client.common('01', '01'),
  orderId,
  txnTime,
  txnAmt,
  currencyCode: '156',
  backUrl: receiver.url,
  accNo: '6216261000000000018',
});

describe('UnionPay simulator with an independent 5.1.0 client', () => {
  it('pays by back consume, queries, refunds in part, and every answer verifies against the certificate chain', async () => {
    const txnTime = beijingNow();
    const paid = await client.back(consume('upOrder0001', txnTime));
    expect(paid).toMatchObject({ respCode: '00', orderId: 'upOrder0001', txnAmt: '1000' });
    expect(client.verify(paid)).toBe(true);
    expect(paid.accNo).toBe('621626*********0018');

    const q = await client.query('upOrder0001', txnTime);
    expect(client.verify(q)).toBe(true);
    expect(q).toMatchObject({ respCode: '00', origRespCode: '00', queryId: paid.queryId });

    const refund = await client.back({ ...client.common('04', '00'), orderId: 'upRefund0001', txnTime: beijingNow(), txnAmt: '400', currencyCode: '156', origQryId: paid.queryId!, backUrl: receiver.url });
    expect(client.verify(refund)).toBe(true);
    expect(refund).toMatchObject({ respCode: '00', origQryId: paid.queryId });
    // More than is left is refused (36) and moves nothing.
    const over = await client.back({ ...client.common('04', '00'), orderId: 'upRefund0002', txnTime: beijingNow(), txnAmt: '601', currencyCode: '156', origQryId: paid.queryId!, backUrl: receiver.url });
    expect(over.respCode).toBe('36');
    expect(sim.ledger.balanceOf(paid.queryId!)).toMatchObject({ captured: 1000, refunded: 400 });
  });

  it('answers the same orderId + txnTime with 12 (duplicate), never a second charge; a query settles it', async () => {
    const txnTime = beijingNow();
    expect((await client.back(consume('upOrder0002', txnTime))).respCode).toBe('00');
    const again = await client.back(consume('upOrder0002', txnTime));
    expect(again.respCode).toBe('12');
    expect(client.verify(again)).toBe(true);
    expect(sim.ledger.byOrder('upOrder0002').filter((e) => e.kind === 'capture')).toHaveLength(1);
    expect((await client.query('upOrder0002', txnTime)).origRespCode).toBe('00');
  });

  it('refuses a request whose signed field was changed after signing (11), and one with another certId', async () => {
    const signed = client.sign(consume('upOrder0003', beijingNow()));
    const tampered = UpopTestClient.parseAnswer((await client.post('/gateway/api/backTransReq.do', { ...signed, txnAmt: '1' })).text);
    expect(tampered.respCode).toBe('11');
    const otherCert = UpopTestClient.parseAnswer((await client.post('/gateway/api/backTransReq.do', { ...signed, certId: '12345' })).text);
    expect(otherCert.respCode).toBe('11');
    expect((await client.query('upOrder0003', signed.txnTime!)).respCode).toBe('34');
    // Negative control for the client's own check: a changed answer field no longer verifies.
    const good = await client.back(consume('upOrder0004', beijingNow()));
    expect(client.verify(good)).toBe(true);
    expect(client.verify({ ...good, txnAmt: '1' })).toBe(false);
  });

  it('sends the back notification signed with signPubKeyCert, again after a 500, until answered 200', async () => {
    const first = fromForm(receiver.received[0]!.body);
    const again = await receiver.waitForOne((r) => r !== receiver.received[0] && fromForm(r.body).orderId === first.orderId);
    const second = fromForm(again.body);
    expect(second).toEqual(first);
    expect(client.verify(second)).toBe(true);
    expect(client.verify({ ...second, txnAmt: '1' })).toBe(false);
    expect(second).toMatchObject({ respCode: '00', txnType: '01', orderId: 'upOrder0001' });
  });

  it('answers an in-progress consume 05; a query says 05 until it ends, then 00', async () => {
    await sim.behaviour.apply({ outcomes: { '05': 1 } });
    const txnTime = beijingNow();
    const answer = await client.back(consume('upOrder0005', txnTime));
    expect(answer.respCode).toBe('05');
    expect((await client.query('upOrder0005', txnTime)).origRespCode).toBe('05');
    await sim.behaviour.apply({});
    // processingMs 50 simulated minutes at ×6000: 500 ms.
    await new Promise((r) => setTimeout(r, 800));
    expect((await client.query('upOrder0005', txnTime)).origRespCode).toBe('00');
  });

  it('ends a declined consume with its code, moving no money', async () => {
    await sim.behaviour.apply({ outcomes: { '64': 1 } });
    const txnTime = beijingNow();
    const declined = await client.back(consume('upOrder0006', txnTime));
    await sim.behaviour.apply({});
    expect(declined.respCode).toBe('64');
    expect(client.verify(declined)).toBe(true);
    expect((await client.query('upOrder0006', txnTime)).origRespCode).toBe('64');
    expect(sim.ledger.byOrder('upOrder0006')).toEqual([]);
  });

  it('cancels a consume the same day in full (31); a partial cancel is refused', async () => {
    const paid = await client.back(consume('upOrder0007', beijingNow(), '500'));
    const partial = await client.back({ ...client.common('31', '00'), orderId: 'upCancel0001', txnTime: beijingNow(), txnAmt: '100', currencyCode: '156', origQryId: paid.queryId!, backUrl: receiver.url });
    expect(partial.respCode).toBe('36');
    const cancelled = await client.back({ ...client.common('31', '00'), orderId: 'upCancel0002', txnTime: beijingNow(), txnAmt: '500', currencyCode: '156', origQryId: paid.queryId!, backUrl: receiver.url });
    expect(cancelled.respCode).toBe('00');
    expect(sim.ledger.balanceOf(paid.queryId!)).toMatchObject({ captured: 500, refunded: 500 });
  });

  it('pays by front consume: the cashier page, the card, then the signed result posted to frontUrl', async () => {
    const txnTime = beijingNow();
    const signed = client.sign({ ...consume('upOrder0008', txnTime), frontUrl: 'http://127.0.0.1:9/return', accNo: '' });
    delete (signed as Record<string, string>).accNo;
    const resigned = client.sign(Object.fromEntries(Object.entries(signed).filter(([k]) => k !== 'signature' && k !== 'accNo')));
    const page = await client.post('/gateway/api/frontTransReq.do', resigned);
    expect(page.status).toBe(200);
    const queryId = /name="queryId" value="(\d+)"/.exec(page.text)?.[1];
    expect(queryId).toBeDefined();
    // Not paid yet: UnionPay knows no such transaction.
    expect((await client.query('upOrder0008', txnTime)).respCode).toBe('34');
    const res = await fetch(`${sim.url}/gateway/cashier/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ queryId: queryId!, accNo: '6216261000000000018' }).toString() });
    const html = await res.text();
    expect(html).toContain('action="http://127.0.0.1:9/return"');
    const posted: Record<string, string> = {};
    for (const m of html.matchAll(/name="([^"]+)" value="([^"]*)"/g)) posted[m[1]!] = m[2]!.replace(/&#(\d+);/g, (_s, c: string) => String.fromCharCode(Number(c)));
    expect(posted.respCode).toBe('00');
    expect(client.verify(posted)).toBe(true);
    expect((await client.query('upOrder0008', txnTime)).origRespCode).toBe('00');
  });
});
