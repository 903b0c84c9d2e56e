import { AlipaySdk } from 'alipay-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { Wechatpay } from 'wechatpay-axios-plugin';
import { startAlipaySim } from '../../../simulators/alipay/index.js';
import { startWechatPaySim } from '../../../simulators/wechatpay/index.js';

/**
 * `PUT /__sim/behaviour` on a running wallet simulator, driven by each provider's own SDK: a new
 * profile changes the very next answers; a bad one is refused with 400
 * PAYCHAOS_ERR_SIM_BAD_PROFILE naming every field at fault, and the running profile is kept.
 */
let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

async function putProfile(url: string, profile: unknown) {
  const res = await fetch(`${url}/__sim/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(profile) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
const currentProfile = async (url: string) => ((await (await fetch(`${url}/__sim/behaviour`)).json()) as { profile: Record<string, any> }).profile;
const BAD_PROFILE = { outcomes: { MARTIAN_DECLINE: 0.5 }, latency: { kind: 'fixed', value: -1 }, webhooks: { drop: 7 }, extra: true };
const problemPaths = (body: Record<string, any>) => (body.error.problems as Array<{ path: string }>).map((p) => p.path);

describe('a live behaviour change', () => {
  it('alipay: the next trade.pay meets the new outcome, a bad profile is refused and the old one keeps answering', async () => {
    const sim = await startAlipaySim({ seed: 101 });
    closers.push(sim.close);
    const keys = (await (await fetch(`${sim.url}/__sim/keys`)).json()) as { appId: string; alipayPublicKey: string; merchantPrivateKey: string };
    const sdk = new AlipaySdk({ appId: keys.appId, privateKey: keys.merchantPrivateKey, keyType: 'PKCS8', alipayPublicKey: keys.alipayPublicKey, gateway: `${sim.url}/gateway.do`, endpoint: sim.url, camelcase: false });
    const pay = (outTradeNo: string) => sdk.exec('alipay.trade.pay', { bizContent: { out_trade_no: outTradeNo, total_amount: '8.00', subject: 'live', scene: 'bar_code', auth_code: '281234567890123456' } }, { validateSign: true });

    expect(await pay('live_a1')).toMatchObject({ code: '10000' });

    const put = await putProfile(sim.url, { outcomes: { 'ACQ.BUYER_BALANCE_NOT_ENOUGH': 1 } });
    expect(put).toMatchObject({ status: 200, body: { profile: { outcomes: { 'ACQ.BUYER_BALANCE_NOT_ENOUGH': 1 } } } });
    expect(await pay('live_a2')).toMatchObject({ code: '40004', sub_code: 'ACQ.BUYER_BALANCE_NOT_ENOUGH' });

    const bad = await putProfile(sim.url, BAD_PROFILE);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('PAYCHAOS_ERR_SIM_BAD_PROFILE');
    expect(problemPaths(bad.body)).toEqual(expect.arrayContaining(['outcomes.MARTIAN_DECLINE', 'latency.value', 'webhooks.drop', '(root)']));
    expect((await currentProfile(sim.url)).outcomes).toEqual({ 'ACQ.BUYER_BALANCE_NOT_ENOUGH': 1 });
    expect(await pay('live_a3')).toMatchObject({ code: '40004', sub_code: 'ACQ.BUYER_BALANCE_NOT_ENOUGH' });

    // A maintenance window from now on: the gateway's own "service unavailable"; then back to normal.
    expect((await putProfile(sim.url, { maintenance: {} })).status).toBe(200);
    expect(await pay('live_a4')).toMatchObject({ code: '20000', sub_code: 'isp.unknow-error' });
    expect((await putProfile(sim.url, {})).status).toBe(200);
    expect(await pay('live_a5')).toMatchObject({ code: '10000' });
    expect(sim.ledger.entries().filter((e) => e.kind === 'capture').map((e) => e.orderId)).toEqual(['live_a1', 'live_a5']);
  });

  it('wechatpay: the next order meets the new outcome, a bad profile is refused and the old one keeps answering', async () => {
    const sim = await startWechatPaySim({ seed: 102 });
    closers.push(sim.close);
    const keys = (await (await fetch(`${sim.url}/__sim/keys`)).json()) as { mchid: string; appid: string; merchantSerial: string; merchantPrivateKey: string; platformSerial: string; platformPublicKey: string };
    const wxpay = new Wechatpay({ mchid: keys.mchid, serial: keys.merchantSerial, privateKey: keys.merchantPrivateKey, certs: { [keys.platformSerial]: keys.platformPublicKey }, baseURL: `${sim.url}/` }) as any;
    const order = (outTradeNo: string) => wxpay.v3.pay.transactions.native.post({ appid: keys.appid, mchid: keys.mchid, description: 'live', out_trade_no: outTradeNo, notify_url: 'http://127.0.0.1:1/notify', amount: { total: 800, currency: 'CNY' } });
    // The SDK verifies every 2xx answer's signature; errors come back as axios errors carrying the response.
    const refusal = (outTradeNo: string) => order(outTradeNo).then(
      () => undefined,
      (err: { response?: { status: number; data: unknown } }) => ({ status: err.response?.status, data: err.response?.data }),
    );

    expect((await order('live_w1')).status).toBe(200);

    expect((await putProfile(sim.url, { outcomes: { FREQUENCY_LIMITED: 1 } })).status).toBe(200);
    expect(await refusal('live_w2')).toMatchObject({ status: 429, data: { code: 'FREQUENCY_LIMITED' } });

    const bad = await putProfile(sim.url, BAD_PROFILE);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('PAYCHAOS_ERR_SIM_BAD_PROFILE');
    expect(problemPaths(bad.body)).toEqual(expect.arrayContaining(['outcomes.MARTIAN_DECLINE', 'latency.value', 'webhooks.drop', '(root)']));
    expect((await currentProfile(sim.url)).outcomes).toEqual({ FREQUENCY_LIMITED: 1 });
    expect(await refusal('live_w3')).toMatchObject({ status: 429, data: { code: 'FREQUENCY_LIMITED' } });

    // Every request now meets a 503 before WeChat does any work; then back to normal.
    expect((await putProfile(sim.url, { serverErrors: { rate: 1, status: 503 } })).status).toBe(200);
    expect(await refusal('live_w4')).toMatchObject({ status: 503, data: { code: 'SYSTEM_ERROR' } });
    expect((await putProfile(sim.url, {})).status).toBe(200);
    expect((await order('live_w5')).data.code_url).toMatch(/^weixin:/);
  });
});
