import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../../../simulators/core/index.js';
import { BoundedMap } from '../../../../src/kernel/index.js';

describe('BoundedMap', () => {
  it('behaves like a Map that forgets the oldest-inserted entries past its limit, under any mix of operations', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 30 }), value: fc.integer() }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(op, { maxLength: 200 }), (limit, ops) => {
        const map = new BoundedMap<number, number>(limit);
        // Reference model: insertion order kept in an array (re-setting a key keeps its place, as Map does).
        const model = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === 'set') {
            if (!model.has(o.key) && model.size >= limit) model.delete(model.keys().next().value!);
            model.set(o.key, o.value);
            map.set(o.key, o.value);
          } else if (o.kind === 'delete') {
            expect(map.delete(o.key)).toBe(model.delete(o.key));
          } else {
            map.clear();
            model.clear();
          }
          expect([...map]).toEqual([...model]);
          expect(map.oldest()?.key).toBe(model.size ? model.keys().next().value : undefined);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** The reference: what URLSearchParams reads, for flat keys (no brackets). */
function reference(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) if (k !== '') out[k] = v;
  return out;
}

describe('parseForm', () => {
  it('reads flat form bodies exactly as URLSearchParams does, escapes and all', () => {
    const keyChar = fc.constantFrom(...'abcxyz_09'.split(''));
    const valueChar = fc.oneof(fc.constantFrom(...'ab 9+%&=é€😀~*'.split('')), fc.string({ maxLength: 2 }));
    const key = fc.array(keyChar, { minLength: 1, maxLength: 5 }).map((a) => a.join(''));
    const value = fc.array(valueChar, { maxLength: 6 }).map((a) => a.join(''));
    const pair = fc.tuple(key, value);
    fc.assert(
      fc.property(fc.uniqueArray(pair, { selector: (p) => p[0], maxLength: 6 }), (pairs) => {
        const body = new URLSearchParams(pairs).toString();
        expect(parseForm(body)).toEqual(reference(body));
      }),
      { numRuns: 500 },
    );
  });

  it('survives malformed escapes the way URLSearchParams does', () => {
    for (const body of ['a=%', 'a=%zz', 'a=%E2%82', 'b=1&&c=2', '=x&d=4', 'e=%ED%A0%80']) expect(parseForm(body)).toEqual(reference(body));
  });

  it('nests bracketed keys as Stripe sends them', () => {
    expect(parseForm('metadata[order_id]=A1&expand[]=x&expand[]=y&card[number]=4242')).toEqual({ metadata: { order_id: 'A1' }, expand: ['x', 'y'], card: { number: '4242' } });
  });
});
