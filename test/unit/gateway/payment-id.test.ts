import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newPaymentId } from '../../../gateway/payment-id.js';

const UUID_V7 = /^pay_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Sorted as strings in the order of their times: what keeps a payment's index entries on the rightmost leaves. */
function inTimeOrder(make: (now: number) => string): boolean {
  const ids = Array.from({ length: 500 }, (_, i) => make(1_765_000_000_000 + i * 7));
  return ids.every((id, i) => i === 0 || ids[i - 1]! < id);
}

describe('payment ids', () => {
  it('are pay_ and a version-7 UUID whose first 48 bits are the milliseconds', () => {
    const id = newPaymentId(1_765_111_222_333);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.slice(4, 12) + id.slice(13, 17), 16)).toBe(1_765_111_222_333);
    expect(newPaymentId()).toMatch(UUID_V7);
  });

  it('sort in the order they were made, where random (version-4) ids do not', () => {
    expect(inTimeOrder(newPaymentId)).toBe(true);
    // Negative control: the ids before, random, are not in time order.
    expect(inTimeOrder(() => `pay_${randomUUID()}`)).toBe(false);
  });

  it('made in the same millisecond are all distinct', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newPaymentId(1_765_000_000_000)));
    expect(ids.size).toBe(10_000);
  });
});
