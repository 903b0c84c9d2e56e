import { describe, expect, it } from 'vitest';
import { checkDisputesBooked, type BookEntry, type LedgerRow } from '../../../src/analysis/index.js';

const row = (over: Partial<LedgerRow> & Pick<LedgerRow, 'kind' | 'amount'>): LedgerRow => ({ provider: 'stripe', paymentId: 'pi_1', orderId: 'order-1', currency: 'usd', ...over });
const book = (over: Partial<BookEntry> & Pick<BookEntry, 'kind' | 'amount'>): BookEntry => ({
  paymentId: 'pay_1', orderId: 'order-1', provider: 'stripe', providerPaymentId: 'pi_1', reference: 'dp_1', currency: 'usd', bookedAt: '2026-11-11T10:00:00.000Z', ...over,
});
const captured = [row({ kind: 'capture', amount: 1000 }), book({ kind: 'capture', amount: 1000, reference: 'capture' })] as const;

describe('disputes-booked: every chargeback a provider took is booked by the gateway, for its amount', () => {
  it('holds when the books have each chargeback and each reversal the ledger has', () => {
    const r = checkDisputesBooked(
      [captured[0], row({ kind: 'chargeback', amount: 1000, reference: 'dp_1' }), row({ kind: 'chargeback', amount: 400, paymentId: 'pi_2', orderId: 'order-2', reference: 'dp_2' }), row({ kind: 'chargeback_reversal', amount: 400, paymentId: 'pi_2', orderId: 'order-2', reference: 'dp_2' })],
      [captured[1], book({ kind: 'chargeback', amount: 1000 }), book({ kind: 'chargeback', amount: 400, paymentId: 'pay_2', orderId: 'order-2', providerPaymentId: 'pi_2', reference: 'dp_2' }), book({ kind: 'chargeback_reversal', amount: 400, paymentId: 'pay_2', orderId: 'order-2', providerPaymentId: 'pi_2', reference: 'dp_2' })],
    );
    expect(r).toMatchObject({ name: 'disputes-booked', passed: true, checked: 2, violations: [] });
  });

  it('finds a chargeback the books lack, and a won dispute they never saw although it nets to nothing (negative controls)', () => {
    const r = checkDisputesBooked([captured[0], row({ kind: 'chargeback', amount: 1000, reference: 'dp_1' }), row({ kind: 'chargeback', amount: 400, paymentId: 'pi_2', orderId: 'order-2', reference: 'dp_2' }), row({ kind: 'chargeback_reversal', amount: 400, paymentId: 'pi_2', orderId: 'order-2', reference: 'dp_2' })], [captured[1]]);
    expect(r.passed).toBe(false);
    expect(r.violations.map((v) => [v.orderId, v.paymentIds[0]])).toEqual([['order-1', 'pi_1'], ['order-2', 'pi_2']]);
    expect(r.violations[0]!.message).toContain('charged back 1000 and reinstated 0 on pi_1 (dispute dp_1); the gateway\'s books hold 0 and 0 (no dispute entry at all)');
  });

  it('finds a chargeback booked for the wrong amount, matched by the merchant reference when the books lack the provider id', () => {
    const r = checkDisputesBooked([row({ kind: 'chargeback', amount: 1000, reference: 'dp_1' })], [book({ kind: 'chargeback', amount: 900, providerPaymentId: undefined, providerReference: 'order-1' })]);
    expect(r.violations.map((v) => v.message)).toEqual(['stripe charged back 1000 and reinstated 0 on pi_1 (dispute dp_1); the gateway\'s books hold 900 and 0']);
  });

  it('finds a chargeback in the books that the provider\'s ledger does not show, only for providers whose ledger was read', () => {
    const r = checkDisputesBooked([captured[0]], [captured[1], book({ kind: 'chargeback', amount: 1000 }), book({ kind: 'chargeback', amount: 50, provider: 'wiremock:localwallet', reference: 'x' })]);
    expect(r.violations.map((v) => v.message)).toEqual(['the gateway\'s books hold a chargeback of 1000 on pi_1 (dispute dp_1) that stripe\'s ledger does not show']);
  });
});
