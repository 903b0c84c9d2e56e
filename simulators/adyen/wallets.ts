import type { AdyenContext } from './context.js';
import type { AdyenPayment } from './objects.js';

/**
 * Wallets Adyen carries as payment methods — how an aggregator serves Alipay, WeChat Pay and
 * PayPal shoppers when the merchant's native integration with them is down. The `/payments`
 * answers follow Adyen's API-only guides for each method:
 *
 *   alipay                      RedirectShopper, action { type: redirect, method: GET, url }       (Alipay for API only: action.type redirect)
 *   paypal (subtype redirect)   RedirectShopper, action { type: redirect, paymentMethodType: paypal, paymentData, url }
 *   paypal (subtype sdk)        Pending, action { type: sdk, paymentMethodType: paypal, sdkData: { token }, paymentData }
 *   wechatpayQR                 Pending, action { type: qrCode, paymentMethodType: wechatpayQR, qrCodeData, url }
 *   wechatpaySDK                Pending, action { type: sdk, paymentMethodType: wechatpaySDK, sdkData: { appid, partnerid, prepayid, package, noncestr, timestamp, sign } }
 *
 * Nothing is authorised until the shopper acts: at the simulated wallet page
 * (`/__sim/redirect/:psp?outcome=authorise|refuse|cancel`). A redirect method then returns the
 * shopper to the merchant with `redirectResult` for `/payments/details`; an app method (QR, SDK)
 * has no return trip — the result arrives as the AUTHORISATION notification, as with Adyen — so
 * the page decides the payment at once.
 */
export const WALLET_METHODS: ReadonlySet<string> = new Set(['alipay', 'paypal', 'wechatpayQR', 'wechatpaySDK']);

/** Methods whose shopper never comes back through returnUrl: decided at the wallet page. */
export function decidedInApp(p: AdyenPayment): boolean {
  return p.paymentMethodType === 'wechatpayQR' || p.paymentMethodType === 'wechatpaySDK' || (p.paymentMethodType === 'paypal' && p.walletSubtype === 'sdk');
}

/** Whether the request needs a returnUrl: the wallets that redirect the shopper and bring them back. */
export function walletNeedsReturnUrl(type: string, subtype: unknown): boolean {
  return type === 'alipay' || (type === 'paypal' && subtype !== 'sdk');
}

/** The `/payments` answer body for a wallet payment waiting for its shopper. */
export function walletAnswer(ctx: AdyenContext, p: AdyenPayment, origin: string): Record<string, unknown> {
  const page = `${origin}/__sim/redirect/${p.pspReference}`;
  const paymentData = Buffer.from(`${p.pspReference}.${p.paymentMethodType}`).toString('base64url');
  const common = { pspReference: p.pspReference, merchantReference: p.reference };
  switch (p.paymentMethodType) {
    case 'wechatpayQR':
      return { ...common, resultCode: 'Pending', action: { type: 'qrCode', paymentMethodType: 'wechatpayQR', qrCodeData: `weixin://wxpay/bizpayurl?pr=${ctx.ids.next('pr', 12)}`, url: page, paymentData } };
    case 'wechatpaySDK':
      return {
        ...common,
        resultCode: 'Pending',
        action: {
          type: 'sdk',
          paymentMethodType: 'wechatpaySDK',
          paymentData,
          sdkData: { appid: 'wx_paychaos_app', partnerid: '1900000109', prepayid: `wx${ctx.ids.digits(28)}`, package: 'Sign=WXPay', noncestr: ctx.ids.next('n', 16), timestamp: String(Math.floor(ctx.now().getTime() / 1000)), sign: ctx.ids.next('s', 32) },
          url: page,
        },
      };
    case 'paypal':
      if (p.walletSubtype === 'sdk') return { ...common, resultCode: 'Pending', action: { type: 'sdk', paymentMethodType: 'paypal', paymentData, sdkData: { token: ctx.ids.next('EC', 17) }, url: page } };
      return { ...common, resultCode: 'RedirectShopper', action: { type: 'redirect', paymentMethodType: 'paypal', method: 'GET', paymentData, url: page } };
    default:
      return { ...common, resultCode: 'RedirectShopper', action: { type: 'redirect', paymentMethodType: p.paymentMethodType, method: 'GET', url: page } };
  }
}
