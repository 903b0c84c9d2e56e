import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNTS, GatewayStore, recordWebhookEvent } from '../../../gateway/index.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'paychaos-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const newPayment = (store: GatewayStore, key: string, paymentId: string, amount = 1000, provider = 'stripe') => {
  store.keys.claim(key, 'f', store.boot, store.now(), 90_000);
  store.createPayment(key, { paymentId, orderId: `o-${paymentId}`, amount, currency: 'eur', paymentMethod: 'pm_card_visa', provider, providerKey: `gw-${key}`, providerReference: `o-${paymentId}`, variant: 'baseline' });
};

describe('the gateway store on a file', () => {
  it('is in WAL mode with synchronous NORMAL, and keeps what was committed across a reopen', () => {
    const file = join(tempDir(), 'gw.db');
    const first = new GatewayStore({ path: file });
    expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
    // 1 = NORMAL (0 OFF, 2 FULL, 3 EXTRA)
    expect(first.db.pragma('synchronous', { simple: true })).toBe(1);
    newPayment(first, 'k1', 'pay_1');
    first.settlePayment('pay_1', { status: 'succeeded', httpStatus: 201, providerPaymentId: 'pi_1' }, (p) => ({ status: 201, body: { id: p.paymentId } }));
    first.close();
    const again = new GatewayStore({ path: file });
    expect(again.payments.forOrder('o-pay_1')).toMatchObject({ status: 'succeeded', providerPaymentId: 'pi_1' });
    expect(again.keys.claim('k1', 'f', again.boot, Date.now(), 90_000)).toEqual({ kind: 'replay', response: { status: 201, body: { id: 'pay_1' } } });
    expect(again.ledger.captured('pay_1')).toBe(1000);
    again.close();
  });

  it('refuses a path it cannot open with PAYCHAOS_ERR_GATEWAY_BAD_DB naming the setting and the path', () => {
    const path = join(tempDir(), 'no', 'such', 'dir', 'gw.db');
    expect(() => new GatewayStore({ path, flag: '--db' })).toThrow(expect.objectContaining({ code: 'PAYCHAOS_ERR_GATEWAY_BAD_DB', message: expect.stringContaining(`--db: "${path}"`) }));
  });
});

describe('the webhook inbox', () => {
  it('records an event once per (provider, event id): a copy is not new, the same id from another provider is', () => {
    const store = new GatewayStore();
    const event = { provider: 'stripe', eventId: 'evt_1', eventType: 'payment_intent.succeeded', payload: '{}' };
    expect(recordWebhookEvent(store, event)).toBe(true);
    expect(recordWebhookEvent(store, event)).toBe(false);
    expect(recordWebhookEvent(store, { ...event, provider: 'adyen' })).toBe(true);
    store.close();
  });
});

describe('the double-entry ledger', () => {
  it('books a capture once, however often the payment is settled, with the provider\'s published fee (Alipay 0.6 %)', () => {
    const store = new GatewayStore();
    newPayment(store, 'k', 'pay_c', 2500, 'alipay');
    for (let i = 0; i < 3; i++) store.settlePayment('pay_c', { status: 'succeeded', httpStatus: 201 });
    expect(store.ledger.captured('pay_c')).toBe(2500);
    expect(store.ledger.balance(ACCOUNTS.fees('alipay'), 'eur')).toBe(15);
    expect(store.ledger.balance(ACCOUNTS.clearing('alipay'), 'eur')).toBe(2485);
    expect(store.ledger.balance(ACCOUNTS.shopper, 'eur')).toBe(-2500);
    store.close();
  });

  it('never refunds more than was captured, and books a refund id once', () => {
    const store = new GatewayStore();
    newPayment(store, 'k', 'pay_r', 1000);
    store.settlePayment('pay_r', { status: 'succeeded', httpStatus: 201 });
    const now = Date.now();
    expect(store.ledger.refund('pay_r', 'stripe', 600, 'eur', 're_1', now)).toEqual({ booked: true, fresh: true });
    expect(store.ledger.refund('pay_r', 'stripe', 600, 'eur', 're_1', now)).toEqual({ booked: true, fresh: false });
    expect(store.ledger.refund('pay_r', 'stripe', 500, 'eur', 're_2', now)).toEqual({ booked: false, refundable: 400 });
    expect(store.ledger.refund('pay_r', 'stripe', 400, 'eur', 're_3', now)).toEqual({ booked: true, fresh: true });
    expect(store.ledger.refunded('pay_r')).toBe(1000);
    store.close();
  });

  it('refuses an unbalanced entry before writing anything', () => {
    const store = new GatewayStore();
    expect(() => store.ledger.post({ paymentId: 'p', kind: 'capture', currency: 'eur', reference: 'x', lines: [{ account: 'a', amount: 10 }, { account: 'b', amount: -9 }] }, 0)).toThrow(
      expect.objectContaining({ code: 'PAYCHAOS_ERR_GATEWAY_LEDGER_UNBALANCED' }),
    );
    expect(store.db.prepare('SELECT count(*) AS n FROM journal_entries').get()).toEqual({ n: 0 });
    store.close();
  });

  it('keeps every journal entry balanced under any mix of captures, fees and partial refunds', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ amount: fc.integer({ min: 1, max: 1_000_000 }), feeShare: fc.double({ min: 0, max: 0.1, noNaN: true }), refunds: fc.array(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 4 }) }), { maxLength: 20 }), (payments) => {
        const store = new GatewayStore();
        payments.forEach((p, i) => {
          store.ledger.capture(`pay_${i}`, 'stripe', p.amount, 'eur', 0, Math.floor(p.amount * p.feeShare));
          p.refunds.forEach((r, j) => store.ledger.refund(`pay_${i}`, 'stripe', r, 'eur', `re_${j}`, 0));
          expect(store.ledger.refunded(`pay_${i}`)).toBeLessThanOrEqual(store.ledger.captured(`pay_${i}`));
        });
        expect(store.ledger.unbalancedEntries()).toEqual([]);
        store.close();
      }),
      { numRuns: 50 },
    );
  });

  it('finds an entry made unbalanced behind its back (negative control of the balance check)', () => {
    const store = new GatewayStore();
    store.ledger.capture('pay_x', 'stripe', 1000, 'eur', 0, 30);
    store.db.prepare("UPDATE journal_lines SET amount = amount + 1 WHERE account = 'fees:stripe'").run();
    expect(store.ledger.unbalancedEntries()).toHaveLength(1);
    store.close();
  });
});
