import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { BoundedMap } from '../../../../src/kernel/index.js';
import { IdempotencyStore, SpillStore } from '../../../../simulators/core/index.js';

describe('SpillMap', () => {
  const stores: SpillStore[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
  });
  const open = () => {
    const s = new SpillStore();
    stores.push(s);
    return s;
  };

  it('keeps only retain values in memory, writes the older ones at the end of the turn and reads them back', async () => {
    const store = open();
    const map = store.map<{ amount: number; refunded: number }>('payments', 2);
    for (let i = 0; i < 5; i++) map.set(`p${i}`, { amount: 100 + i, refunded: 0 });
    expect(map.size).toBe(2);
    expect(map.spilled).toBe(0);
    await nextTurn();
    expect(map.spilled).toBe(3);
    expect(store.spilled()).toEqual({ payments: 3 });
    expect(map.get('p0')).toEqual({ amount: 100, refunded: 0 });
    expect(map.has('p1')).toBe(true);
    expect(map.get('nope')).toBeUndefined();
    expect(map.has('nope')).toBe(false);
    // Read back, it is cached again (and pushes the oldest cached value out), still bounded.
    expect(map.size).toBe(2);
  });

  it('keeps a change made to a value after it was read back, through a second spill', async () => {
    const map = open().map<{ refunded: number }>('charges', 1);
    map.set('a', { refunded: 0 });
    map.set('b', { refunded: 0 });
    await nextTurn();
    map.get('a')!.refunded = 40;
    map.set('c', { refunded: 0 });
    map.set('d', { refunded: 0 });
    await nextTurn();
    expect(map.get('a')).toEqual({ refunded: 40 });
  });

  it('hands back the very object evicted in this turn, so a change through either reference is kept', async () => {
    const map = open().map<{ n: number }>('x', 1);
    const a = { n: 1 };
    map.set('a', a);
    map.set('b', { n: 2 });
    expect(map.get('a')).toBe(a);
    map.set('c', { n: 3 });
    a.n = 7;
    await nextTurn();
    expect(map.get('a')).toEqual({ n: 7 });
  });

  it('forgets a deleted key everywhere: cache, pending and disk', async () => {
    const map = open().map<number>('y', 1);
    map.set('a', 1);
    map.set('b', 2);
    await nextTurn();
    expect(map.delete('a')).toBe(true);
    expect(map.get('a')).toBeUndefined();
    map.clear();
    expect(map.get('b')).toBeUndefined();
  });

  it('rejects a table name that is not a plain identifier, and a second map of one name', () => {
    const store = open();
    expect(() => store.map('drop table;', 2)).toThrow(RangeError);
    store.map('z', 2);
    expect(() => store.map('z', 2)).toThrow(/exists already/);
  });

  // The check the idempotency stores rely on, and its negative control: the plain BoundedMap.
  it('replays a key claimed many keys ago; the plain bounded store runs it again', async () => {
    let now = 0;
    const clock = { now: () => now };
    const spilled = new IdempotencyStore({ ttlMs: 1000, clock, maxKeys: 3, spill: open() });
    const forgetful = new IdempotencyStore({ ttlMs: 1000, clock, maxKeys: 3 });
    for (const store of [spilled, forgetful]) {
      const first = store.claim('old', 'f');
      if (first.kind !== 'new') throw new Error('expected a new claim');
      first.complete({ status: 200, body: '{"charged":1}' });
      for (let i = 0; i < 10; i++) {
        const c = store.claim(`k${i}`, 'f');
        if (c.kind === 'new') c.complete({ status: 200, body: String(i) });
      }
    }
    await nextTurn();
    expect(spilled.claim('old', 'f')).toEqual({ kind: 'replay', response: { status: 200, body: '{"charged":1}' } });
    expect(spilled.claim('old', 'other')).toEqual({ kind: 'mismatch' });
    expect(forgetful.claim('old', 'f').kind).toBe('new');
    // Past its TTL a spilled key is gone, as a cached one would be.
    now = 5000;
    expect(spilled.claim('old', 'f').kind).toBe('new');
  });

  it('completes a key pushed out of the cache while its request ran: a replay gets the answer, not "in flight"', async () => {
    const store = new IdempotencyStore({ ttlMs: 60_000, clock: { now: () => 0 }, maxKeys: 1, spill: open() });
    const slow = store.claim('slow', 'f');
    if (slow.kind !== 'new') throw new Error('expected a new claim');
    for (let i = 0; i < 3; i++) store.claim(`k${i}`, 'f');
    await nextTurn();
    slow.complete({ status: 201, body: 'done' });
    for (let i = 3; i < 6; i++) store.claim(`k${i}`, 'f');
    await nextTurn();
    expect(store.claim('slow', 'f')).toEqual({ kind: 'replay', response: { status: 201, body: 'done' } });
  });

  it('is still a BoundedMap, so code typed for one takes it', () => {
    expect(open().map('w', 1)).toBeInstanceOf(BoundedMap);
  });
});
