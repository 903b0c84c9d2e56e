import { describe, expect, it } from 'vitest';
import { isNormalisedCode } from '../../../src/conventions/index.js';
import {
  ALIPAY_LIFECYCLE_SUB_CODES,
  PAYPAL_LIFECYCLE_ISSUES,
  STRIPE_LIFECYCLE_CODES,
  WECHATPAY_LIFECYCLE_CODES,
  normaliseAlipay,
  normaliseAlipayLifecycle,
  normalisePaypalLifecycle,
  normaliseStripe,
  normaliseStripeLifecycle,
  normaliseWechatPayLifecycle,
} from '../../../gateway/clients/codes/index.js';
import { majorToMinor, minorToMajor } from '../../../gateway/clients/money.js';

/**
 * Refund and cancel answers as the providers document them (literal provider codes on the left).
 * An over-refund is the merchant's books disagreeing with the provider's: invalid_request
 * everywhere, never the shopper-facing limit_exceeded a charge's amount_too_large means.
 */
describe('refund and cancel codes', () => {
  it.each([
    ['stripe', () => normaliseStripeLifecycle('amount_too_large', undefined), 'invalid_request'],
    ['stripe', () => normaliseStripeLifecycle('charge_already_refunded', undefined), 'invalid_request'],
    ['stripe', () => normaliseStripeLifecycle('payment_intent_unexpected_state', undefined), 'invalid_request'],
    ['stripe', () => normaliseStripeLifecycle('rate_limit', undefined), 'rate_limited'],
    ['alipay', () => normaliseAlipayLifecycle({ code: '40004', sub_code: 'ACQ.REASON_TRADE_REFUND_FEE_ERR' }), 'invalid_request'],
    ['alipay', () => normaliseAlipayLifecycle({ code: '40004', sub_code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' }), 'invalid_request'],
    ['alipay', () => normaliseAlipayLifecycle({ code: '40004', sub_code: 'ACQ.SELLER_BALANCE_NOT_ENOUGH' }), 'insufficient_funds'],
    ['alipay', () => normaliseAlipayLifecycle({ code: '40004', sub_code: 'ACQ.TRADE_STATUS_ERROR' }), 'invalid_request'],
    ['alipay', () => normaliseAlipayLifecycle({ code: '20000', sub_code: 'ACQ.SYSTEM_ERROR' }), 'provider_error'],
    ['wechatpay', () => normaliseWechatPayLifecycle({ code: 'INVALID_REQUEST', status: 400 }), 'invalid_request'],
    ['wechatpay', () => normaliseWechatPayLifecycle({ code: 'NOT_ENOUGH', status: 403 }), 'insufficient_funds'],
    ['wechatpay', () => normaliseWechatPayLifecycle({ code: 'ORDERPAID', status: 400 }), 'invalid_request'],
    ['wechatpay', () => normaliseWechatPayLifecycle({ code: 'FREQUENCY_LIMITED', status: 429 }), 'rate_limited'],
    ['paypal', () => normalisePaypalLifecycle({ name: 'UNPROCESSABLE_ENTITY', details: [{ issue: 'REFUND_AMOUNT_EXCEEDED' }], status: 422 }), 'invalid_request'],
    ['paypal', () => normalisePaypalLifecycle({ name: 'UNPROCESSABLE_ENTITY', details: [{ issue: 'CAPTURE_FULLY_REFUNDED' }], status: 422 }), 'invalid_request'],
    ['paypal', () => normalisePaypalLifecycle({ name: 'UNPROCESSABLE_ENTITY', details: [{ issue: 'MAX_REFUND_LIMIT_EXCEEDED' }], status: 422 }), 'limit_exceeded'],
  ])('%s %#', (_provider, read, expected) => {
    expect(read()).toBe(expected);
  });

  it('reads refund codes only in refunds: a charge keeps its own meaning', () => {
    expect(normaliseStripe('amount_too_large', undefined)).toBe('limit_exceeded');
    expect(normaliseAlipay({ code: '40004', sub_code: 'ACQ.TRADE_STATUS_ERROR' })).toBe('order_closed');
  });

  it('maps every entry into the normalised set', () => {
    for (const table of [STRIPE_LIFECYCLE_CODES, ALIPAY_LIFECYCLE_SUB_CODES, WECHATPAY_LIFECYCLE_CODES, PAYPAL_LIFECYCLE_ISSUES]) {
      for (const code of Object.values(table)) expect(isNormalisedCode(code)).toBe(true);
    }
  });
});

describe('majorToMinor', () => {
  it.each([
    ['12.34', 'CNY', 1234],
    ['12.3', 'USD', 1230],
    ['12', 'EUR', 1200],
    ['0.01', 'CNY', 1],
    ['500', 'JPY', 500],
    ['1.234', 'KWD', 1234],
  ])('%s %s → %i', (text, currency, minor) => {
    expect(majorToMinor(text, currency)).toBe(minor);
    expect(majorToMinor(minorToMajor(minor, currency), currency)).toBe(minor);
  });

  it.each([['12.345', 'USD'], ['1.5', 'JPY'], ['abc', 'USD'], ['1e3', 'USD'], ['', 'USD']])('refuses %j in %s', (text, currency) => {
    expect(majorToMinor(text, currency)).toBeUndefined();
  });
});
