import { describe, expect, it } from 'vitest';
import { GatewayIdempotency } from '../../../gateway/index.js';

describe('the gateway key store', () => {
  const done = { status: 201, body: { ok: true } };

  it('replays a finished key, refuses another fingerprint, and holds a key in flight', () => {
    const store = new GatewayIdempotency();
    const first = store.claim('k', 'f1');
    expect(first.kind).toBe('new');
    expect(store.claim('k', 'f1').kind).toBe('in_flight');
    if (first.kind === 'new') first.finish(done);
    expect(store.claim('k', 'f1')).toEqual({ kind: 'replay', response: done });
    expect(store.claim('k', 'f2').kind).toBe('mismatch');
  });

  it('lets a stale lock be taken over, and a released key be claimed afresh', () => {
    let now = 0;
    const store = new GatewayIdempotency({ now: () => now, staleLockMs: 1000 });
    const first = store.claim('k', 'f');
    now = 999;
    expect(store.claim('k', 'f').kind).toBe('in_flight');
    now = 1000;
    expect(store.claim('k', 'f').kind).toBe('new');
    const other = store.claim('j', 'f');
    if (other.kind === 'new') other.release();
    expect(store.claim('j', 'g').kind).toBe('new');
    expect(first.kind).toBe('new');
  });

  it('remembers at most `retain` keys, forgetting the oldest first', () => {
    const store = new GatewayIdempotency({ retain: 2 });
    for (const k of ['a', 'b', 'c']) {
      const c = store.claim(k, 'f');
      if (c.kind === 'new') c.finish(done);
    }
    expect(store.claim('a', 'f').kind).toBe('new');
    expect(store.claim('c', 'f').kind).toBe('replay');
  });
});
