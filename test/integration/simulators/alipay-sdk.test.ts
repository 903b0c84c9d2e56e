import { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlipaySim, type StartedAlipaySim } from '../../../simulators/alipay/index.js';
import { scaledClock } from '../../../src/kernel/index.js';
import { startReceiver } from './receiver.js';

/**
 * The official alipay-sdk, configured as a merchant would be (only the gateway and the keys
 * differ), signs our requests and verifies our responses and notifications.
 */
let sim: StartedAlipaySim;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let sdk: AlipaySdk;

beforeAll(async () => {
  // Alipay needs the exact body "success": the first delivery gets "ok" and is retried.
  receiver = await startReceiver((r, n) => ({ status: 200, body: n === 1 ? 'ok' : sdk.checkNotifySignV2(Object.fromEntries(new URLSearchParams(r.body))) ? 'success' : 'fail' }));
  // ×6000: Alipay's 4 minute gap takes 40 ms.
  sim = await startAlipaySim({ seed: 31, clock: scaledClock(6000) });
  const keys = (await (await fetch(`${sim.url}/__sim/keys`)).json()) as { appId: string; alipayPublicKey: string; merchantPrivateKey: string };
  sdk = new AlipaySdk({ appId: keys.appId, privateKey: keys.merchantPrivateKey, keyType: 'PKCS8', alipayPublicKey: keys.alipayPublicKey, gateway: `${sim.url}/gateway.do`, endpoint: sim.url, camelcase: false });
});
afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});

describe('Alipay simulator with the alipay-sdk package', () => {
  it('pays, queries and refunds with SDK-signed requests and SDK-verified responses', async () => {
    const pay = await sdk.exec('alipay.trade.pay', { notify_url: receiver.url, bizContent: { out_trade_no: 'sdk_1', total_amount: '12.34', subject: 'SDK', scene: 'bar_code', auth_code: '281234567890123456' } }, { validateSign: true });
    expect(pay).toMatchObject({ code: '10000', out_trade_no: 'sdk_1', total_amount: '12.34' });
    const query = await sdk.exec('alipay.trade.query', { bizContent: { out_trade_no: 'sdk_1' } }, { validateSign: true });
    expect(query).toMatchObject({ code: '10000', trade_status: 'TRADE_SUCCESS' });
    const refund = await sdk.exec('alipay.trade.refund', { bizContent: { out_trade_no: 'sdk_1', refund_amount: '2.34', out_request_no: 'sdk_r1' } }, { validateSign: true });
    expect(refund).toMatchObject({ code: '10000', fund_change: 'Y', refund_fee: '2.34' });
  });

  it('answers a duplicate pay with ACQ.TRADE_HAS_SUCCESS, signed', async () => {
    const again = await sdk.exec('alipay.trade.pay', { bizContent: { out_trade_no: 'sdk_1', total_amount: '12.34', subject: 'SDK', scene: 'bar_code', auth_code: '281234567890123456' } }, { validateSign: true });
    expect(again).toMatchObject({ code: '40004', sub_code: 'ACQ.TRADE_HAS_SUCCESS' });
  });

  it('delivers notifications the SDK verifies, retrying until the answer is "success"', async () => {
    await receiver.waitFor(3);
    const bodies = receiver.received.map((r) => Object.fromEntries(new URLSearchParams(r.body)));
    expect(bodies.every((b) => sdk.checkNotifySignV2(b))).toBe(true);
    const payment = bodies.filter((b) => b.out_trade_no === 'sdk_1' && !b.out_biz_no);
    expect(payment.length).toBeGreaterThanOrEqual(2);
    expect(new Set(payment.map((b) => b.notify_id)).size).toBe(1);
  });
});
