import { BoundedMap, DEFAULT_RETAIN, type Clock } from '../../src/kernel/index.js';
import type { SpillStore } from './spill-map.js';

/**
 * An idempotency-key store. It only answers "what does this key mean now?"; each provider turns
 * the answer into its own statuses (Stripe: 400 on a mismatch, 409 while in flight; Adyen: 422
 * code 704 while in flight). A key is claimed before execution starts; the claimer then either
 * completes it with the response to replay, or abandons it (the request never executed — a
 * validation failure — so a retry with the same key must run afresh).
 *
 * Keys expire `ttlMs` after they were claimed (Stripe keeps them at least 24 h, Adyen 7 days).
 * Entries sit in a Map in claim order, which is also expiry order, so sweeping is amortised O(1).
 * The store is bounded in memory (`maxKeys`, default 200,000): a load test cannot grow it without
 * end. With a `spill` store, keys past the bound go to disk and still replay (issue 19: a
 * duplicate of a key 250,000 requests old must not charge again); without one they are forgotten.
 */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a provider operation did: its answer, whether money moved, and side effects to run once answered. */
export interface Executed {
  response: StoredResponse;
  /** True when money moved (a ledger entry was written): "commit then 500" may then apply. */
  committed: boolean;
  /** Side effects once the answer is decided (webhooks). */
  after?: () => void;
}

export type Claim<R = StoredResponse> =
  | { readonly kind: 'new'; complete(response: R): void; abandon(): void }
  | { readonly kind: 'replay'; readonly response: R }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in_flight' };

type Entry<R> = { fingerprint: string; claimedAt: number; done: boolean; response: R | undefined };

export interface IdempotencyStoreOptions {
  ttlMs: number;
  clock: Pick<Clock, 'now'>;
  /** At most this many keys are kept; past it the oldest are forgotten before their TTL. */
  maxKeys?: number;
  /** Keep keys past `maxKeys` on disk (table `spill_idempotency`) instead of forgetting them. */
  spill?: SpillStore;
}

export class IdempotencyStore<R = StoredResponse> {
  readonly #entries: Map<string, Entry<R>> & Pick<BoundedMap<string, Entry<R>>, 'oldest'>;
  readonly #ttlMs: number;
  readonly #clock: Pick<Clock, 'now'>;
  /**
   * No key expires before this time, so `claim` skips the sweep until then. Keys forgotten early
   * (abandoned, or evicted past `maxKeys`) can only make it early, which costs one extra sweep.
   */
  #sweepAt = Infinity;

  constructor(options: IdempotencyStoreOptions) {
    this.#ttlMs = options.ttlMs;
    this.#clock = options.clock;
    const maxKeys = options.maxKeys ?? DEFAULT_RETAIN;
    this.#entries = options.spill ? options.spill.map<Entry<R>>('idempotency', maxKeys) : new BoundedMap(maxKeys);
  }

  /** Claim `key` for a request whose parameters hash to `fingerprint`. */
  claim(key: string, fingerprint: string): Claim<R> {
    const now = this.#clock.now();
    if (now >= this.#sweepAt) this.#sweep(now);
    let existing = this.#entries.get(key);
    // One read back from disk may have expired while it lay there (the sweep walks the cache only).
    if (existing !== undefined && existing.done && now - existing.claimedAt >= this.#ttlMs) {
      this.#entries.delete(key);
      existing = undefined;
    }
    if (existing) {
      if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (!existing.done) return { kind: 'in_flight' };
      return { kind: 'replay', response: existing.response as R };
    }
    const entry: Entry<R> = { fingerprint, claimedAt: now, done: false, response: undefined };
    this.#entries.set(key, entry);
    if (now + this.#ttlMs < this.#sweepAt) this.#sweepAt = now + this.#ttlMs;
    return {
      kind: 'new',
      complete: (response) => {
        entry.done = true;
        entry.response = response;
        // Pushed out of the cache while it ran (a tiny `maxKeys`): put the finished entry back, or
        // the spilled copy would say "in flight" until it expires.
        if (this.#entries.get(key) !== entry) this.#entries.set(key, entry);
      },
      abandon: () => {
        // The same claim, whether still cached or read back from disk (then a copy), and never a
        // later claim of the key made after this one expired.
        const current = this.#entries.get(key);
        if (current === entry || (current !== undefined && !current.done && current.claimedAt === entry.claimedAt && current.fingerprint === entry.fingerprint)) this.#entries.delete(key);
      },
    };
  }

  get size(): number {
    return this.#entries.size;
  }

  #sweep(now: number): void {
    // From the oldest key on (BoundedMap.oldest: a fresh Map iterator would walk every hole
    // that earlier deletions left at the front of the table).
    for (let oldest = this.#entries.oldest(); oldest !== undefined; oldest = this.#entries.oldest()) {
      const key = oldest.key;
      const entry = this.#entries.get(key)!;
      if (now - entry.claimedAt < this.#ttlMs) {
        // Nothing expires before the oldest key does: no need to look again until then.
        this.#sweepAt = entry.claimedAt + this.#ttlMs;
        return;
      }
      // An in-flight key is never reaped: its request still holds the claim (look again next time).
      if (!entry.done) return;
      this.#entries.delete(key);
    }
    this.#sweepAt = Infinity;
  }
}

/**
 * A response serialised once: the bytes sent now are the bytes a replay sends later, and no
 * later change to the live object can leak into the replay. Cheaper than cloning, too.
 */
export function serialised(r: StoredResponse): StoredResponse {
  if (typeof r.body === 'string') return r;
  // Every stored response is kept up to `maxKeys`: share the common headers rather than copy them.
  return { status: r.status, body: JSON.stringify(r.body), headers: r.headers ? { ...r.headers, ...JSON_HEADERS } : JSON_HEADERS };
}

const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'application/json; charset=utf-8' });
