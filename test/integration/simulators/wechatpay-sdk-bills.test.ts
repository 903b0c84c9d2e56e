import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Wechatpay } from 'wechatpay-axios-plugin';
import { startWechatPaySim, type StartedWechatPaySim } from '../../../simulators/wechatpay/index.js';

/**
 * The merchant certificate among the test keys, and the trade / fund-flow bills with their
 * download, driven with wechatpay-axios-plugin as a merchant configures it: `serial` is the
 * serial of `apiclient_cert.pem`, `merchant: {cert, key}` the files WeChat's tool issues.
 */
interface Keys { mchid: string; appid: string; platformSerial: string; platformPublicKey: string; merchantSerial: string; merchantPrivateKey: string }
let sim: StartedWechatPaySim;
let keys: Keys;
let wxpay: any;
// Beijing 2026-05-20 11:00: the day of the trades. The SDK signs with Date.now() and the simulator
// checks it within 5 minutes, so both read one faked Date (timers stay real: sockets and waits work).
const setNow = (iso: string | number) => vi.setSystemTime(typeof iso === 'number' ? iso : Date.parse(iso));

const file = async (name: string) => {
  const res = await fetch(`${sim.url}/__sim/keys/${name}`);
  return { status: res.status, text: await res.text() };
};

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  setNow('2026-05-20T03:00:00Z');
  sim = await startWechatPaySim({ seed: 71 });
  keys = (await (await fetch(`${sim.url}/__sim/keys`)).json()) as Keys;
  const cert = (await file('apiclient_cert.pem')).text;
  const key = (await file('apiclient_key.pem')).text;
  // The serial a merchant reads off its certificate, not the one from our keys route.
  const serial = new X509Certificate(cert).serialNumber;
  wxpay = new Wechatpay({ mchid: keys.mchid, serial, privateKey: key, certs: { [keys.platformSerial]: keys.platformPublicKey }, merchant: { cert, key }, baseURL: `${sim.url}/` });
});
afterAll(async () => {
  await sim?.close();
  vi.useRealTimers();
});

/** The file download is not signed by WeChat: ask the SDK for the raw bytes, without its signature check. */
const download = async (url: string): Promise<Buffer> => {
  const token = new URL(url).searchParams.get('token');
  const res = await wxpay.v3.billdownload.file.get({ params: { token }, responseType: 'arraybuffer', transformResponse: [(d: unknown) => d] });
  return Buffer.from(res.data);
};

describe('WeChat Pay merchant certificate', () => {
  it('serves apiclient_cert.pem: its serial is the merchant serial, its key the merchant key, issued by the test CA', async () => {
    const cert = new X509Certificate((await file('apiclient_cert.pem')).text);
    const ca = new X509Certificate((await file('ca.pem')).text);
    expect(cert.serialNumber).toBe(keys.merchantSerial);
    expect(cert.serialNumber).toMatch(/^[0-9A-F]{40}$/);
    expect(cert.subject).toContain(`CN=${keys.mchid}`);
    expect(cert.checkPrivateKey(createPrivateKey(keys.merchantPrivateKey))).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(ca.ca).toBe(true);
    // Not WeChat's: a check against another key (as a real Tenpay root would be) fails.
    expect(cert.verify(cert.publicKey)).toBe(false);
    expect((await file('nope.pem')).status).toBe(404);
  });

  it('lets the SDK configured from those files make authenticated calls', async () => {
    const created = await wxpay.v3.pay.transactions.native.post({ appid: keys.appid, mchid: keys.mchid, description: '证书下单', out_trade_no: 'cert_order', notify_url: 'https://shop.example/n', amount: { total: 1, currency: 'CNY' } });
    expect(created.status).toBe(200);
  });
});

describe('WeChat Pay bills', () => {
  it('answers the trade bill with a SHA1 hash and a download of the documented backquoted text, plain or gzip', async () => {
    const order = (n: string, total: number) => wxpay.v3.pay.transactions.native.post({ appid: keys.appid, mchid: keys.mchid, description: `账单${n}`, out_trade_no: n, notify_url: 'https://shop.example/n', amount: { total, currency: 'CNY' } });
    await order('bill_a', 1000);
    await order('bill_b', 250);
    for (const n of ['bill_a', 'bill_b', 'cert_order']) await fetch(`${sim.url}/__sim/payer/${n}?action=pay`, { method: 'POST' });
    await wxpay.v3.refund.domestic.refunds.post({ out_trade_no: 'bill_a', out_refund_no: 'bill_rf', amount: { refund: 300, total: 1000, currency: 'CNY' } });

    // The day is not over: no bill yet.
    await expect(wxpay.v3.bill.tradebill.get({ params: { bill_date: '2026-05-20' } })).rejects.toMatchObject({ response: { status: 400, data: { code: 'NO_STATEMENT_EXIST' } } });
    setNow('2026-05-21T02:00:00Z');

    const answer = await wxpay.v3.bill.tradebill.get({ params: { bill_date: '2026-05-20', bill_type: 'ALL' } });
    expect(answer.data).toMatchObject({ hash_type: 'SHA1', download_url: expect.stringMatching(/\/v3\/billdownload\/file\?token=/) });
    const text = await download(answer.data.download_url);
    expect(createHash('sha1').update(text).digest('hex')).toBe(answer.data.hash_value);
    const lines = text.toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 10)).toEqual(['交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态']);
    const records = lines.slice(1, -2).map((l) => l.split(',').map((v) => v.replace(/^`/, '')));
    expect(lines.slice(1, -2).every((l) => l.split(',').every((v) => v.startsWith('`')))).toBe(true);
    expect(records.map((r) => [r[6], r[8], r[9], r[12], r[16], r[20]])).toEqual([
      ['bill_a', 'NATIVE', 'SUCCESS', '10.00', '0.00', '账单bill_a'],
      ['bill_b', 'NATIVE', 'SUCCESS', '2.50', '0.00', '账单bill_b'],
      ['cert_order', 'NATIVE', 'SUCCESS', '0.01', '0.00', '证书下单'],
      ['bill_a', 'NATIVE', 'REFUND', '0.00', '3.00', '账单bill_a'],
    ]);
    expect(lines.at(-2)!.split(',')[0]).toBe('总交易单数');
    expect(lines.at(-1)).toBe('`4,`12.51,`3.00,`0.00,`0.00,`12.51,`3.00');

    const refunds = await wxpay.v3.bill.tradebill.get({ params: { bill_date: '2026-05-20', bill_type: 'REFUND', tar_type: 'GZIP' } });
    const zipped = await download(refunds.data.download_url);
    const plain = gunzipSync(zipped);
    expect(createHash('sha1').update(plain).digest('hex')).toBe(refunds.data.hash_value);
    expect(plain.toString('utf8')).toContain('`bill_rf,`3.00');

    // The link lives 30 seconds.
    setNow(Date.now() + 31_000);
    await expect(download(answer.data.download_url)).rejects.toMatchObject({ response: { status: 404 } });
  });

  it('answers the fund-flow bill of the basic account: income and outgo with the running balance', async () => {
    const answer = await wxpay.v3.bill.fundflowbill.get({ params: { bill_date: '2026-05-20' } });
    expect(answer.data.hash_type).toBe('SHA1');
    const text = await download(answer.data.download_url);
    expect(createHash('sha1').update(text).digest('hex')).toBe(answer.data.hash_value);
    const lines = text.toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号');
    const records = lines.slice(1, -2).map((l) => l.split(',').map((v) => v.replace(/^`/, '')));
    expect(records.map((r) => [r[5], r[6], r[7]])).toEqual([
      ['收入', '10.00', '10.00'],
      ['收入', '2.50', '12.50'],
      ['收入', '0.01', '12.51'],
      ['支出', '3.00', '9.51'],
    ]);
    expect(lines.at(-1)).toBe('`4,`3,`12.51,`1,`3.00');
    await expect(wxpay.v3.bill.fundflowbill.get({ params: { bill_date: '2026-05-20', account_type: 'OPERATION' } })).rejects.toMatchObject({ response: { status: 400, data: { code: 'NO_STATEMENT_EXIST' } } });
    await expect(wxpay.v3.bill.tradebill.get({ params: { bill_date: '2026-02-30' } })).rejects.toMatchObject({ response: { status: 400, data: { code: 'PARAM_ERROR' } } });
  });
});
