import { crc32, inflateRawSync } from 'node:zlib';
import { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlipaySim, type StartedAlipaySim } from '../../../simulators/alipay/index.js';

/**
 * The 对账单: `alipay.data.dataservice.bill.downloadurl.query` through the official alipay-sdk,
 * then the download a reconciliation job makes — a zip of GBK CSVs. The zip is read here with a
 * reader written from PKWARE's APPNOTE (central directory → local header → raw deflate, CRC-32
 * checked), independent of the simulator's writer.
 */
let sim: StartedAlipaySim;
let sdk: AlipaySdk;
// Beijing 2026-03-09 10:00 (02:00 UTC): the day the trades happen.
let now = Date.parse('2026-03-09T02:00:00Z');

beforeAll(async () => {
  sim = await startAlipaySim({ seed: 62, now: () => new Date(now) });
  const keys = (await (await fetch(`${sim.url}/__sim/keys`)).json()) as { appId: string; alipayPublicKey: string; merchantPrivateKey: string };
  sdk = new AlipaySdk({ appId: keys.appId, privateKey: keys.merchantPrivateKey, keyType: 'PKCS8', alipayPublicKey: keys.alipayPublicKey, gateway: `${sim.url}/gateway.do`, endpoint: sim.url, camelcase: false });
});
afterAll(async () => {
  await sim?.close();
});

interface Unzipped {
  readonly name: string;
  readonly utf8Flag: boolean;
  readonly data: Buffer;
}

function unzip(zip: Buffer): Unzipped[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out: Unzipped[] = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const packed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const nameBytes = zip.subarray(at + 46, at + 46 + nameLength);
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataAt, dataAt + packed);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    expect(data.length).toBe(size);
    expect(crc32(data)).toBe(crc);
    const utf8Flag = (flags & 0x0800) !== 0;
    out.push({ name: new TextDecoder(utf8Flag ? 'utf-8' : 'gbk').decode(nameBytes), utf8Flag, data });
    at += 46 + nameLength + skip;
  }
  return out;
}

describe('Alipay bill download with the alipay-sdk', () => {
  it('serves the day’s trade bill as a zip of GBK CSVs once the day is over', async () => {
    await sdk.exec('alipay.trade.pay', { bizContent: { out_trade_no: 'bill_1', total_amount: '100.00', subject: '对账测试', scene: 'bar_code', auth_code: '281234567890123456' } });
    await sdk.exec('alipay.trade.pay', { bizContent: { out_trade_no: 'bill_2', total_amount: '20.50', subject: '第二笔', scene: 'bar_code', auth_code: '281234567890123456' } });
    await sdk.exec('alipay.trade.refund', { bizContent: { out_trade_no: 'bill_1', refund_amount: '30.00', out_request_no: 'bill_r1' } });

    // The same day: the bill does not exist yet.
    const early = await sdk.exec('alipay.data.dataservice.bill.downloadurl.query', { bizContent: { bill_type: 'trade', bill_date: '2026-03-09' } }, { validateSign: true });
    expect(early).toMatchObject({ code: '40004', sub_code: 'isp.bill_not_exist' });

    now = Date.parse('2026-03-10T02:00:00Z');
    const answer = await sdk.exec('alipay.data.dataservice.bill.downloadurl.query', { bizContent: { bill_type: 'trade', bill_date: '2026-03-09' } }, { validateSign: true });
    expect(answer.code).toBe('10000');
    const url = new URL(answer.bill_download_url as string);
    expect(url.searchParams.get('downloadFileName')).toBe('2088000000000001_20260309.csv.zip');

    const res = await fetch(url);
    expect(res.status).toBe(200);
    const files = unzip(Buffer.from(await res.arrayBuffer()));
    expect(files.map((f) => [f.name, f.utf8Flag])).toEqual([
      ['2088000000000001_20260309_业务明细.csv', false],
      ['2088000000000001_20260309_业务明细(汇总).csv', false],
    ]);
    const detail = new TextDecoder('gbk').decode(files[0]!.data).split('\r\n');
    // GBK, not UTF-8: 支付宝 is D6 A7 B8 B6 B1 A6 (in UTF-8, 支 would be E6 94 AF).
    expect(files[0]!.data.includes(Buffer.from([0xd6, 0xa7, 0xb8, 0xb6, 0xb1, 0xa6]))).toBe(true);
    expect(files[0]!.data.includes(Buffer.from([0xe6, 0x94, 0xaf]))).toBe(false);
    expect(detail[0]).toBe('#支付宝业务明细查询');
    expect(detail[1]).toBe('#账号：[20880000000000010156]');
    expect(detail[2]).toBe('#起始日期：[2026年03月09日 00:00:00]   终止日期：[2026年03月10日 00:00:00]');
    expect(detail[4]!.split(',').slice(0, 3)).toEqual(['支付宝交易号', '商户订单号', '业务类型']);
    const rows = detail.filter((l) => l.includes('\t,')).map((l) => l.split(',').map((v) => v.replace(/\t$/, '')));
    expect(rows.map((r) => [r[1], r[2], r[3], r[11], r[12], r[21]])).toEqual([
      ['bill_1', '交易', '对账测试', '100.00', '100.00', ''],
      ['bill_2', '交易', '第二笔', '20.50', '20.50', ''],
      ['bill_1', '退款', '对账测试', '100.00', '-30.00', 'bill_r1'],
    ]);
    expect(detail).toContain('#交易合计：2笔，商家实收：120.50元，商家优惠：0.00元');
    expect(detail).toContain('#退款合计：1笔，商家实收：-30.00元，商家优惠：0.00元');
    const summary = new TextDecoder('gbk').decode(files[1]!.data);
    expect(summary).toContain('合计\t,\t,2\t,1\t,120.50\t,90.50\t');

    // The URL lives 30 seconds.
    now += 31_000;
    expect((await fetch(url)).status).toBe(404);
  });

  it('refuses a malformed date and the fund-flow bill it does not simulate, in Alipay’s envelope', async () => {
    const bad = await sdk.exec('alipay.data.dataservice.bill.downloadurl.query', { bizContent: { bill_type: 'trade', bill_date: '2026-02-30' } }, { validateSign: true });
    expect(bad).toMatchObject({ code: '40002', sub_code: 'isv.invalid-parameter' });
    const fundFlow = await sdk.exec('alipay.data.dataservice.bill.downloadurl.query', { bizContent: { bill_type: 'signcustomer', bill_date: '2026-03-09' } }, { validateSign: true });
    expect(fundFlow).toMatchObject({ code: '40002', sub_code: 'isv.invalid-parameter' });
    expect(fundFlow.sub_msg).toContain('signcustomer');
  });
});
