import { describe, expect, it } from 'vitest';
import { IdempotencyStore, Ledger, currencyExponent, minorToMajor, parseForm, toCsv, traceIdOf } from '../../../../simulators/core/index.js';
import { BoundedMap, ManualClock } from '../../../../src/kernel/index.js';

describe('Ledger', () => {
  it('numbers entries per provider, stamps the commit time and sums a payment by kind', () => {
    const ledger = new Ledger('acme', () => new Date('2026-11-11T00:00:00Z'));
    const base = { paymentId: 'p1', orderId: 'o1', idempotencyKey: 'k', currency: 'usd', traceId: undefined };
    ledger.record({ kind: 'authorization', amount: 1000, ...base });
    ledger.record({ kind: 'capture', amount: 700, ...base });
    ledger.record({ kind: 'void', amount: 300, ...base });
    const refund = ledger.record({ kind: 'refund', amount: 200, ...base, reference: 'r1' });
    expect(refund).toMatchObject({ id: 'acme_refund_4', provider: 'acme', at: '2026-11-11T00:00:00.000Z', reference: 'r1' });
    (refund as { amount: number }).amount = 1;
    expect(ledger.entries()[3]?.amount).toBe(200);
    expect(ledger.balanceOf('p1')).toEqual({ authorized: 1000, captured: 700, refunded: 200, voided: 300 });
    expect(ledger.byOrder('o1')).toHaveLength(4);
    expect(ledger.count('capture')).toBe(1);
    expect(JSON.parse(JSON.stringify(ledger))).toMatchObject({ provider: 'acme', entries: [{ kind: 'authorization' }, {}, {}, {}] });
  });
});

describe('settlement CSV', () => {
  it.each([
    [1050, 'EUR', '10.50'],
    [5, 'usd', '0.05'],
    [-50, 'usd', '-0.50'],
    [1234, 'JPY', '1234'],
    [1234, 'KWD', '1.234'],
    [0, 'gbp', '0.00'],
  ])('formats %i minor units of %s as %s', (amount, currency, text) => {
    expect(minorToMajor(amount, currency)).toBe(text);
  });

  it('knows zero- and three-decimal currencies', () => {
    expect([currencyExponent('jpy'), currencyExponent('BHD'), currencyExponent('CNY')]).toEqual([0, 3, 2]);
  });

  it('quotes fields holding commas, quotes or line breaks, and ends lines with CRLF', () => {
    const ledger = new Ledger('x');
    ledger.record({ kind: 'capture', paymentId: 'p', orderId: 'a,"b"', idempotencyKey: undefined, amount: 1, currency: 'usd', traceId: undefined });
    const csv = toCsv([{ header: 'order', value: (e) => e.orderId }, { header: 'key', value: (e) => e.idempotencyKey }], ledger.entries());
    expect(csv).toBe('order,key\r\n"a,""b""",\r\n');
  });
});

describe('IdempotencyStore', () => {
  it('claims a new key, reports it in flight, then replays it; a different fingerprint is a mismatch', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, clock: new ManualClock(0) });
    const claim = store.claim('k', 'f1');
    expect(claim.kind).toBe('new');
    expect(store.claim('k', 'f1').kind).toBe('in_flight');
    if (claim.kind === 'new') claim.complete({ status: 200, body: { ok: true } });
    expect(store.claim('k', 'f1')).toEqual({ kind: 'replay', response: { status: 200, body: { ok: true } } });
    expect(store.claim('k', 'f2').kind).toBe('mismatch');
  });

  it('forgets an abandoned claim so the key can run afresh', () => {
    const store = new IdempotencyStore({ ttlMs: 1000, clock: new ManualClock(0) });
    const claim = store.claim('k', 'f');
    if (claim.kind === 'new') claim.abandon();
    expect(store.claim('k', 'f').kind).toBe('new');
  });

  it('expires completed keys after the TTL but never an in-flight one', () => {
    const clock = new ManualClock(0);
    const store = new IdempotencyStore({ ttlMs: 1000, clock });
    const done = store.claim('done', 'f');
    if (done.kind === 'new') done.complete({ status: 200, body: 1 });
    clock.advance(999);
    expect(store.claim('done', 'f').kind).toBe('replay');
    clock.advance(1);
    expect(store.claim('done', 'f').kind).toBe('new');
    const stuck = new IdempotencyStore({ ttlMs: 10, clock });
    stuck.claim('slow', 'f');
    clock.advance(100);
    expect(stuck.claim('slow', 'f').kind).toBe('in_flight');
  });
});

describe('bounded state', () => {
  it('forgets the oldest entries past its limit, and updating a key does not evict', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1).set('b', 2).set('a', 3);
    expect([...m.keys()]).toEqual(['a', 'b']);
    m.set('c', 4);
    expect([...m.entries()]).toEqual([['b', 2], ['c', 4]]);
  });

  it('keeps at most maxKeys idempotency keys, forgetting the oldest first', () => {
    const store = new IdempotencyStore({ ttlMs: 1e9, clock: new ManualClock(0), maxKeys: 2 });
    for (const k of ['k1', 'k2', 'k3']) {
      const c = store.claim(k, 'f');
      if (c.kind === 'new') c.complete({ status: 200, body: k });
    }
    expect(store.size).toBe(2);
    expect(store.claim('k1', 'f').kind).toBe('new');
    expect(store.claim('k3', 'f').kind).toBe('replay');
  });
});

describe('form bodies and trace ids', () => {
  it('parses bracketed form keys into nested objects and arrays', () => {
    expect(parseForm('amount=100&metadata[order_id]=A1&expand[]=a&expand[]=b&x[y][z]=1')).toEqual({ amount: '100', metadata: { order_id: 'A1' }, expand: ['a', 'b'], x: { y: { z: '1' } } });
  });

  it('takes the trace id from a valid traceparent and ignores invalid ones', () => {
    expect(traceIdOf({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' })).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(traceIdOf({ traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' })).toBeUndefined();
    expect(traceIdOf({ traceparent: 'garbage' })).toBeUndefined();
    expect(traceIdOf({})).toBeUndefined();
  });
});
