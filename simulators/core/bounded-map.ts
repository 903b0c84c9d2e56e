/**
 * A Map that keeps at most `limit` entries, forgetting the oldest-inserted first. Simulator
 * object state (PaymentIntents, payments, idempotency keys) grows with every request; under a
 * long load test it must not grow without bound. The ledger is never bounded: it is the ground
 * truth and is stored compactly instead.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  readonly limit: number;

  constructor(limit: number) {
    super();
    if (!(limit >= 1)) throw new RangeError(`limit must be at least 1, got ${limit}`);
    this.limit = limit;
  }

  override set(key: K, value: V): this {
    if (!this.has(key)) {
      while (this.size >= this.limit) {
        const oldest = this.keys().next();
        if (oldest.done) break;
        this.delete(oldest.value);
      }
    }
    return super.set(key, value);
  }
}

/** Objects kept per kind unless a simulator is told otherwise: minutes of a heavy load test. */
export const DEFAULT_RETAIN = 200_000;
