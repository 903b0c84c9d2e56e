import { describe, expect, it } from 'vitest';
import { GatewayStore, type WebhookEvent } from '../../../gateway/index.js';
import { applyWebhookEvent } from '../../../gateway/webhook-apply.js';

/**
 * Stripe tells a refund twice over: by its id (the API's answer, `refund.created`) and as the
 * charge's running total (`charge.refunded`). They arrive in any order — a total can overtake the
 * refund's own answer on its way back to the gateway (every-channel.yaml met it under its faults:
 * books 576, Stripe 288) — and the books must count each refund once whatever the order.
 */
const PAYMENT = 'pay_1';

function paidStore(): GatewayStore {
  const store = new GatewayStore();
  store.keys.claim('k1', 'f', store.boot, store.now(), 90_000);
  store.createPayment('k1', { paymentId: PAYMENT, orderId: 'ord_1', amount: 1000, currency: 'eur', paymentMethod: 'pm_card_visa', provider: 'stripe', providerKey: 'gw-1', providerReference: 'ord_1', variant: 'baseline' });
  store.settlePayment(PAYMENT, { status: 'succeeded', providerPaymentId: 'pi_1', httpStatus: 201 });
  expect(store.ledger.captured(PAYMENT)).toBe(1000);
  return store;
}

const note = (eventId: string, fields: Partial<WebhookEvent>): WebhookEvent => ({ provider: 'stripe', eventId, type: 'other', providerType: 'other', providerPaymentId: 'pi_1', merchantReference: 'ord_1', currency: 'eur', ...fields });

/** Refund A (300) then refund B (200): each answered by the API, notified by id, and followed by the charge's total. */
type Step = (store: GatewayStore) => void;
const STEPS: Record<string, Step> = {
  'answer A': (s) => void s.ledger.refund(PAYMENT, 'stripe', 300, 'eur', 're_A', s.now()),
  'answer B': (s) => void s.ledger.refund(PAYMENT, 'stripe', 200, 'eur', 're_B', s.now()),
  'refund.created A': (s) => void applyWebhookEvent(s, note('evt_rA', { type: 'refund.succeeded', providerType: 'refund.created', refundId: 're_A', amount: 300 })),
  'refund.created B': (s) => void applyWebhookEvent(s, note('evt_rB', { type: 'refund.succeeded', providerType: 'refund.created', refundId: 're_B', amount: 200 })),
  'charge.refunded 300': (s) => void applyWebhookEvent(s, note('evt_t1', { type: 'payment.refunded', providerType: 'charge.refunded', amount: 300 })),
  'charge.refunded 500': (s) => void applyWebhookEvent(s, note('evt_t2', { type: 'payment.refunded', providerType: 'charge.refunded', amount: 500 })),
};

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('refunds told by id and by running total', () => {
  it('a charge.refunded total that overtakes the refund\'s own answer does not book the refund twice', () => {
    const store = paidStore();
    STEPS['charge.refunded 300']!(store);
    expect(store.ledger.refunded(PAYMENT)).toBe(300);
    STEPS['answer A']!(store);
    STEPS['refund.created A']!(store);
    expect(store.ledger.refunded(PAYMENT)).toBe(300);
    // The refund is known by its id now: the books name it, nothing is left unnamed.
    expect(store.ledger.exportEntries().filter((e) => e.kind === 'refund').map((e) => [e.reference, e.amount])).toEqual([['re_A', 300]]);
    expect(store.ledger.unbalancedEntries()).toEqual([]);
    store.close();
  });

  it('books every refund once, never more than the provider refunded at any moment, in every order the six messages can arrive (720 orders)', () => {
    const names = Object.keys(STEPS);
    let orders = 0;
    for (const order of permutations(names)) {
      const store = paidStore();
      for (const name of order) {
        STEPS[name]!(store);
        expect(store.ledger.refunded(PAYMENT), order.join(' → ')).toBeLessThanOrEqual(500);
      }
      // Every message again, as providers redeliver: nothing moves.
      for (const name of order) STEPS[name]!(store);
      expect(store.ledger.refunded(PAYMENT), order.join(' → ')).toBe(500);
      expect(store.ledger.unbalancedEntries()).toEqual([]);
      store.close();
      orders++;
    }
    expect(orders).toBe(720);
  });

  it('a total no refund id explains stays booked (a refund whose answer and notification were both lost), and a later id takes it over', () => {
    const store = paidStore();
    STEPS['charge.refunded 500']!(store);
    expect(store.ledger.refunded(PAYMENT)).toBe(500);
    STEPS['answer B']!(store);
    expect(store.ledger.refunded(PAYMENT)).toBe(500);
    expect(store.ledger.exportEntries().filter((e) => e.kind === 'refund').map((e) => [e.reference, e.amount])).toEqual([['re_B', 200], ['total:500', 300]]);
    // A stale, smaller total changes nothing.
    STEPS['charge.refunded 300']!(store);
    expect(store.ledger.refunded(PAYMENT)).toBe(500);
    store.close();
  });

  it('refuses a total beyond what was captured, booking nothing', () => {
    const store = paidStore();
    applyWebhookEvent(store, note('evt_big', { type: 'payment.refunded', providerType: 'charge.refunded', amount: 1500 }));
    expect(store.ledger.refunded(PAYMENT)).toBe(0);
    store.close();
  });

  it('an Alipay refund notification (refund_fee: the trade\'s total) that overtakes a retried refund\'s answer books that refund once, not the total', () => {
    // every-channel under faults: two refunds answered; the third answered 500 after Alipay made
    // it, and its notification — refund_fee, the trade's total so far — came before the retry.
    const told = (store: GatewayStore, type: WebhookEvent['type']) => {
      store.ledger.refund(PAYMENT, 'stripe', 148, 'eur', 'rf_1', store.now());
      store.ledger.refund(PAYMENT, 'stripe', 69, 'eur', 'rf_2', store.now());
      applyWebhookEvent(store, note('notify_3', { type, providerType: 'refund:TRADE_SUCCESS', refundId: 'rf_3', amount: 257 }));
      // The retry's answer books the third refund (40) by its number.
      store.ledger.refund(PAYMENT, 'stripe', 40, 'eur', 'rf_3', store.now());
      return store.ledger.refunded(PAYMENT);
    };
    // As a running total (gateway/webhooks/alipay.ts): the third refund once.
    const store = paidStore();
    expect(told(store, 'payment.refunded')).toBe(257);
    expect(store.ledger.unbalancedEntries()).toEqual([]);
    // Read as one refund's amount (the old mapping), the total is booked as the third refund: 474.
    expect(told(paidStore(), 'refund.succeeded')).toBe(474);
  });
});
