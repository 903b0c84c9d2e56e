import { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlipaySim, type StartedAlipaySim } from '../../../simulators/alipay/index.js';
import { scaledClock } from '../../../src/kernel/index.js';
import { startReceiver } from './receiver.js';

/**
 * alipay.trade.cancel and the cashier (alipay.trade.page.pay / wap.pay), driven with the
 * official alipay-sdk: `exec` for the cancel, `pageExecute` for the cashier URL or the
 * auto-submitting form a merchant's page renders, `checkNotifySignV2` for the sync return's and
 * the async notification's signatures.
 */
let sim: StartedAlipaySim;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let sdk: AlipaySdk;

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 200, body: 'success' }));
  sim = await startAlipaySim({ seed: 61, clock: scaledClock(6000) });
  const keys = (await (await fetch(`${sim.url}/__sim/keys`)).json()) as { appId: string; alipayPublicKey: string; merchantPrivateKey: string };
  sdk = new AlipaySdk({ appId: keys.appId, privateKey: keys.merchantPrivateKey, keyType: 'PKCS8', alipayPublicKey: keys.alipayPublicKey, gateway: `${sim.url}/gateway.do`, endpoint: sim.url, camelcase: false });
});
afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});

const barCode = (outTradeNo: string, amount = '30.00') => ({ notify_url: receiver.url, bizContent: { out_trade_no: outTradeNo, total_amount: amount, subject: 'Cancel test', scene: 'bar_code', auth_code: '281234567890123456' } });
const entriesOf = (orderId: string) => sim.ledger.entries().filter((e) => e.orderId === orderId).map((e) => [e.kind, e.amount]);

describe('alipay.trade.cancel with the alipay-sdk', () => {
  it('refunds a paid trade in full (action refund), and a retried cancel moves no money twice', async () => {
    expect(await sdk.exec('alipay.trade.pay', barCode('cancel_paid'), { validateSign: true })).toMatchObject({ code: '10000' });
    const cancelled = await sdk.exec('alipay.trade.cancel', { bizContent: { out_trade_no: 'cancel_paid' } }, { validateSign: true });
    expect(cancelled).toMatchObject({ code: '10000', out_trade_no: 'cancel_paid', retry_flag: 'N', action: 'refund' });
    expect(cancelled.gmt_refund_pay).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const again = await sdk.exec('alipay.trade.cancel', { bizContent: { trade_no: cancelled.trade_no } }, { validateSign: true });
    expect(again).toMatchObject({ code: '10000', action: 'refund', retry_flag: 'N' });
    expect(await sdk.exec('alipay.trade.query', { bizContent: { out_trade_no: 'cancel_paid' } })).toMatchObject({ trade_status: 'TRADE_CLOSED' });
    expect(entriesOf('cancel_paid')).toEqual([
      ['authorization', 3000],
      ['capture', 3000],
      ['refund', 3000],
    ]);
  });

  it('closes an unpaid trade (action close), so the buyer can no longer pay it', async () => {
    await sdk.exec('alipay.trade.create', { bizContent: { out_trade_no: 'cancel_unpaid', total_amount: '8.00', subject: 'JSAPI', buyer_id: '2088000000000042' } });
    const cancelled = await sdk.exec('alipay.trade.cancel', { bizContent: { out_trade_no: 'cancel_unpaid' } }, { validateSign: true });
    expect(cancelled).toMatchObject({ code: '10000', action: 'close', retry_flag: 'N' });
    expect((await fetch(`${sim.url}/__sim/buyer/cancel_unpaid?action=pay`, { method: 'POST' })).status).toBe(409);
    expect(entriesOf('cancel_unpaid')).toEqual([]);
  });

  it('answers 10000 without an action for a trade Alipay never saw, and refuses a trade already refunded', async () => {
    const unknown = await sdk.exec('alipay.trade.cancel', { bizContent: { out_trade_no: 'cancel_never_arrived' } }, { validateSign: true });
    expect(unknown).toMatchObject({ code: '10000', retry_flag: 'N' });
    expect(unknown.action).toBeUndefined();

    await sdk.exec('alipay.trade.pay', barCode('cancel_refunded'));
    await sdk.exec('alipay.trade.refund', { bizContent: { out_trade_no: 'cancel_refunded', refund_amount: '1.00', out_request_no: 'r1' } });
    const refused = await sdk.exec('alipay.trade.cancel', { bizContent: { out_trade_no: 'cancel_refunded' } }, { validateSign: true });
    expect(refused).toMatchObject({ code: '40004', sub_code: 'ACQ.REASON_TRADE_REFUND_FEE_ERR', retry_flag: 'N' });
    expect(entriesOf('cancel_refunded')).toEqual([
      ['authorization', 3000],
      ['capture', 3000],
      ['refund', 100],
    ]);
    const missing = await sdk.exec('alipay.trade.cancel', { bizContent: {} });
    expect(missing).toMatchObject({ code: '40004', sub_code: 'ACQ.INVALID_PARAMETER' });
  });
});

describe('the cashier (page.pay / wap.pay) with the alipay-sdk', () => {
  it('opens the page from a signed GET, pays, returns to return_url with signed sync params, and notifies with auth_app_id', async () => {
    const url = sdk.pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: { out_trade_no: 'page_1', total_amount: '88.88', subject: '收银台测试', product_code: 'FAST_INSTANT_TRADE_PAY' },
      return_url: 'https://shop.example/alipay/return',
      notify_url: receiver.url,
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('88.88');
    expect(html).toContain('收银台测试');
    // Until the buyer acts, the merchant's query does not see the trade.
    expect(await sdk.exec('alipay.trade.query', { bizContent: { out_trade_no: 'page_1' } })).toMatchObject({ sub_code: 'ACQ.TRADE_NOT_EXIST' });

    const action = /action="([^"]+\?action=pay)"/.exec(html)![1]!;
    const paid = await fetch(`${sim.url}${action}`, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(302);
    const back = new URL(paid.headers.get('location')!);
    expect(back.origin + back.pathname).toBe('https://shop.example/alipay/return');
    const sync = Object.fromEntries(back.searchParams);
    expect(sync).toMatchObject({ method: 'alipay.trade.page.pay.return', out_trade_no: 'page_1', total_amount: '88.88', app_id: sim.appId, auth_app_id: sim.appId, sign_type: 'RSA2' });
    expect(sdk.checkNotifySignV2(sync)).toBe(true);
    expect(sdk.checkNotifySignV2({ ...sync, total_amount: '0.01' })).toBe(false);

    expect(await sdk.exec('alipay.trade.query', { bizContent: { out_trade_no: 'page_1' } }, { validateSign: true })).toMatchObject({ trade_status: 'TRADE_SUCCESS', trade_no: sync.trade_no });
    expect(entriesOf('page_1')).toEqual([
      ['authorization', 8888],
      ['capture', 8888],
    ]);
    // The receiver is shared with the cancel tests, whose notices may arrive first.
    const form = (r: { body: string }) => Object.fromEntries(new URLSearchParams(r.body));
    const notice = form(await receiver.waitForOne((r) => form(r).out_trade_no === 'page_1'));
    expect(notice).toMatchObject({ trade_status: 'TRADE_SUCCESS', auth_app_id: sim.appId, app_id: sim.appId });
    expect(sdk.checkNotifySignV2(notice)).toBe(true);
  });

  it('takes the form POST a wap.pay integration renders, and sends a buyer who gives up to quit_url, the trade still unpaid', async () => {
    const form = sdk.pageExecute('alipay.trade.wap.pay', 'POST', {
      bizContent: { out_trade_no: 'wap_1', total_amount: '5.00', subject: 'WAP', product_code: 'QUICK_WAP_WAY', quit_url: 'https://shop.example/cart' },
      return_url: 'https://shop.example/alipay/return',
    });
    // Submit the form as the browser would: its action URL, its hidden inputs as the body.
    const actionUrl = /action="([^"]+)"/.exec(form)![1]!.replace(/&amp;/g, '&');
    const fields = [...form.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map(([, k, v]) => [k!, v!.replace(/&quot;/g, '"')] as [string, string]);
    const page = await fetch(actionUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const html = await page.text();
    expect(html).toContain('5.00');
    const cancel = /action="([^"]+\?action=cancel)"/.exec(html)![1]!;
    const left = await fetch(`${sim.url}${cancel}`, { method: 'POST', redirect: 'manual' });
    expect(left.status).toBe(302);
    expect(left.headers.get('location')).toBe('https://shop.example/cart');
    expect(await sdk.exec('alipay.trade.query', { bizContent: { out_trade_no: 'wap_1' } })).toMatchObject({ code: '10000', trade_status: 'WAIT_BUYER_PAY' });
    expect(entriesOf('wap_1')).toEqual([]);
  });

  it('shows an error page naming the sub_code for a tampered request or a wrong product_code, and keeps server methods POST-only', async () => {
    const url = sdk.pageExecute('alipay.trade.page.pay', 'GET', { bizContent: { out_trade_no: 'page_bad', total_amount: '1.00', subject: 'x', product_code: 'FAST_INSTANT_TRADE_PAY' }, return_url: 'https://shop.example/r' });
    const tampered = await (await fetch(url.replace('1.00', '9.00').replace('1.00', '9.00'))).text();
    expect(tampered).toContain('isv.invalid-signature');
    const wrongProduct = sdk.pageExecute('alipay.trade.page.pay', 'GET', { bizContent: { out_trade_no: 'page_bad2', total_amount: '1.00', subject: 'x', product_code: 'QUICK_WAP_WAY' } });
    expect(await (await fetch(wrongProduct)).text()).toContain('ACQ.INVALID_PARAMETER');
    const getQuery = await (await fetch(`${sim.url}/gateway.do?method=alipay.trade.query`)).json();
    expect(getQuery).toMatchObject({ error_response: { code: '40002', sub_code: 'isv.invalid-method' } });
  });
});
