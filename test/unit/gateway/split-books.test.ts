import { describe, expect, it } from 'vitest';
import { GatewayStore } from '../../../gateway/index.js';

/**
 * A split payment's books beyond the capture (issue #15): a split shared after the payment waits
 * `pending` without its transfer until the provider confirms it, once; a refund at a provider that
 * reverses splits takes the receiver's share back in proportion, the last refund taking the rest.
 */
function paid(opts: { provider: string; amount: number; fee: number; after?: string[]; reversed?: string[] }) {
  const store = new GatewayStore({ splitsAfterPayment: opts.after ?? [], splitsReversedOnRefund: opts.reversed ?? [] });
  store.keys.claim('k', 'fp', store.boot, store.now(), 90_000);
  store.createPayment('k', { paymentId: 'pay_1', orderId: 'o-1', amount: opts.amount, currency: 'eur', paymentMethod: 'pm', provider: opts.provider, providerKey: 'gw-k', providerReference: 'o-1', variant: 'baseline', split: { destination: 'd1', platformFee: opts.fee } });
  store.settlePayment('pay_1', { status: 'succeeded', httpStatus: 201, providerPaymentId: 'p1' });
  return store;
}
const kinds = (store: GatewayStore) => store.ledger.exportEntries().map((e) => e.kind);

describe('the books of a split shared after the payment', () => {
  it('book the split with the capture and hold the transfer, pending, until the provider confirms — then once', () => {
    const store = paid({ provider: 'alipay', amount: 10_000, fee: 1_500, after: ['alipay'] });
    expect(kinds(store)).toEqual(['capture', 'split']);
    expect(store.payments.get('pay_1')!.splitState).toBe('pending');
    expect(store.payments.splitsPending(store.now(), 10).map((p) => p.paymentId)).toEqual(['pay_1']);
    store.splitShared('pay_1');
    store.splitShared('pay_1');
    expect(kinds(store)).toEqual(['capture', 'split', 'transfer']);
    expect(store.ledger.exportEntries().find((e) => e.kind === 'transfer')).toMatchObject({ amount: 8_500, destination: 'd1' });
    expect(store.payments.get('pay_1')!.splitState).toBe('shared');
    // A later settle (a notification after the answer) does not make it pending again.
    store.settlePayment('pay_1', { status: 'succeeded', httpStatus: 201 });
    expect(store.payments.get('pay_1')!.splitState).toBe('shared');
    expect(store.ledger.unbalancedEntries()).toEqual([]);
  });

  it('book the transfer at once where the charge carried the split (no pending state)', () => {
    const store = paid({ provider: 'stripe', amount: 10_000, fee: 1_500, after: ['alipay'] });
    expect(kinds(store)).toEqual(['capture', 'split', 'transfer']);
    expect(store.payments.get('pay_1')!.splitState).toBeUndefined();
  });

  it('keep a refused share owed: failed, no transfer, not resumed', () => {
    const store = paid({ provider: 'wechatpay', amount: 10_000, fee: 1_500, after: ['wechatpay'] });
    store.splitFailed('pay_1');
    expect(kinds(store)).toEqual(['capture', 'split']);
    expect(store.payments.splitsPending(store.now(), 10)).toEqual([]);
  });
});

describe('a refund of a split payment where the provider reverses the split', () => {
  it.each([
    // amount, fee, refunds → [receiver back, commission back] each
    [10_000, 1_250, [4_000, 6_000], [[3_500, 500], [5_250, 750]]],
    [1_000, 333, [1, 1, 998], [[1, 0], [1, 0], [665, 333]]],
    [999, 0, [500, 499], [[500, 0], [499, 0]]],
  ] as const)('of %i with commission %i refunded as %j gives back %j — the last taking what is left', (amount, fee, refunds, shares) => {
    const store = paid({ provider: 'stripe', amount, fee, reversed: ['stripe'] });
    refunds.forEach((r, i) => {
      expect(store.ledger.refundSplitShares('pay_1', r)).toMatchObject({ receiver: shares[i]![0], commission: shares[i]![1] });
      expect(store.ledger.refund('pay_1', 'stripe', r, 'eur', `re_${i}`, store.now())).toMatchObject({ booked: true, fresh: true });
    });
    const lines = store.ledger.exportEntries().flatMap((e) => e.lines);
    const net = (account: string) => lines.filter((l) => l.account === account).reduce((s, l) => s + l.amount, 0);
    // All refunded: the receiver owes nothing and is owed nothing, the platform kept no commission.
    expect([net('connected:d1'), net('commission')]).toEqual([0, 0]);
    expect(store.ledger.unbalancedEntries()).toEqual([]);
  });

  it('books no reversal for a split that gave the receiver nothing: the platform kept the sale and bears its refund', () => {
    const store = paid({ provider: 'stripe', amount: 1_000, fee: 1_000, reversed: ['stripe'] });
    expect(store.ledger.refundSplitShares('pay_1', 400)).toBeUndefined();
    store.ledger.refund('pay_1', 'stripe', 400, 'eur', 're_1', store.now());
    expect(kinds(store)).toEqual(['capture', 'split', 'refund']);
  });

  it('books no reversal at a provider that does not reverse splits, and none for a refund booked twice', () => {
    const store = paid({ provider: 'stripe', amount: 10_000, fee: 1_000, reversed: [] });
    store.ledger.refund('pay_1', 'stripe', 5_000, 'eur', 're_1', store.now());
    expect(kinds(store)).toEqual(['capture', 'split', 'transfer', 'refund']);
    const reversing = paid({ provider: 'stripe', amount: 10_000, fee: 1_000, reversed: ['stripe'] });
    reversing.ledger.refund('pay_1', 'stripe', 5_000, 'eur', 're_1', reversing.now());
    reversing.ledger.refund('pay_1', 'stripe', 5_000, 'eur', 're_1', reversing.now());
    expect(kinds(reversing)).toEqual(['capture', 'split', 'transfer', 'refund', 'split_refund', 'transfer_reversal']);
  });
});
