/**
 * Each provider's own codes → the normalised codes (DESIGN.md "Telemetry conventions"), one file
 * per provider, each written from that provider's documentation. The gateway keeps its own
 * tables: a simulator's table that agreed with it by construction could hide a mapping wrong on
 * both sides.
 */
export { STRIPE_DECLINE_CODES, STRIPE_ERROR_CODES, normaliseStripe, STRIPE_LIFECYCLE_CODES, normaliseStripeLifecycle } from './stripe.js';
export { ADYEN_REFUSAL_REASONS, ADYEN_ERROR_CODES, normaliseAdyen } from './adyen.js';
export { ALIPAY_SUB_CODES, normaliseAlipay, ALIPAY_LIFECYCLE_SUB_CODES, normaliseAlipayLifecycle } from './alipay.js';
export { WECHATPAY_ERROR_CODES, WECHATPAY_FAILED_STATES, normaliseWechatPay, WECHATPAY_LIFECYCLE_CODES, normaliseWechatPayLifecycle } from './wechatpay.js';
export { PAYPAL_ISSUES, normalisePaypal, PAYPAL_LIFECYCLE_ISSUES, normalisePaypalLifecycle } from './paypal.js';
export { UNIONPAY_CODES, UNIONPAY_PENDING_CODES, UNIONPAY_SUCCESS_CODES, normaliseUnionPay } from './unionpay.js';
