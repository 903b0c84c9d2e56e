import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProviderStack, type StartedProviderStack } from '../../../src/stack/index.js';
import { capturesByOrder, routerFor } from './resilience-helpers.js';

/**
 * Wallets fail over from the native provider to the same wallet through the aggregator: Alipay →
 * Adyen (paymentMethod.type alipay), WeChat Pay → Adyen (wechatpayQR), PayPal → Adyen (paypal),
 * against the real simulators behind the embedded proxy. At Adyen a wallet payment waits for its
 * shopper (pending, no error: the gateway answers 202); the test plays the shopper approving it in
 * the app and reads the ledgers: one charge, at Adyen, none at the native provider.
 */
describe('wallet failover through Adyen (real simulators behind the proxy)', () => {
  let stack: StartedProviderStack;
  beforeAll(async () => {
    stack = await startProviderStack({ providers: ['alipay', 'wechatpay', 'paypal', 'adyen'], seed: 13 });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  const ROUTES = { pm_alipay: ['alipay', 'adyen'], 'pm_wechat*': ['wechatpay', 'adyen'], pm_paypal: ['paypal', 'adyen'] };

  it.each([
    ['alipay', 'pm_alipay', 'cny', 'RedirectShopper'],
    ['wechatpay', 'pm_wechat_pay', 'cny', 'Pending'],
    ['paypal', 'pm_paypal', 'usd', 'RedirectShopper'],
  ])('with %s down, a %s payment goes to Adyen as that wallet and waits for its shopper there', async (native, paymentMethod, currency, resultCode) => {
    const { router } = await routerFor(stack, { routes: ROUTES, retry: { maxAttempts: 1 } });
    const fault = await stack.chaos.applyFault({ type: 'down', target: stack.providers[native]!.proxy });
    const orderId = `ord_wallet_${native}_${process.pid}`;
    let result;
    try {
      result = await router.charge({ orderId, amount: 8800, currency, paymentMethod, providerKey: `gw-${orderId}` }, native);
    } finally {
      await fault.remove();
    }
    expect(result).toMatchObject({ provider: 'adyen', outcome: 'pending', providerCode: resultCode, failover: true, failoverFrom: native, failoverReason: 'connection_refused', providerStatus: 200 });
    // Waiting for the shopper is not an unknown outcome: no error code, so the gateway answers 202.
    expect(result.errorCode).toBeUndefined();
    expect(result.attempts.map((a) => a.provider)).toEqual([native, 'adyen']);
    expect((await capturesByOrder(stack)).get(orderId)).toBeUndefined();
  }, 30_000);

  it('the shopper approves the WeChat Pay QR at Adyen: one charge, at Adyen only', async () => {
    const { router } = await routerFor(stack, { routes: ROUTES, retry: { maxAttempts: 1 } });
    const fault = await stack.chaos.applyFault({ type: 'down', target: stack.providers.wechatpay!.proxy });
    const orderId = `ord_wx_paid_${process.pid}`;
    let result;
    try {
      result = await router.charge({ orderId, amount: 12_800, currency: 'cny', paymentMethod: 'pm_wechat_pay', providerKey: `gw-${orderId}` }, 'wechatpay');
    } finally {
      await fault.remove();
    }
    expect(result).toMatchObject({ provider: 'adyen', outcome: 'pending', failover: true });
    // The shopper scans the code and approves in WeChat (the simulator's wallet page).
    const approved = await fetch(`${stack.providers.adyen!.directUrl}/__sim/redirect/${result.paymentId}?outcome=authorise`);
    expect(await approved.json()).toMatchObject({ resultCode: 'Authorised' });
    expect((await capturesByOrder(stack)).get(orderId)).toEqual([{ provider: 'adyen', key: `gw-${orderId}` }]);
  }, 30_000);

  it('with the native wallet up, wallet payments stay on it (no failover)', async () => {
    const { router } = await routerFor(stack, { routes: ROUTES });
    const orderId = `ord_wx_native_${process.pid}`;
    const result = await router.charge({ orderId, amount: 990, currency: 'cny', paymentMethod: 'pm_wechat_pay', providerKey: `gw-${orderId}` }, 'wechatpay');
    expect(result).toMatchObject({ provider: 'wechatpay', failover: false });
    expect(result.attempts.map((a) => a.provider)).toEqual(['wechatpay']);
  }, 30_000);
});
