import { describe, expect, it } from 'vitest';
import { ACCOUNTS, GatewayStore, captureFee, refundedFee } from '../../../gateway/index.js';
import { feeFor } from '../../../simulators/core/fees.js';
import { ADYEN_FEES } from '../../../simulators/adyen/settlement.js';
import { ALIPAY_FEES } from '../../../simulators/alipay/settlement.js';
import { PAYPAL_FEES } from '../../../simulators/paypal/settlement.js';
import { STRIPE_FEES } from '../../../simulators/stripe/settlement.js';
import { WECHAT_FEES } from '../../../simulators/wechatpay/settlement.js';

describe('the fees the gateway books', () => {
  it.each([
    // provider, amount, currency, fee: percentage (half up) + the fixed part in the currency's decimals
    ['stripe', 1000, 'usd', 29 + 30],
    ['stripe', 1050, 'usd', 30 + 30],
    ['stripe', 5000, 'jpy', 145],
    ['stripe', 1000, 'kwd', 29 + 300],
    ['adyen', 2500, 'eur', 15 + 13],
    ['paypal', 1000, 'usd', 35 + 49],
    ['alipay', 2500, 'cny', 15],
    ['wechatpay', 83, 'cny', 0],
    ['localwallet', 1000, 'eur', 0],
  ] as const)('%s on %i %s costs %i', (provider, amount, currency, fee) => {
    expect(captureFee(provider, amount, currency)).toBe(fee);
  });

  it('gives the percentage back on a refund only where the provider does (Alipay, WeChat Pay)', () => {
    expect(refundedFee('alipay', 1000)).toBe(6);
    expect(refundedFee('wechatpay', 1000)).toBe(6);
    expect(refundedFee('stripe', 1000)).toBe(0);
    expect(refundedFee('paypal', 1000)).toBe(0);
  });

  // The gateway's table is written from the price lists, not imported: this is what keeps the two
  // readings of the same lists in step (the reconciliation would flag every payment otherwise).
  it('agrees with what each simulated provider charges, for every currency exponent', () => {
    const models = { stripe: STRIPE_FEES, adyen: ADYEN_FEES, paypal: PAYPAL_FEES, alipay: ALIPAY_FEES, wechatpay: WECHAT_FEES };
    for (const [provider, model] of Object.entries(models)) {
      for (const currency of ['usd', 'eur', 'cny', 'jpy', 'kwd']) {
        for (const amount of [1, 49, 50, 83, 999, 1000, 123_457]) {
          expect(captureFee(provider, amount, currency), `${provider} ${amount} ${currency}`).toBe(feeFor(model, 'capture', amount, currency));
          expect(refundedFee(provider, amount), `${provider} refund ${amount}`).toBe(Math.abs(feeFor(model, 'refund', amount, currency)));
        }
      }
    }
  });

  it('books the fee with the capture and the returned part with a refund, every entry balanced, and exports both', () => {
    const store = new GatewayStore();
    store.keys.claim('k', 'f', store.boot, store.now(), 90_000);
    store.createPayment('k', { paymentId: 'pay_w', orderId: 'o-w', amount: 10_000, currency: 'cny', paymentMethod: 'wechat_native', provider: 'wechatpay', providerKey: 'gw-k', providerReference: 'o-w', variant: 'baseline' });
    store.settlePayment('pay_w', { status: 'succeeded', httpStatus: 201 });
    expect(store.ledger.refund('pay_w', 'wechatpay', 4000, 'cny', 'r1', store.now())).toEqual({ booked: true, fresh: true });
    expect(store.ledger.balance(ACCOUNTS.fees('wechatpay'), 'cny')).toBe(60 - 24);
    expect(store.ledger.balance(ACCOUNTS.clearing('wechatpay'), 'cny')).toBe(10_000 - 60 - (4000 - 24));
    expect(store.ledger.unbalancedEntries()).toEqual([]);
    const exported = store.ledger.exportEntries();
    expect(exported.map((e) => [e.kind, e.amount, e.fee])).toEqual([['capture', 10_000, 60], ['refund', 4000, -24]]);
    store.close();
  });
});
