import { describe, expect, it } from 'vitest';
import { methodKindOf } from '../../../gateway/method-kind.js';

describe("the gateway's payment.method label", () => {
  it("names the channel a payment used, where its provider offers it, else the provider's own method", () => {
    expect(methodKindOf('stripe', 'pm_card_visa')).toBe('card');
    expect(methodKindOf('stripe', 'pm_ideal')).toBe('bank_redirect');
    expect(methodKindOf('adyen', 'pm_ideal')).toBe('bank_redirect');
    expect(methodKindOf('stripe', 'pm_grabpay')).toBe('wallet');
    expect(methodKindOf('stripe', 'pm_card_visa_applePay')).toBe('wallet_card');
    expect(methodKindOf('adyen', 'pm_card_mastercard_googlePay')).toBe('wallet_card');
    expect(methodKindOf('alipay', 'pm_alipay')).toBe('wallet');
    // A channel the provider does not offer is not invented: Alipay takes no iDEAL.
    expect(methodKindOf('alipay', 'pm_ideal')).toBe('wallet');
    // No payment method known (a status query): the provider's own.
    expect(methodKindOf('stripe')).toBe('card');
    expect(methodKindOf('nobody', 'pm_ideal')).toBe('unknown');
  });
});
