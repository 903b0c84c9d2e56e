import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGateway, GatewayStore, type GroupCommitOptions } from '../../../gateway/index.js';
import { startStripeSim } from '../../../simulators/index.js';

/**
 * Group commit in the gateway's store: every write of one event-loop turn shares one COMMIT, a
 * phase that throws rolls back alone, a COMMIT that fails rejects every waiter of its group and the
 * next group starts afresh. "Committed" is judged by a second connection on the same file — what a
 * restarted process would read.
 */
const dirs: string[] = [];
const opened: Array<{ close(): void }> = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fileStore(groupCommit?: GroupCommitOptions): { store: GatewayStore; outside: () => { payments: number; keys: number } } {
  const dir = mkdtempSync(join(tmpdir(), 'paychaos-group-'));
  dirs.push(dir);
  const store = new GatewayStore({ path: join(dir, 'gw.db'), ...(groupCommit ? { groupCommit } : {}) });
  opened.push(store);
  const reader = new Database(join(dir, 'gw.db'), { readonly: true });
  opened.push(reader);
  const count = (table: string) => (reader.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { store, outside: () => ({ payments: count('payments'), keys: count('idempotency_keys') }) };
}

function pay(store: GatewayStore, n: number): void {
  const key = `k${n}`;
  store.keys.claim(key, 'f', store.boot, store.now(), 90_000);
  store.createPayment(key, { paymentId: `pay_${n}`, orderId: `o${n}`, amount: 100, currency: 'eur', paymentMethod: 'pm_card_visa', provider: 'stripe', providerKey: `gw-${key}`, providerReference: `o${n}`, variant: 'baseline' }, true);
}

const turn = () => new Promise((r) => setImmediate(r));

describe('group commit in the gateway store', () => {
  it('commits every write of one turn together: another connection sees none of them before durable() resolves, all after, in one group', async () => {
    const { store, outside } = fileStore();
    const before = store.groups;
    for (let i = 0; i < 20; i++) pay(store, i);
    // The writer's own reads see the open group (a duplicate key in the same turn is in flight, as before).
    expect(store.keys.claim('k3', 'f', store.boot, store.now(), 90_000)).toEqual({ kind: 'in_flight' });
    expect(store.payments.get('pay_3')?.status).toBe('pending');
    const durable = store.durable();
    expect(outside()).toEqual({ payments: 0, keys: 0 });
    await durable;
    expect(outside()).toEqual({ payments: 20, keys: 20 });
    expect(store.groups - before).toBe(1);
  });

  it('with intervalMs, gathers the writes of several turns into one commit, and maxWrites ends a group early', async () => {
    const { store, outside } = fileStore({ intervalMs: 200, maxWrites: 1_000_000 });
    pay(store, 1);
    await turn();
    pay(store, 2);
    await turn();
    // Two turns later, still one open group: nothing is on disk for another reader.
    expect(outside().payments).toBe(0);
    await store.durable();
    expect(outside().payments).toBe(2);

    const capped = fileStore({ intervalMs: 60_000, maxWrites: 4 });
    pay(capped.store, 1); // claim + insert + advance + attempt = 4 writes: the cap
    const started = performance.now();
    await capped.store.durable();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(capped.outside().payments).toBe(1);
  });

  it('rolls back a phase that throws on its own; the other phases of its group commit', async () => {
    const { store } = fileStore();
    pay(store, 1);
    pay(store, 2);
    expect(() =>
      store.settlePayment('pay_1', { status: 'succeeded', httpStatus: 201 }, () => {
        throw new Error('the answer could not be made');
      }),
    ).toThrow('the answer could not be made');
    store.settlePayment('pay_2', { status: 'succeeded', httpStatus: 201 }, (p) => ({ status: 201, body: { id: p.paymentId } }));
    await store.durable();
    // pay_1's settle (payment row, ledger entry) is gone; its creation, in an earlier phase, stays.
    expect(store.payments.get('pay_1')?.status).toBe('pending');
    expect(store.ledger.captured('pay_1')).toBe(0);
    expect(store.payments.get('pay_2')?.status).toBe('succeeded');
    expect(store.ledger.captured('pay_2')).toBe(100);
  });

  it('rejects every waiter of a group whose COMMIT fails with PAYCHAOS_ERR_GATEWAY_STORE_COMMIT, keeps none of its writes, and commits the next group', async () => {
    const { store, outside } = fileStore();
    pay(store, 1);
    const first = store.durable();
    // Another request's write in the same turn, which leaves a deferred foreign-key violation: SQLite
    // refuses the COMMIT itself (SQLITE_CONSTRAINT_FOREIGNKEY), not the statement.
    store.phase(() => {
      store.db.pragma('defer_foreign_keys = ON');
      store.attempts.begin('pay_nobody', 'query', 'stripe', 'gw-x', store.now());
    });
    const second = store.durable();
    await expect(first).rejects.toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_STORE_COMMIT' });
    await expect(second).rejects.toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_STORE_COMMIT' });
    expect(store.db.inTransaction).toBe(false);
    expect(store.payments.get('pay_1')).toBeUndefined();
    expect(outside().payments).toBe(0);
    // The store recovers: the next group commits.
    pay(store, 2);
    await store.durable();
    expect(outside()).toEqual({ payments: 1, keys: 1 });
  });

  it('negative control: the same violation without deferral fails the statement, and the group commits the rest', async () => {
    const { store, outside } = fileStore();
    pay(store, 1);
    expect(() => store.attempts.begin('pay_nobody', 'query', 'stripe', 'gw-x', store.now())).toThrow(/FOREIGN KEY/);
    await store.durable();
    expect(outside().payments).toBe(1);
  });

  it('commits what is still open when the store closes', () => {
    const { store, outside } = fileStore({ intervalMs: 60_000 });
    pay(store, 1);
    store.close();
    expect(outside().payments).toBe(1);
  });
});

describe('a gateway whose store commits in groups', () => {
  it('answers a duplicate submit of one key in the same turn 409 as before, and holds both answers until the groups they read have committed', async () => {
    const sim = await startStripeSim();
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-group-gw-'));
    dirs.push(dir);
    const intervalMs = 300;
    const gw = buildGateway({ providers: { stripe: { url: sim.url } }, db: join(dir, 'gw.db'), groupCommit: { intervalMs }, regression: { noRecovery: true } });
    try {
      const pay = () => {
        const started = performance.now();
        return gw.app
          .inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': 'dup' }, payload: { orderId: 'D1', amount: 1000, currency: 'EUR', paymentMethod: 'pm_card_visa' } })
          .then((res) => ({ status: res.statusCode, ms: performance.now() - started }));
      };
      const [a, b] = await Promise.all([pay(), pay()]);
      const [paid, refused] = a.status === 201 ? [a, b] : [b, a];
      expect([paid.status, refused.status]).toEqual([201, 409]);
      expect(sim.ledger.entries().filter((e) => e.kind === 'capture')).toHaveLength(1);
      // Tolerance 50 ms below each interval (timers fire late, never early): the 409 read the first
      // request's uncommitted claim and waited for its group; the 201 waited for two (created, settled).
      expect(refused.ms).toBeGreaterThanOrEqual(intervalMs - 50);
      expect(paid.ms).toBeGreaterThanOrEqual(2 * intervalMs - 50);
      // Afterwards the key replays its stored answer, as it always has.
      const replay = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': 'dup' }, payload: { orderId: 'D1', amount: 1000, currency: 'EUR', paymentMethod: 'pm_card_visa' } });
      expect(replay.statusCode).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    } finally {
      await gw.close();
      await sim.close();
    }
  });

  it('answers 500 with PAYCHAOS_ERR_GATEWAY_STORE_COMMIT and sends nothing to the provider when the group holding a payment fails to commit; the retried key then charges once', async () => {
    const sim = await startStripeSim();
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-group-fail-'));
    dirs.push(dir);
    const gw = buildGateway({ providers: { stripe: { url: sim.url } }, db: join(dir, 'gw.db'), groupCommit: { intervalMs: 200 }, regression: { noRecovery: true } });
    try {
      const body = { orderId: 'F1', amount: 1000, currency: 'EUR', paymentMethod: 'pm_card_visa' };
      const first = gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': 'fail-1' }, payload: body });
      // While the payment's first group is open, another write in it leaves a deferred foreign-key
      // violation: SQLite refuses that group's COMMIT.
      await new Promise((r) => setTimeout(r, 50));
      gw.store.phase(() => {
        gw.store.db.pragma('defer_foreign_keys = ON');
        gw.store.attempts.begin('pay_nobody', 'query', 'stripe', 'gw-x', gw.store.now());
      });
      const res = await first;
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ code: 'PAYCHAOS_ERR_GATEWAY_STORE_COMMIT' });
      expect(sim.ledger.entries()).toEqual([]);
      expect(gw.store.payments.forOrder('F1')).toBeUndefined();
      // The store recovered: the client's retry of the same key is a new payment, charged once.
      const retry = await gw.app.inject({ method: 'POST', url: '/payments', headers: { 'idempotency-key': 'fail-1' }, payload: body });
      expect(retry.statusCode).toBe(201);
      expect(sim.ledger.entries().filter((e) => e.kind === 'capture')).toHaveLength(1);
    } finally {
      await gw.close();
      await sim.close();
    }
  });
});
