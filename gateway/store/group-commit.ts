import { paychaosError } from '../../src/kernel/index.js';
import type { Db } from './open.js';

export interface GroupCommitOptions {
  /**
   * How long a group stays open after its first write: 0 (the default) commits on the next turn
   * of the event loop (setImmediate), so a group holds every write of one turn; more waits that
   * many ms, gathering writes of several turns into one commit at the price of that much latency.
   */
  intervalMs?: number;
  /** A group with this many writes commits on the next turn, whatever `intervalMs` says (default 1,000). */
  maxWrites?: number;
}

interface Group {
  readonly committed: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
  writes: number;
  /** Lost mid-turn (SQLite rolled it back): later writes of the same turn fail at once, until the turn ends. */
  lost?: Error;
}

/**
 * Group commit: the writes of one event-loop turn (or of `intervalMs`) share one SQLite
 * transaction, so a payment's three phases cost a share of one COMMIT each instead of three.
 *
 *   write ─▶ no group open? BEGIN, schedule the commit ─▶ SAVEPOINT phase RELEASE (a phase that
 *   throws rolls back alone) ─▶ … more phases, any request … ─▶ next turn: COMMIT ─▶ durable() resolves
 *                                                                         fails: ROLLBACK ─▶ rejects
 *
 * Durability is unchanged for anything outside the process: a write is not durable until its
 * group commits, so whatever depends on it (a provider call, an answer, a webhook's ack) waits for
 * `durable()` first. The rule that makes `durable()` name the right group: the store never commits
 * inside a write, only between turns, so `durable()` called in the same turn as a write (before
 * the caller yields to the event loop) is the promise of the group holding that write.
 *
 * Reads on the same connection see the open group's writes — in-process decisions (a duplicate
 * key, the order guard) are made on the newest state, and their answers wait for the same group.
 */
export class GroupCommit {
  readonly #db: Db;
  readonly #intervalMs: number;
  readonly #maxWrites: number;
  readonly #begin;
  readonly #commit;
  readonly #rollback;
  readonly #savepointed: (fn: () => unknown) => unknown;
  #group: Group | undefined;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #groups = 0;

  constructor(db: Db, options: GroupCommitOptions = {}) {
    this.#db = db;
    this.#intervalMs = options.intervalMs ?? 0;
    this.#maxWrites = options.maxWrites ?? 1_000;
    this.#begin = db.prepare('BEGIN');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
    // Inside the group's BEGIN, better-sqlite3 runs a transaction function as a SAVEPOINT.
    this.#savepointed = db.transaction((fn: () => unknown) => fn());
  }

  /** A function that runs `fn` as one phase of the open group: all of it or, if it throws, none of it. */
  phase<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    return (...args: A): R => {
      this.#open();
      try {
        return this.#savepointed(() => fn(...args)) as R;
      } finally {
        this.#checkAlive();
      }
    };
  }

  /** One statement as a write of the open group (a statement is atomic on its own: no savepoint). */
  one<R>(run: () => R): R {
    this.#open();
    try {
      return run();
    } finally {
      this.#checkAlive();
    }
  }

  /**
   * Resolves once every write made so far in this turn is committed; rejects with
   * PAYCHAOS_ERR_GATEWAY_STORE_COMMIT when their group could not commit (it was rolled back).
   */
  durable(): Promise<void> {
    return this.#group?.committed ?? RESOLVED;
  }

  /** Groups committed or failed so far (tests, benchmarks). */
  get groups(): number {
    return this.#groups;
  }

  /** Commit the open group now (closing the store): nothing written is left behind. */
  flush(): void {
    if (this.#group) this.#end();
  }

  #open(): void {
    if (this.#group) {
      if (this.#group.lost) throw this.#group.lost;
      if (++this.#group.writes === this.#maxWrites && this.#intervalMs > 0) this.#schedule(0);
      return;
    }
    // Every write goes through the group: a transaction this did not open would be committed by no one.
    if (this.#db.inTransaction) throw new Error('gateway store: a transaction is open outside the group commit');
    this.#begin.run();
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const committed = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A group nobody waits on (the recovery loop's housekeeping) must not fail as an unhandled rejection.
    committed.catch(() => {});
    this.#group = { committed, resolve, reject, writes: 1 };
    this.#schedule(this.#intervalMs);
  }

  #schedule(ms: number): void {
    this.#clearTimer();
    if (ms === 0) this.#immediate = setImmediate(() => this.#end());
    else this.#timer = setTimeout(() => this.#end(), ms);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
  }

  /**
   * Some errors (a full disk, an I/O error) make SQLite roll back the whole transaction, not just
   * the statement: the group's earlier writes are gone, so its waiters learn it now.
   */
  #checkAlive(): void {
    const group = this.#group;
    if (!group || group.lost || this.#db.inTransaction) return;
    // Kept as the open group until the turn ends, so durable() in this turn still names it.
    group.lost = this.#fail(group, new Error('SQLite rolled the transaction back'));
    this.#group = group;
    this.#schedule(0);
  }

  #end(): void {
    const group = this.#group;
    this.#clearTimer();
    if (!group) return;
    if (group.lost) {
      this.#group = undefined;
      return;
    }
    if (!this.#db.open) {
      this.#group = undefined;
      this.#fail(group, new Error('the store was closed before the group committed'));
      return;
    }
    try {
      this.#commit.run();
    } catch (err) {
      this.#fail(group, err);
      return;
    }
    this.#group = undefined;
    this.#groups++;
    group.resolve();
  }

  #fail(group: Group, cause: unknown): Error {
    this.#clearTimer();
    this.#group = undefined;
    this.#groups++;
    // The store recovers for the next group: nothing of this one stays half-open on the connection.
    if (this.#db.open && this.#db.inTransaction) {
      try {
        this.#rollback.run();
      } catch {
        // Already rolled back by SQLite itself.
      }
    }
    const err = paychaosError('PAYCHAOS_ERR_GATEWAY_STORE_COMMIT', `the gateway's store could not commit ${group.writes} write(s): ${(cause as Error).message ?? String(cause)}`, { writes: group.writes }, { cause });
    group.reject(err);
    return err;
  }
}

const RESOLVED = Promise.resolve();
