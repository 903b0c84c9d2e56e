import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GatewayStore, SCHEMA_VERSION, openDb } from '../../../gateway/store/index.js';

/**
 * A gateway file written by the version-1 layout (before a card's 3-D Secure page was kept) opens
 * under this gateway: its payments gain next_action_url, nothing else changes, and a payment it
 * held is read back as before.
 */
describe('the gateway store, opening an older file', () => {
  it('migrates a version-1 file: payments gain next_action_url, rows kept', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'paychaos-store-v1-')), 'gw.db');
    // The version-1 layout: today's, minus the columns later versions added (a file as that gateway left it).
    const fresh = openDb(file);
    fresh.close();
    const old = new Database(file);
    old.exec('DROP INDEX payments_split_pending');
    old.exec('ALTER TABLE payments DROP COLUMN split_state');
    old.exec('ALTER TABLE payments DROP COLUMN next_action_url');
    old.exec('ALTER TABLE payments DROP COLUMN split_destination');
    old.exec('ALTER TABLE payments DROP COLUMN split_fee');
    old.prepare(`INSERT INTO payments (payment_id, order_id, amount, currency, payment_method, provider, provider_key, provider_reference, status, variant, created_at, updated_at)
                 VALUES ('pay_1', 'o1', 100, 'eur', 'pm_card_visa', 'stripe', 'k', 'o1', 'succeeded', 'baseline', 1, 1)`).run();
    old.pragma('user_version = 1');
    old.close();

    const store = new GatewayStore({ path: file });
    expect(store.payments.get('pay_1')).toMatchObject({ orderId: 'o1', status: 'succeeded' });
    expect(store.payments.get('pay_1')!.nextActionUrl).toBeUndefined();
    store.close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect((db.prepare('PRAGMA table_info(payments)').all() as Array<{ name: string }>).map((c) => c.name)).toContain('next_action_url');
    db.close();
    // Opening it again is a no-op (the migration is not applied twice).
    new GatewayStore({ path: file }).close();
  });

  it('migrates a version-2 file: payments gain the split columns, an unsplit payment reads back without a split', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'paychaos-store-v2-')), 'gw.db');
    const fresh = openDb(file);
    fresh.close();
    const old = new Database(file);
    old.exec('DROP INDEX payments_split_pending');
    old.exec('ALTER TABLE payments DROP COLUMN split_state');
    old.exec('ALTER TABLE payments DROP COLUMN split_destination');
    old.exec('ALTER TABLE payments DROP COLUMN split_fee');
    old.prepare(`INSERT INTO payments (payment_id, order_id, amount, currency, payment_method, provider, provider_key, provider_reference, status, variant, created_at, updated_at)
                 VALUES ('pay_2', 'o2', 100, 'eur', 'pm_card_visa', 'stripe', 'k', 'o2', 'succeeded', 'baseline', 1, 1)`).run();
    old.pragma('user_version = 2');
    old.close();

    const store = new GatewayStore({ path: file });
    expect(store.payments.get('pay_2')).toMatchObject({ orderId: 'o2', status: 'succeeded' });
    expect(store.payments.get('pay_2')!.split).toBeUndefined();
    store.close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect((db.prepare('PRAGMA table_info(payments)').all() as Array<{ name: string }>).map((c) => c.name)).toEqual(expect.arrayContaining(['split_destination', 'split_fee']));
    db.close();
  });

  it('migrates a version-3 file: payments gain split_state, a split payment there reads back with no share pending', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'paychaos-store-v3-')), 'gw.db');
    const fresh = openDb(file);
    fresh.close();
    const old = new Database(file);
    old.exec('DROP INDEX payments_split_pending');
    old.exec('ALTER TABLE payments DROP COLUMN split_state');
    old.prepare(`INSERT INTO payments (payment_id, order_id, amount, currency, payment_method, provider, provider_key, provider_reference, status, variant, split_destination, split_fee, created_at, updated_at)
                 VALUES ('pay_3', 'o3', 100, 'eur', 'pm_card_visa', 'stripe', 'k', 'o3', 'succeeded', 'baseline', 'acct_1', 10, 1, 1)`).run();
    old.pragma('user_version = 3');
    old.close();

    const store = new GatewayStore({ path: file });
    expect(store.payments.get('pay_3')).toMatchObject({ split: { destination: 'acct_1', platformFee: 10 } });
    expect(store.payments.get('pay_3')!.splitState).toBeUndefined();
    expect(store.payments.splitsPending(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
    store.close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect((db.prepare('PRAGMA table_info(payments)').all() as Array<{ name: string }>).map((c) => c.name)).toContain('split_state');
    db.close();
    new GatewayStore({ path: file }).close();
  });
  it('migrates a version-4 file: the redundant entries index goes, keys_by_payment keeps only keys at payment_created, a key left there is still answered', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'paychaos-store-v4-')), 'gw.db');
    const fresh = openDb(file);
    fresh.close();
    // The version-4 indexes: entries_by_payment beside the UNIQUE one, keys_by_payment over every key.
    const old = new Database(file);
    old.exec('CREATE INDEX entries_by_payment ON journal_entries (payment_id)');
    old.exec('DROP INDEX keys_by_payment');
    old.exec('CREATE INDEX keys_by_payment ON idempotency_keys (payment_id)');
    old.prepare(`INSERT INTO payments (payment_id, order_id, amount, currency, payment_method, provider, provider_key, provider_reference, status, error_code, in_flight_boot, variant, created_at, updated_at)
                 VALUES ('pay_4', 'o4', 100, 'eur', 'pm_card_visa', 'stripe', 'k4', 'o4', 'pending', 'outcome_unknown', 'gone', 'baseline', 1, 1)`).run();
    // A request that died after creating its payment (payment_created), and one answered long ago (finished).
    old.prepare(`INSERT INTO idempotency_keys (idempotency_key, fingerprint, recovery_point, payment_id, created_at) VALUES ('k4', 'f', 'payment_created', 'pay_4', 1)`).run();
    old.prepare(`INSERT INTO idempotency_keys (idempotency_key, fingerprint, recovery_point, payment_id, response_status, response_body, created_at) VALUES ('k0', 'f', 'finished', 'pay_0', 201, '{}', 1)`).run();
    old.pragma('user_version = 4');
    old.close();

    const store = new GatewayStore({ path: file });
    const indexes = new Map((store.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as Array<{ name: string; sql: string }>).map((r) => [r.name, r.sql]));
    expect(indexes.has('entries_by_payment')).toBe(false);
    expect(indexes.get('keys_by_payment')).toMatch(/WHERE recovery_point = 'payment_created'/);
    // Settling the payment answers the key its dead request left, through the partial index.
    store.settlePayment('pay_4', { status: 'succeeded', httpStatus: 201 }, (p) => ({ status: 201, body: { paymentId: p.paymentId, status: p.status } }));
    store.close();
    const reopened = new GatewayStore({ path: file });
    expect(reopened.keys.pointOf('k4')).toBe('finished');
    expect(reopened.keys.claim('k4', 'f', reopened.boot, 2, 90_000)).toEqual({ kind: 'replay', response: { status: 201, body: { paymentId: 'pay_4', status: 'succeeded' } } });
    expect(reopened.ledger.captured('pay_4')).toBe(100);
    reopened.close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });
});
