import { describe, expect, it } from 'vitest';
import { ACCOUNTS, GatewayStore, captureFee, disputeFee, feeOverridesSchema, feeTable, parseGatewayConfig, refundedFee } from '../../../gateway/index.js';
import { withContractRate } from '../../../simulators/core/fees.js';
import { UNIONPAY_FEES } from '../../../simulators/unionpay/settlement.js';
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
    ['unionpay', 2500, 'cny', 15],
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
    const models = { stripe: STRIPE_FEES, adyen: ADYEN_FEES, paypal: PAYPAL_FEES, alipay: ALIPAY_FEES, wechatpay: WECHAT_FEES, unionpay: UNIONPAY_FEES };
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

  it('books a merchant\'s contract rate over the list price, and agrees with the simulator given the same rate', () => {
    const table = feeTable({ unionpay: { bps: 38 }, stripe: { bps: 150, fixed: 0.25 } });
    expect(captureFee('unionpay', 10_000, 'cny', table)).toBe(38);
    expect(refundedFee('unionpay', 10_000, table)).toBe(38);
    expect(captureFee('stripe', 1000, 'usd', table)).toBe(15 + 25);
    expect(captureFee('adyen', 2500, 'eur', table)).toBe(captureFee('adyen', 2500, 'eur'));
    for (const [provider, model, rate] of [['unionpay', UNIONPAY_FEES, { bps: 38 }], ['stripe', STRIPE_FEES, { bps: 150, fixed: 0.25 }]] as const) {
      const sim = withContractRate(model, rate);
      for (const currency of ['usd', 'cny', 'jpy', 'kwd']) {
        for (const amount of [1, 83, 999, 123_457]) {
          expect(captureFee(provider, amount, currency, table), `${provider} ${amount} ${currency}`).toBe(feeFor(sim, 'capture', amount, currency));
          expect(refundedFee(provider, amount, table)).toBe(Math.abs(feeFor(sim, 'refund', amount, currency)));
        }
      }
    }
  });

  it('refuses a contract rate it cannot book, naming the field and the fix', () => {
    const issues = (doc: unknown) => feeOverridesSchema.safeParse(doc).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ unionpay: { bps: 38 } })).toEqual([]);
    expect(issues({ unionpay: { bps: 0.38 } })[0]).toMatch(/^unionpay\.bps: /);
    expect(issues({ unionpay: { bps: 38, fixed: 0.305 } })).toEqual(['unionpay.fixed: expected the fixed part in major units with at most two decimals, such as 0.30']);
    expect(issues({ 'wiremock:localwallet': { bps: 10 } }).join()).toContain('wiremock:localwallet: no fees to set for wiremock:localwallet: fees are modelled for stripe, adyen, paypal, alipay, wechatpay, unionpay only');
    expect(issues({ unionpay: { bps: 38, rate: 1 } }).join()).toMatch(/rate/);
    expect(() => parseGatewayConfig({ providers: { unionpay: { url: 'http://127.0.0.1:1' } }, fees: { unionpay: { bps: -1 } } })).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_CONFIG' }));
  });

  it('a store given a contract rate books it with the capture and returns its percentage with a refund', () => {
    const store = new GatewayStore({ fees: feeTable({ unionpay: { bps: 38 } }) });
    store.keys.claim('k', 'f', store.boot, store.now(), 90_000);
    store.createPayment('k', { paymentId: 'pay_u', orderId: 'o-u', amount: 10_000, currency: 'cny', paymentMethod: 'unionpay', provider: 'unionpay', providerKey: 'gw-k', providerReference: 'o-u', variant: 'baseline' });
    store.settlePayment('pay_u', { status: 'succeeded', httpStatus: 201 });
    store.ledger.refund('pay_u', 'unionpay', 5000, 'cny', 'r1', store.now());
    expect(store.ledger.exportEntries().map((e) => [e.kind, e.amount, e.fee])).toEqual([['capture', 10_000, 38], ['refund', 5000, -19]]);
    store.close();
  });

  it('charges the dispute fee with a chargeback and gives it back with the reversal where the provider does, as each simulator reports it', () => {
    for (const [provider, model] of [['stripe', STRIPE_FEES], ['adyen', ADYEN_FEES], ['paypal', PAYPAL_FEES], ['alipay', ALIPAY_FEES]] as const) {
      for (const currency of ['usd', 'jpy', 'kwd']) {
        for (const amount of currency === 'usd' ? [1000, 2999, 3000, 50_000] : currency === 'jpy' ? [29, 30] : [29_999, 30_000]) {
          for (const kind of ['chargeback', 'chargeback_reversal'] as const) expect(disputeFee(provider, kind, amount, currency), `${provider} ${kind} ${amount} ${currency}`).toBe(feeFor(model, kind, amount, currency));
        }
      }
    }
    expect([disputeFee('stripe', 'chargeback', 1000, 'usd'), disputeFee('stripe', 'chargeback_reversal', 1000, 'usd'), disputeFee('adyen', 'chargeback_reversal', 1000, 'eur')]).toEqual([1500, -1500, 0]);
  });

  it("charges PayPal's Standard Dispute Fee only on a transaction of at least twice the fee (30.00), as PayPal's help centre states", () => {
    expect([2999, 3000].map((amount) => disputeFee('paypal', 'chargeback', amount, 'usd'))).toEqual([0, 1500]);
    expect([2999, 3000].map((amount) => disputeFee('paypal', 'chargeback_reversal', amount, 'usd'))).toEqual([0, -1500]);
    expect([2999, 3000].map((amount) => feeFor(PAYPAL_FEES, 'chargeback', amount, 'usd'))).toEqual([0, 1500]);
    // Stripe has no threshold: its dispute fee is charged on any amount.
    expect(disputeFee('stripe', 'chargeback', 100, 'usd')).toBe(1500);
  });

  it('books a dispute fee through fees:<provider>, never as a chargeback, every entry balanced; exported as the entry\'s fee', () => {
    const store = new GatewayStore();
    store.keys.claim('k', 'f', store.boot, store.now(), 90_000);
    store.createPayment('k', { paymentId: 'pay_s', orderId: 'o-s', amount: 2000, currency: 'usd', paymentMethod: 'pm_card_visa', provider: 'stripe', providerKey: 'gw-k', providerReference: 'o-s', variant: 'baseline' });
    store.settlePayment('pay_s', { status: 'succeeded', httpStatus: 201 });
    store.ledger.dispute('pay_s', 'stripe', 'chargeback', 2000, 'usd', 'dp_1', store.now());
    expect(store.ledger.balance(ACCOUNTS.chargebacks, 'usd')).toBe(2000);
    expect(store.ledger.balance(ACCOUNTS.fees('stripe'), 'usd')).toBe(88 + 1500);
    store.ledger.dispute('pay_s', 'stripe', 'chargeback_reversal', 2000, 'usd', 'dp_1', store.now());
    expect(store.ledger.unbalancedEntries()).toEqual([]);
    expect(store.ledger.exportEntries().map((e) => [e.kind, e.amount, e.fee])).toEqual([['capture', 2000, 88], ['chargeback', 2000, 1500], ['chargeback_reversal', 2000, -1500]]);
    store.close();
  });
});
