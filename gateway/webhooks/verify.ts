import { verifyAdyen } from './adyen.js';
import { verifyAlipay } from './alipay.js';
import type { Verify } from './event.js';
import { verifyPaypal } from './paypal.js';
import { verifyStripe } from './stripe.js';
import { verifyUnionPay } from './unionpay.js';
import { verifyWechatPay } from './wechatpay.js';

/** Every provider whose notifications the gateway verifies, by the name the config gives it. */
export const VERIFIERS: Readonly<Record<string, Verify>> = Object.freeze({
  stripe: verifyStripe,
  adyen: verifyAdyen,
  alipay: verifyAlipay,
  wechatpay: verifyWechatPay,
  paypal: verifyPaypal,
  unionpay: verifyUnionPay,
});

export const WEBHOOK_PROVIDERS: readonly string[] = Object.freeze(Object.keys(VERIFIERS));

export function verifierFor(provider: string): Verify | undefined {
  return Object.hasOwn(VERIFIERS, provider) ? VERIFIERS[provider] : undefined;
}
