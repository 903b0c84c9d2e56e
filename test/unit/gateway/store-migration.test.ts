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
});
