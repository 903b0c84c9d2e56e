/**
 * A Map that keeps at most `limit` entries, forgetting the oldest-inserted first. Simulator
 * object state (PaymentIntents, payments, idempotency keys) grows with every request; under a
 * long load test it must not grow without bound. The ledger is never bounded: it is the ground
 * truth and is stored compactly instead.
 *
 * Finding the oldest entry must stay O(1) once the map is full. `this.keys().next()` is not: V8
 * leaves a deleted entry as a hole in the hash table until the next rehash, and a fresh iterator
 * walks every hole at the front — with 200,000 entries that made each insert cost ~90 µs. So one
 * iterator lives as long as the map: Map iterators are live (they see entries added after them
 * and skip deleted ones), so it passes each hole once, and it always stands just past the oldest
 * entry, which it holds in `#peeked` until that entry is deleted.
 *
 * Invariant: every live key other than `#peeked` lies ahead of `#cursor`; `#peeked` is live.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly limit: number;
  #cursor: IterableIterator<K> | undefined;
  #peeked: { key: K } | undefined;

  constructor(limit: number) {
    super();
    if (!(limit >= 1)) throw new RangeError(`limit must be at least 1, got ${limit}`);
    this.limit = limit;
  }

  override set(key: K, value: V): this {
    // Only a full map has to ask whether the key is new: one hash lookup per set, not two.
    if (this.size >= this.limit && !this.has(key)) {
      while (this.size >= this.limit) {
        const oldest = this.oldest();
        if (oldest === undefined) break;
        this.delete(oldest.key);
      }
    }
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    const deleted = super.delete(key);
    if (deleted && this.#peeked !== undefined && sameValueZero(this.#peeked.key, key)) this.#peeked = undefined;
    return deleted;
  }

  override clear(): void {
    super.clear();
    this.#cursor = undefined;
    this.#peeked = undefined;
  }

  /** The oldest-inserted entry's key (wrapped, since a key may itself be undefined), in O(1) amortised. */
  oldest(): { readonly key: K } | undefined {
    if (this.#peeked !== undefined) return this.#peeked;
    if (this.size === 0) return undefined;
    this.#cursor ??= super.keys();
    const next = this.#cursor.next();
    if (next.done) {
      // Cannot happen while the invariant holds (the map is not empty); start afresh to be safe.
      this.#cursor = super.keys();
      const first = this.#cursor.next();
      if (first.done) return undefined;
      this.#peeked = { key: first.value };
    } else {
      this.#peeked = { key: next.value };
    }
    return this.#peeked;
  }
}

/** Map key equality: like ===, but NaN equals NaN (and +0 equals -0). */
function sameValueZero(a: unknown, b: unknown): boolean {
  return a === b || (a !== a && b !== b);
}

/** Objects kept per kind unless a simulator is told otherwise: minutes of a heavy load test. */
export const DEFAULT_RETAIN = 200_000;
