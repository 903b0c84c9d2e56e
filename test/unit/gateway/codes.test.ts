import { describe, expect, it } from 'vitest';
import { NORMALISED_CODES, isNormalisedCode } from '../../../src/conventions/index.js';
import {
  ADYEN_ERROR_CODES,
  ADYEN_REFUSAL_REASONS,
  ALIPAY_SUB_CODES,
  PAYPAL_ISSUES,
  STRIPE_DECLINE_CODES,
  STRIPE_ERROR_CODES,
  UNIONPAY_CODES,
  WECHATPAY_ERROR_CODES,
  WECHATPAY_FAILED_STATES,
  normaliseAdyen,
  normaliseAlipay,
  normalisePaypal,
  normaliseStripe,
  normaliseUnionPay,
  normaliseWechatPay,
} from '../../../gateway/clients/codes/index.js';
import { minorToMajor } from '../../../gateway/clients/money.js';
import { encodeStripeForm } from '../../../gateway/clients/form.js';

/**
 * The gateway's own code tables, asserted against what each provider documents — literal
 * provider codes on the left, the normalised code DESIGN.md gives that meaning on the right —
 * so a mapping wrong in the gateway cannot pass by agreeing with a simulator.
 */
describe('the gateway normalises provider codes as the providers document them', () => {
  it.each([
    // docs.stripe.com/declines/codes
    ['card_declined', 'expired_card', 'expired_card'],
    ['card_declined', 'insufficient_funds', 'insufficient_funds'],
    ['card_declined', 'incorrect_cvc', 'incorrect_cvc'],
    ['card_declined', 'generic_decline', 'card_declined'],
    ['card_declined', 'do_not_honor', 'card_declined'],
    ['card_declined', 'fraudulent', 'fraud_suspected'],
    ['card_declined', 'stolen_card', 'fraud_suspected'],
    ['card_declined', 'card_velocity_exceeded', 'limit_exceeded'],
    ['card_declined', 'try_again_later', 'issuer_unavailable'],
    ['card_declined', 'issuer_not_available', 'issuer_unavailable'],
    ['card_declined', 'authentication_required', 'authentication_required'],
    // docs.stripe.com/error-codes: the code alone when no decline_code says more
    ['expired_card', undefined, 'expired_card'],
    ['processing_error', undefined, 'provider_error'],
    ['rate_limit', undefined, 'rate_limited'],
    ['something_new', undefined, 'unknown'],
  ] as const)('Stripe code %s, decline_code %s → %s', (code, decline, expected) => {
    expect(normaliseStripe(code, decline)).toBe(expected);
  });

  it.each([
    // docs.adyen.com/development-resources/refusal-reasons
    ['Refused', '2', 'card_declined'],
    ['Refused', '6', 'expired_card'],
    ['Refused', '9', 'issuer_unavailable'],
    ['Refused', '11', 'authentication_failed'],
    ['Refused', '12', 'insufficient_funds'],
    ['Refused', '20', 'fraud_suspected'],
    ['Refused', '24', 'incorrect_cvc'],
    ['Refused', '28', 'limit_exceeded'],
    ['Refused', '38', 'authentication_required'],
    ['Error', '4', 'provider_error'],
    ['Refused', undefined, 'card_declined'],
  ] as const)('Adyen %s with refusalReasonCode %s → %s', (resultCode, refusalReasonCode, expected) => {
    expect(normaliseAdyen({ resultCode, ...(refusalReasonCode ? { refusalReasonCode } : {}) })).toBe(expected);
  });

  it('reads Adyen API errors by status first (401 our key, 429, 5xx), then by errorCode', () => {
    expect(normaliseAdyen({ errorCode: '000', status: 401 })).toBe('invalid_request');
    expect(normaliseAdyen({ errorCode: '000', status: 429 })).toBe('rate_limited');
    expect(normaliseAdyen({ errorCode: '000', status: 503 })).toBe('provider_unavailable');
    expect(normaliseAdyen({ errorCode: '101', status: 422 })).toBe('invalid_payment_data');
    expect(normaliseAdyen({ errorCode: '999', status: 422 })).toBe('invalid_request');
  });

  it.each([
    // alipay.trade.pay public error codes
    ['40004', 'ACQ.BUYER_BALANCE_NOT_ENOUGH', 'insufficient_funds'],
    ['40004', 'ACQ.PAYMENT_REQUEST_HAS_RISK', 'fraud_suspected'],
    ['40004', 'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR', 'limit_exceeded'],
    ['40004', 'ACQ.TOTAL_FEE_EXCEED', 'limit_exceeded'],
    ['40004', 'ACQ.TRADE_HAS_CLOSE', 'order_closed'],
    ['40004', 'ACQ.TRADE_HAS_SUCCESS', 'duplicate_transaction'],
    ['40004', 'ACQ.PAYMENT_AUTH_CODE_INVALID', 'invalid_payment_data'],
    ['40004', 'ACQ.CONTEXT_INCONSISTENT', 'invalid_request'],
    ['20000', 'ACQ.SYSTEM_ERROR', 'provider_error'],
    ['20000', undefined, 'provider_unavailable'],
    ['40002', undefined, 'invalid_request'],
    ['40004', 'ACQ.SOMETHING_NEW', 'unknown'],
  ] as const)('Alipay code %s sub_code %s → %s', (code, sub_code, expected) => {
    expect(normaliseAlipay({ code, ...(sub_code ? { sub_code } : {}) })).toBe(expected);
  });

  it.each([
    // WeChat Pay APIv3 JSAPI order error codes
    [{ code: 'NOTENOUGH', status: 403 }, 'insufficient_funds'],
    [{ code: 'RULE_LIMIT', status: 403 }, 'limit_exceeded'],
    [{ code: 'ACCOUNTERROR', status: 403 }, 'card_declined'],
    [{ code: 'ORDERPAID', status: 400 }, 'duplicate_transaction'],
    [{ code: 'ORDERCLOSED', status: 400 }, 'order_closed'],
    [{ code: 'SIGN_ERROR', status: 401 }, 'invalid_request'],
    [{ code: 'FREQUENCY_LIMITED', status: 429 }, 'rate_limited'],
    [{ code: 'SYSTEM_ERROR', status: 500 }, 'provider_error'],
    [{ trade_state: 'PAYERROR' }, 'card_declined'],
    [{ trade_state: 'CLOSED' }, 'order_closed'],
  ] as const)('WeChat Pay %j → %s', (answer, expected) => {
    expect(normaliseWechatPay(answer)).toBe(expected);
  });

  it.each([
    // developer.paypal.com Orders v2 issues
    ['UNPROCESSABLE_ENTITY', 'INSTRUMENT_DECLINED', 422, 'card_declined'],
    ['UNPROCESSABLE_ENTITY', 'CARD_EXPIRED', 422, 'expired_card'],
    ['UNPROCESSABLE_ENTITY', 'PAYER_ACTION_REQUIRED', 422, 'authentication_required'],
    ['UNPROCESSABLE_ENTITY', 'MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED', 422, 'limit_exceeded'],
    ['UNPROCESSABLE_ENTITY', 'DUPLICATE_INVOICE_ID', 422, 'duplicate_transaction'],
    ['RATE_LIMIT_REACHED', undefined, 429, 'rate_limited'],
    ['INTERNAL_SERVER_ERROR', undefined, 500, 'provider_error'],
    ['AUTHENTICATION_FAILURE', undefined, 401, 'invalid_request'],
  ] as const)('PayPal %s / %s (%i) → %s', (name, issue, status, expected) => {
    expect(normalisePaypal({ name, ...(issue ? { details: [{ issue }] } : {}), status })).toBe(expected);
  });

  it.each([
    // open.unionpay.com 全渠道 应答码: in progress → query; declines by the issuer's reason
    ['03', 'outcome_unknown'],
    ['04', 'outcome_unknown'],
    ['05', 'outcome_unknown'],
    ['11', 'invalid_request'],
    ['12', 'duplicate_transaction'],
    ['33', 'limit_exceeded'],
    ['38', 'fraud_suspected'],
    ['61', 'invalid_payment_data'],
    ['64', 'insufficient_funds'],
    ['65', 'incorrect_cvc'],
    ['73', 'expired_card'],
    ['06', 'provider_unavailable'],
    ['ZZ', 'unknown'],
  ] as const)('UnionPay respCode %s → %s', (code, expected) => {
    expect(normaliseUnionPay(code)).toBe(expected);
  });

  it('maps only to normalised codes, and an inherited key (toString) is no code', () => {
    const tables = [STRIPE_DECLINE_CODES, STRIPE_ERROR_CODES, ADYEN_REFUSAL_REASONS, ADYEN_ERROR_CODES, ALIPAY_SUB_CODES, WECHATPAY_ERROR_CODES, WECHATPAY_FAILED_STATES, PAYPAL_ISSUES, UNIONPAY_CODES];
    for (const table of tables) for (const code of Object.values(table)) expect(isNormalisedCode(code), code).toBe(true);
    expect(Object.keys(NORMALISED_CODES)).toContain('expired_card');
    expect(normaliseStripe(undefined, 'toString')).toBe('unknown');
    expect(normaliseAlipay({ code: '40004', sub_code: 'constructor' })).toBe('unknown');
    expect(normaliseUnionPay('toString')).toBe('unknown');
  });
});

describe('the gateway’s own encodings', () => {
  it('writes amounts with the currency’s ISO 4217 decimals', () => {
    expect(minorToMajor(1234, 'cny')).toBe('12.34');
    expect(minorToMajor(5, 'EUR')).toBe('0.05');
    expect(minorToMajor(1234, 'JPY')).toBe('1234');
    expect(minorToMajor(1234, 'KWD')).toBe('1.234');
  });

  it('form-encodes nested hashes as Stripe documents (metadata[order_id])', () => {
    expect(encodeStripeForm({ amount: 100, confirm: 'true', metadata: { order_id: 'a b&c' }, skip: undefined })).toBe('amount=100&confirm=true&metadata%5Border_id%5D=a%20b%26c');
  });
});
