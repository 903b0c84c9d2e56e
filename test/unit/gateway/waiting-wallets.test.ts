import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway } from '../../../gateway/index.js';
import { alipayOutTradeNo } from '../../../gateway/clients/index.js';
import { startAlipaySim, startPaypalSim, startWechatPaySim, type StartedAlipaySim, type StartedPaypalSim, type StartedWechatPaySim } from '../../../simulators/index.js';
import { fakeProvider, rsaPemPair, type FakeProvider } from './fake-provider.js';

/**
 * A wallet payment the shopper has not confirmed on the phone by the time the gateway stops
 * waiting is accepted, not broken: the gateway answers 202 with status pending (errorCode
 * outcome_unknown in the body: query it, never pay it again under a new key). Timeouts, 5xx and
 * unverifiable answers stay 5xx.
 */

let alipay: StartedAlipaySim;
let wechat: StartedWechatPaySim;
let paypal: StartedPaypalSim;
let wallet: FakeProvider;
let gw: ReturnType<typeof buildGateway>;
/** Alipay's simulator, but its answers checked against a key that did not sign them. */
let strangerGw: ReturnType<typeof buildGateway>;

const keysOf = async (url: string) => (await (await fetch(`${url}/__sim/keys`)).json()) as Record<string, unknown>;

beforeAll(async () => {
  // Nobody confirms on the phone: no buyer/payer delay, no auto-approval.
  [alipay, wechat, paypal] = await Promise.all([startAlipaySim({ seed: 31 }), startWechatPaySim({ seed: 32 }), startPaypalSim({ seed: 33, autoApprove: false })]);
  alipay.behaviour.apply({ outcomes: { '10003': 1 } });
  // The local wallet's shopper never decides: every look at the charge says PENDING.
  wallet = await fakeProvider((call) => ({ status: call.method === 'POST' ? 201 : 200, body: JSON.stringify({ ...(call.method === 'POST' ? { id: 'ch_waiting1' } : {}), status: 'PENDING' }) }));
  const [alipayKeys, wechatKeys, paypalKeys] = await Promise.all([keysOf(alipay.url), keysOf(wechat.url), keysOf(paypal.url)]);
  const settleWithinMs = 300;
  gw = buildGateway({
    providers: {
      alipay: { url: alipay.url, credentials: alipayKeys, settleWithinMs },
      wechatpay: { url: wechat.url, credentials: wechatKeys, settleWithinMs },
      paypal: { url: paypal.url, credentials: paypalKeys, settleWithinMs },
      'wiremock:localwallet': { url: wallet.url, settleWithinMs },
    },
  });
  strangerGw = buildGateway({ providers: { alipay: { url: alipay.url, credentials: { ...alipayKeys, alipayPublicKey: rsaPemPair().publicKey }, settleWithinMs } } });
});
afterAll(async () => {
  await gw?.close();
  await strangerGw?.close();
  await Promise.all([alipay?.close(), wechat?.close(), paypal?.close(), wallet?.close()]);
});

const pay = (g: typeof gw, key: string, orderId: string, provider: string) =>
  g.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': key }, payload: { orderId, amount: 1000, currency: 'CNY', paymentMethod: 'pm_wallet', provider } });

describe('the gateway, when a wallet is still waiting for the shopper', () => {
  it.each([
    ['alipay', 'WAIT_BUYER_PAY'],
    ['wechatpay', 'NOTPAY'],
    ['paypal', 'PAYER_ACTION_REQUIRED'],
    ['wiremock:localwallet', 'PENDING'],
  ])('answers a payment %s leaves at %s with 202, status pending and outcome_unknown in the body', async (provider, providerCode) => {
    const orderId = `wait-${provider.replace(':', '-')}`;
    const res = await pay(gw, `k-${orderId}`, orderId, provider);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ orderId, status: 'pending', provider, errorCode: 'outcome_unknown', providerCode });
  });

  it('keeps a waiting payment guarded: a new key for the order gets the 202 answer back and pays nothing', async () => {
    const first = await pay(gw, 'g1', 'wait-guard', 'alipay');
    expect(first.statusCode).toBe(202);
    const retry = await pay(gw, 'g2', 'wait-guard', 'alipay');
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(alipay.ledger.byOrder(alipayOutTradeNo('wait-guard'))).toEqual([]);
  });

  it('still answers an unverifiable answer 504, not 202: the payment may be anything', async () => {
    const res = await pay(strangerGw, 'k-stranger', 'wait-stranger', 'alipay');
    expect(res.statusCode).toBe(504);
    expect(res.json()).toMatchObject({ status: 'pending', errorCode: 'outcome_unknown', providerCode: 'bad_signature' });
  });
});
