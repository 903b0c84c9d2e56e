/**
 * The gateway's own Idempotency-Key store, in the classic merchant-side design (Brandur Leach,
 * "Implementing Stripe-like Idempotency Keys in Postgres", PROVIDERS.md): a key row with the
 * request's fingerprint, a lock while in flight, and the final response.
 * - same key, same parameters, finished → replay the stored response;
 * - same key, different parameters → 422 (the client has a bug);
 * - same key while the first is in flight → 409 (retry later);
 * - a lock older than `staleLockMs` is considered abandoned and can be taken over.
 * Keys are kept up to `retain` (oldest forgotten first), so a long load test cannot exhaust memory.
 */
import { BoundedMap } from '../src/kernel/index.js';

/** Keys and orders the gateway remembers: a day of a busy shop, far beyond any test's retry horizon. */
export const GATEWAY_RETAIN = 1_000_000;

export interface GatewayResponse {
  readonly status: number;
  readonly body: unknown;
}

type Row = { fingerprint: string; lockedAt: number; response?: GatewayResponse };

export type KeyClaim =
  | { kind: 'new'; finish(response: GatewayResponse): void; release(): void }
  | { kind: 'replay'; response: GatewayResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

export class GatewayIdempotency {
  readonly #rows: BoundedMap<string, Row>;
  readonly #now: () => number;
  readonly #staleLockMs: number;

  constructor(options: { now?: () => number; staleLockMs?: number; retain?: number } = {}) {
    this.#rows = new BoundedMap(options.retain ?? GATEWAY_RETAIN);
    this.#now = options.now ?? Date.now;
    this.#staleLockMs = options.staleLockMs ?? 90_000;
  }

  claim(key: string, fingerprint: string): KeyClaim {
    const row = this.#rows.get(key);
    if (row) {
      if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (row.response) return { kind: 'replay', response: row.response };
      if (this.#now() - row.lockedAt < this.#staleLockMs) return { kind: 'in_flight' };
    }
    const mine: Row = { fingerprint, lockedAt: this.#now() };
    this.#rows.set(key, mine);
    return {
      kind: 'new',
      finish: (response) => {
        mine.response = response;
      },
      // Nothing was sent to a provider: forget the key so the client may try again.
      release: () => {
        if (this.#rows.get(key) === mine) this.#rows.delete(key);
      },
    };
  }
}
