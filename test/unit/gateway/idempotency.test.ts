import { describe, expect, it } from 'vitest';
import { GatewayStore } from '../../../gateway/index.js';

const STALE = 90_000;

describe('the gateway key store (SQLite, with recovery points)', () => {
  const done = { status: 201, body: { ok: true } };

  it('replays a finished key, refuses another fingerprint, and holds a key in flight', () => {
    const store = new GatewayStore();
    const keys = store.keys;
    expect(keys.claim('k', 'f1', store.boot, 0, STALE).kind).toBe('new');
    expect(keys.claim('k', 'f1', store.boot, 1, STALE).kind).toBe('in_flight');
    keys.finish('k', done);
    expect(keys.claim('k', 'f1', store.boot, 2, STALE)).toEqual({ kind: 'replay', response: done });
    expect(keys.claim('k', 'f2', store.boot, 3, STALE).kind).toBe('mismatch');
    store.close();
  });

  it('lets a stale lock be resumed at its recovery point, and a released key be claimed afresh', () => {
    const store = new GatewayStore();
    const keys = store.keys;
    keys.claim('k', 'f', store.boot, 0, 1000);
    expect(keys.claim('k', 'f', store.boot, 999, 1000).kind).toBe('in_flight');
    expect(keys.claim('k', 'f', store.boot, 1000, 1000)).toEqual({ kind: 'resume', recoveryPoint: 'started' });
    keys.claim('j', 'f', store.boot, 0, 1000);
    keys.release('j');
    expect(keys.claim('j', 'g', store.boot, 0, 1000).kind).toBe('new');
    store.close();
  });

  it('treats a lock held by another boot (a process that died) as abandoned at once, resuming after the payment row', () => {
    const store = new GatewayStore();
    store.keys.claim('k', 'f', 'dead-boot', 0, STALE);
    store.db.prepare("UPDATE idempotency_keys SET recovery_point = 'payment_created', payment_id = 'pay_1' WHERE idempotency_key = 'k'").run();
    expect(store.keys.claim('k', 'f', store.boot, 1, STALE)).toEqual({ kind: 'resume', recoveryPoint: 'payment_created', paymentId: 'pay_1' });
    // Now this boot holds it: a concurrent duplicate is in flight.
    expect(store.keys.claim('k', 'f', store.boot, 2, STALE).kind).toBe('in_flight');
    store.close();
  });

  it('reaps finished keys beyond `retain`, oldest first, and never a key still to settle', () => {
    const store = new GatewayStore();
    for (const [i, k] of ['a', 'b', 'c'].entries()) {
      store.keys.claim(k, 'f', store.boot, i, STALE);
      store.keys.finish(k, done);
    }
    store.keys.claim('open', 'f', store.boot, 0, STALE);
    expect(store.keys.reap(-1, 2)).toBe(1);
    expect(store.keys.claim('a', 'f', store.boot, 10, STALE).kind).toBe('new');
    expect(store.keys.claim('c', 'f', store.boot, 10, STALE).kind).toBe('replay');
    expect(store.keys.pointOf('open')).toBe('started');
    store.close();
  });
});
