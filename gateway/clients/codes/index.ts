/**
 * Each provider's own codes → the normalised codes (DESIGN.md "Telemetry conventions"), one file
 * per provider, each written from that provider's documentation. The gateway keeps its own
 * tables: a simulator's table that agreed with it by construction could hide a mapping wrong on
 * both sides.
 */
export { STRIPE_DECLINE_CODES, STRIPE_ERROR_CODES, normaliseStripe } from './stripe.js';
export { ADYEN_REFUSAL_REASONS, ADYEN_ERROR_CODES, normaliseAdyen } from './adyen.js';
export { ALIPAY_SUB_CODES, normaliseAlipay } from './alipay.js';
export { WECHATPAY_ERROR_CODES, WECHATPAY_FAILED_STATES, normaliseWechatPay } from './wechatpay.js';
export { PAYPAL_ISSUES, normalisePaypal } from './paypal.js';
