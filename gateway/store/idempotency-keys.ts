import type { GroupCommit } from './group-commit.js';
import type { Db } from './open.js';

/**
 * Idempotency keys with recovery points, after Brandur Leach's "Implementing Stripe-like
 * Idempotency Keys in Postgres" (PROVIDERS.md). A request is a chain of atomic phases, each one
 * transaction that ends by moving the key's recovery point:
 *
 *   started ──(payment row inserted)──▶ payment_created ──(provider called, outcome stored)──▶ finished
 *
 * A request that dies mid-way (kill -9) leaves its key locked at its last committed phase. The
 * next request with that key — once the lock is stale, or at once when the lock belongs to a
 * previous boot of the gateway, which is dead — resumes from that point instead of starting over:
 * from `started` nothing was sent, so it proceeds as new; from `payment_created` the provider may
 * have the charge, so the payment is settled by a status query (or, for a provider without one,
 * by the same call under the same provider key, which the provider's idempotency answers).
 */
export type RecoveryPoint = 'started' | 'payment_created' | 'finished';

export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

export type KeyClaim =
  | { readonly kind: 'new' }
  | { readonly kind: 'resume'; readonly recoveryPoint: Exclude<RecoveryPoint, 'finished'>; readonly paymentId?: string }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in_flight' };

interface Row {
  fingerprint: string;
  locked_at: number | null;
  locked_boot: string | null;
  recovery_point: RecoveryPoint;
  payment_id: string | null;
  response_status: number | null;
  response_body: string | null;
}

export class IdempotencyKeys {
  readonly #get;
  readonly #insert;
  readonly #lock;
  readonly #advance;
  readonly #finish;
  readonly #release;
  readonly #unlock;
  readonly #finishFor;
  readonly #reapOld;
  readonly #reapBeyond;
  readonly #count;
  readonly #claim: (key: string, fingerprint: string, boot: string, now: number, staleLockMs: number) => KeyClaim;

  readonly #group: GroupCommit;
  readonly #reap: (before: number, keep: number) => number;

  constructor(db: Db, group: GroupCommit) {
    this.#group = group;
    this.#get = db.prepare<[string], Row>('SELECT fingerprint, locked_at, locked_boot, recovery_point, payment_id, response_status, response_body FROM idempotency_keys WHERE idempotency_key = ?');
    this.#insert = db.prepare("INSERT INTO idempotency_keys (idempotency_key, fingerprint, locked_at, locked_boot, recovery_point, created_at) VALUES (?, ?, ?, ?, 'started', ?)");
    this.#lock = db.prepare('UPDATE idempotency_keys SET locked_at = ?, locked_boot = ? WHERE idempotency_key = ?');
    this.#advance = db.prepare('UPDATE idempotency_keys SET recovery_point = ?, payment_id = ? WHERE idempotency_key = ?');
    this.#finish = db.prepare("UPDATE idempotency_keys SET recovery_point = 'finished', payment_id = COALESCE(?, payment_id), response_status = ?, response_body = ?, locked_at = NULL, locked_boot = NULL WHERE idempotency_key = ?");
    this.#unlock = db.prepare('UPDATE idempotency_keys SET locked_at = NULL, locked_boot = NULL WHERE idempotency_key = ?');
    this.#finishFor = db.prepare("UPDATE idempotency_keys SET recovery_point = 'finished', response_status = ?, response_body = ?, locked_at = NULL, locked_boot = NULL WHERE payment_id = ? AND recovery_point = 'payment_created'");
    this.#release = db.prepare("DELETE FROM idempotency_keys WHERE idempotency_key = ? AND recovery_point = 'started'");
    // Only finished keys are reaped: a locked one is a request (or its evidence) still to settle.
    this.#reapOld = db.prepare("DELETE FROM idempotency_keys WHERE recovery_point = 'finished' AND created_at < ?");
    this.#reapBeyond = db.prepare(
      "DELETE FROM idempotency_keys WHERE recovery_point = 'finished' AND rowid IN (SELECT rowid FROM idempotency_keys WHERE recovery_point = 'finished' ORDER BY created_at, rowid LIMIT ?)",
    );
    this.#count = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM idempotency_keys WHERE recovery_point = 'finished'");
    this.#claim = group.phase((key: string, fingerprint: string, boot: string, now: number, staleLockMs: number): KeyClaim => {
      const row = this.#get.get(key);
      if (!row) {
        this.#insert.run(key, fingerprint, now, boot, now);
        return { kind: 'new' };
      }
      if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (row.recovery_point === 'finished') return { kind: 'replay', response: { status: row.response_status ?? 500, body: JSON.parse(row.response_body ?? 'null') } };
      // Held by a live request of this boot: in flight. Held by another boot: that process died.
      const live = row.locked_boot === boot && row.locked_at !== null && now - row.locked_at < staleLockMs;
      if (live) return { kind: 'in_flight' };
      this.#lock.run(now, boot, key);
      return { kind: 'resume', recoveryPoint: row.recovery_point, ...(row.payment_id !== null ? { paymentId: row.payment_id } : {}) };
    });
    this.#reap = group.phase((before: number, keep: number): number => {
      let gone = this.#reapOld.run(before).changes;
      const excess = this.#count.get()!.n - keep;
      if (excess > 0) gone += this.#reapBeyond.run(excess).changes;
      return gone;
    });
  }

  /** Take a key for a request (atomically: one transaction). */
  claim(key: string, fingerprint: string, boot: string, now: number, staleLockMs: number): KeyClaim {
    return this.#claim(key, fingerprint, boot, now, staleLockMs);
  }

  /** Commit a phase: call inside the transaction that did the phase's work. */
  advance(key: string, point: 'payment_created', paymentId: string): void {
    this.#group.one(() => this.#advance.run(point, paymentId, key));
  }

  finish(key: string, response: StoredResponse, paymentId?: string): void {
    this.#group.one(() => this.#finish.run(paymentId ?? null, response.status, JSON.stringify(response.body), key));
  }

  /**
   * Every key whose request died after creating this payment (recovery point payment_created)
   * gets the settled answer: a client retrying such a key is answered from it.
   */
  finishFor(paymentId: string, response: StoredResponse): number {
    return this.#group.one(() => this.#finishFor.run(response.status, JSON.stringify(response.body), paymentId).changes);
  }

  /** Let the next request with this key resume it at once (its payment is still unsettled). */
  unlock(key: string): void {
    this.#group.one(() => this.#unlock.run(key));
  }

  /** Nothing was sent to a provider: forget the key, so the client may use it again. */
  release(key: string): void {
    this.#group.one(() => this.#release.run(key));
  }

  /** Forget finished keys created before `before`, and the oldest beyond `keep`. Returns how many went. */
  reap(before: number, keep: number): number {
    return this.#reap(before, keep);
  }

  /** The key's recovery point, for tests and the docs' examples. */
  pointOf(key: string): RecoveryPoint | undefined {
    return this.#get.get(key)?.recovery_point;
  }
}
