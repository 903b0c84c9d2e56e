import { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlipaySim, type StartedAlipaySim } from '../../../simulators/alipay/index.js';

/** 分账 (alipay.trade.order.settle) with the official alipay-sdk signing requests and verifying answers. */
let sim: StartedAlipaySim;
let sdk: AlipaySdk;

beforeAll(async () => {
  sim = await startAlipaySim({ seed: 41 });
  const keys = (await (await fetch(`${sim.url}/__sim/keys`)).json()) as { appId: string; alipayPublicKey: string; merchantPrivateKey: string };
  sdk = new AlipaySdk({ appId: keys.appId, privateKey: keys.merchantPrivateKey, keyType: 'PKCS8', alipayPublicKey: keys.alipayPublicKey, gateway: `${sim.url}/gateway.do`, endpoint: sim.url, camelcase: false });
});
afterAll(async () => {
  await sim?.close();
});

const exec = (method: string, bizContent: Record<string, unknown>) => sdk.exec(method, { bizContent }, { validateSign: true }) as Promise<Record<string, unknown>>;
const pay = (outTradeNo: string, total: string) => exec('alipay.trade.pay', { out_trade_no: outTradeNo, total_amount: total, subject: '分账', scene: 'bar_code', auth_code: '281234567890123456' });
const royalty = (transIn: string, amount: string) => ({ royalty_type: 'transfer', trans_in_type: 'userId', trans_in: transIn, amount, desc: `分账给${transIn}` });

describe('Alipay 分账 with the alipay-sdk package', () => {
  it('settles parts of a paid trade to other accounts, idempotently by out_request_no, and queries them', async () => {
    const paid = await pay('settle_1', '100.00');
    const tradeNo = paid.trade_no as string;
    const settle = await exec('alipay.trade.order.settle', { out_request_no: 'st_1', trade_no: tradeNo, royalty_parameters: [royalty('2088101126708402', '30.00'), royalty('2088101126708403', '20.00')] });
    expect(settle).toMatchObject({ code: '10000', trade_no: tradeNo });
    expect(settle.settle_no).toMatch(/^\d{28}$/);
    const again = await exec('alipay.trade.order.settle', { out_request_no: 'st_1', trade_no: tradeNo, royalty_parameters: [royalty('2088101126708402', '30.00'), royalty('2088101126708403', '20.00')] });
    expect(again.settle_no).toBe(settle.settle_no);
    const changed = await exec('alipay.trade.order.settle', { out_request_no: 'st_1', trade_no: tradeNo, royalty_parameters: [royalty('2088101126708402', '31.00')] });
    expect(changed).toMatchObject({ code: '40004', sub_code: 'ACQ.CONTEXT_INCONSISTENT' });

    const query = await exec('alipay.trade.order.settle.query', { settle_no: settle.settle_no });
    expect(query).toMatchObject({ code: '10000', out_request_no: 'st_1' });
    expect((query.royalty_detail_list as Array<Record<string, string>>).map((r) => [r.trans_in, r.amount, r.state])).toEqual([
      ['2088101126708402', '30.00', 'SUCCESS'],
      ['2088101126708403', '20.00', 'SUCCESS'],
    ]);
    // The split moves the merchant's money, not the buyer's: the ledger has the payment alone.
    expect(sim.ledger.byOrder('settle_1').map((e) => e.kind)).toEqual(['authorization', 'capture']);
  });

  it('never shares more than is left of the trade after refunds and earlier settles', async () => {
    const tradeNo = (await pay('settle_2', '10.00')).trade_no as string;
    await exec('alipay.trade.refund', { trade_no: tradeNo, refund_amount: '4.00', out_request_no: 'r_2' });
    const over = await exec('alipay.trade.order.settle', { out_request_no: 'st_2a', trade_no: tradeNo, royalty_parameters: [royalty('2088101126708402', '6.01')] });
    expect(over).toMatchObject({ code: '40004', sub_code: 'ACQ.ALLOC_AMOUNT_VALIDATE_ERROR' });
    expect((await exec('alipay.trade.order.settle', { out_request_no: 'st_2b', trade_no: tradeNo, royalty_parameters: [royalty('2088101126708402', '5.00')] })).code).toBe('10000');
    const rest = await exec('alipay.trade.order.settle', { out_request_no: 'st_2c', trade_no: tradeNo, royalty_parameters: [royalty('2088101126708402', '1.01')] });
    expect(rest).toMatchObject({ sub_code: 'ACQ.ALLOC_AMOUNT_VALIDATE_ERROR' });
  });

  it("refuses an unpaid or unknown trade and bad items with Alipay's sub_codes", async () => {
    const waiting = await exec('alipay.trade.create', { out_trade_no: 'settle_3', total_amount: '8.00', subject: '分账', buyer_id: '2088102146225135' });
    expect(waiting.code).toBe('10000');
    const unpaid = await exec('alipay.trade.order.settle', { out_request_no: 'st_3', trade_no: waiting.trade_no, royalty_parameters: [royalty('2088101126708402', '1.00')] });
    expect(unpaid).toMatchObject({ code: '40004', sub_code: 'ACQ.TRADE_STATUS_ERROR' });
    const unknown = await exec('alipay.trade.order.settle', { out_request_no: 'st_4', trade_no: '2026120722001499999999999999', royalty_parameters: [royalty('2088101126708402', '1.00')] });
    expect(unknown).toMatchObject({ sub_code: 'ACQ.TRADE_NOT_EXIST' });
    const tradeNo = (await pay('settle_5', '5.00')).trade_no as string;
    for (const [items, field] of [
      [[], 'royalty_parameters'],
      [[royalty('not-a-user', '1.00')], 'royalty_parameters[0].trans_in'],
      [[royalty('2088101126708402', '1.001')], 'royalty_parameters[0].amount'],
    ] as const) {
      const bad = await exec('alipay.trade.order.settle', { out_request_no: `st_5_${field}`, trade_no: tradeNo, royalty_parameters: items });
      expect(bad).toMatchObject({ code: '40004', sub_code: 'ACQ.INVALID_PARAMETER', sub_msg: `参数无效: ${field}` });
    }
    expect(await exec('alipay.trade.order.settle.query', { settle_no: '0000' })).toMatchObject({ sub_code: 'ACQ.TRADE_SETTLE_NOT_EXIST' });
  });
});
