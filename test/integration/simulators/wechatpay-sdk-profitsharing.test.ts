import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Wechatpay } from 'wechatpay-axios-plugin';
import { startWechatPaySim, type StartedWechatPaySim } from '../../../simulators/wechatpay/index.js';

/** 分账 (APIv3 profit sharing) through wechatpay-axios-plugin: it signs the requests and verifies every answer's signature. */
interface Keys { mchid: string; appid: string; platformSerial: string; platformPublicKey: string; merchantSerial: string; merchantPrivateKey: string }
let sim: StartedWechatPaySim;
let keys: Keys;
let wxpay: any;

beforeAll(async () => {
  sim = await startWechatPaySim({ seed: 62 });
  keys = (await (await fetch(`${sim.url}/__sim/keys`)).json()) as Keys;
  wxpay = new Wechatpay({ mchid: keys.mchid, serial: keys.merchantSerial, privateKey: keys.merchantPrivateKey, certs: { [keys.platformSerial]: keys.platformPublicKey }, baseURL: `${sim.url}/` });
});
afterAll(async () => {
  await sim?.close();
});

/** A paid NATIVE order; `profitSharing` sets settle_info.profit_sharing. Its transaction_id. */
async function paidOrder(outTradeNo: string, total: number, profitSharing = true, pay = true): Promise<string> {
  await wxpay.v3.pay.transactions.native.post({ appid: keys.appid, mchid: keys.mchid, description: '分账', out_trade_no: outTradeNo, notify_url: 'https://shop.example/notify', amount: { total, currency: 'CNY' }, ...(profitSharing ? { settle_info: { profit_sharing: true } } : {}) });
  if (pay) await fetch(`${sim.url}/__sim/payer/${outTradeNo}?action=pay`, { method: 'POST' });
  return (await wxpay.v3.pay.transactions.outTradeNo[outTradeNo].get({ params: { mchid: keys.mchid } })).data.transaction_id ?? '';
}
const receiver = (account: string, amount: number) => ({ type: 'MERCHANT_ID', account, amount, description: `分给商户${account}` });
const share = (transactionId: string, outOrderNo: string, receivers: unknown[], unfreeze = false) =>
  wxpay.v3.profitsharing.orders.post({ appid: keys.appid, transaction_id: transactionId, out_order_no: outOrderNo, receivers, unfreeze_unsplit: unfreeze });
const rejected = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: { response: { status: number; data: unknown } }) => ({ status: e.response.status, data: e.response.data }));

describe('WeChat Pay 分账 with wechatpay-axios-plugin', () => {
  it('shares parts of a paid order, queries the order and the unsplit amount, and answers a resubmission the same', async () => {
    const tx = await paidOrder('ps_order_1', 1_000);
    const first = await share(tx, 'ps_1', [receiver('1900000109', 300), receiver('1900000110', 200)]);
    expect(first.data).toMatchObject({ transaction_id: tx, out_order_no: 'ps_1', state: 'FINISHED' });
    expect(first.data.receivers.map((r: { account: string; amount: number; result: string }) => [r.account, r.amount, r.result])).toEqual([['1900000109', 300, 'SUCCESS'], ['1900000110', 200, 'SUCCESS']]);
    expect((await share(tx, 'ps_1', [receiver('1900000109', 300), receiver('1900000110', 200)])).data.order_id).toBe(first.data.order_id);
    expect(await rejected(share(tx, 'ps_1', [receiver('1900000109', 301)]))).toMatchObject({ status: 400, data: { code: 'INVALID_REQUEST' } });

    const queried = await wxpay.v3.profitsharing.orders.ps_1.get({ params: { transaction_id: tx } });
    expect(queried.data.order_id).toBe(first.data.order_id);
    expect((await wxpay.v3.profitsharing.transactions[tx].amounts.get()).data).toEqual({ transaction_id: tx, unsplit_amount: 500 });
    // Sharing moves the merchant's money, not the payer's: the ledger has the payment alone.
    expect(sim.ledger.byOrder('ps_order_1').map((e) => e.kind)).toEqual(['authorization', 'capture']);
  });

  it('never shares more than the unsplit amount, and nothing after the rest is unfrozen', async () => {
    const tx = await paidOrder('ps_order_2', 1_000);
    await wxpay.v3.refund.domestic.refunds.post({ out_trade_no: 'ps_order_2', out_refund_no: 'ps_rf_2', amount: { refund: 400, total: 1_000, currency: 'CNY' } });
    expect(await rejected(share(tx, 'ps_2a', [receiver('1900000109', 601)]))).toMatchObject({ status: 403, data: { code: 'NOT_ENOUGH' } });
    await share(tx, 'ps_2b', [receiver('1900000109', 100)], true);
    expect((await wxpay.v3.profitsharing.transactions[tx].amounts.get()).data.unsplit_amount).toBe(0);
    expect(await rejected(share(tx, 'ps_2c', [receiver('1900000109', 1)]))).toMatchObject({ status: 400, data: { code: 'INVALID_REQUEST' } });
  });

  it("refuses unpaid, unshareable and unknown orders and bad receivers with WeChat's codes", async () => {
    const unpaid = await paidOrder('ps_order_3', 500, true, false);
    expect(unpaid).toBe('');
    const notShareable = await paidOrder('ps_order_4', 500, false);
    expect(await rejected(share(notShareable, 'ps_4', [receiver('1900000109', 1)]))).toMatchObject({ status: 400, data: { code: 'INVALID_REQUEST' } });
    expect(await rejected(share('4200000000000000000000000000', 'ps_5', [receiver('1900000109', 1)]))).toMatchObject({ status: 404, data: { code: 'ORDER_NOT_EXIST' } });
    const tx = await paidOrder('ps_order_6', 500);
    for (const [receivers, field] of [
      [[], 'receivers'],
      [[{ ...receiver('1900000109', 1), type: 'BANK' }], 'receivers[0].type'],
      [[receiver('1900000109', 0)], 'receivers[0].amount'],
      [[{ ...receiver('1900000109', 1), description: '' }], 'receivers[0].description'],
    ] as const) {
      expect(await rejected(share(tx, `ps_6_${field.length}`, [...receivers])), field).toMatchObject({ status: 400, data: { code: 'PARAM_ERROR', message: `参数错误: ${field}` } });
    }
    expect(await rejected(wxpay.v3.profitsharing.orders.nope.get({ params: { transaction_id: tx } }))).toMatchObject({ status: 404, data: { code: 'RESOURCE_NOT_EXISTS' } });
  });
});
