import { deserialize, serialize } from 'node:v8';
import Database from 'better-sqlite3';
import { BoundedMap } from '../../src/kernel/index.js';

/**
 * Money state that outlives the cache (issue 19: flat memory, no forgetting). A simulator keeps
 * its provider objects and idempotency keys in `SpillMap`s: the newest `retain` per kind stay in
 * memory as they did in a plain BoundedMap; an older one is written to SQLite instead of being
 * dropped, and read back (and cached again) the next time someone asks for it. So a refund,
 * capture or query of a payment made a million payments ago, or a replay of its key, behaves as
 * for a fresh one, and the heap stays bounded by `retain`.
 *
 *   set ──► cache (BoundedMap, newest `retain`) ──evict──► pending ──(setImmediate | 1,024)──► spill_<name> table
 *   get ──► cache ─miss─► pending ─miss─► SELECT (only once anything was spilled) ──► cached again
 *
 * Evicted objects wait in `pending` until the end of the turn and are serialised then (v8
 * structured clone), so changes made to them within the turn are kept; read from `pending`, a
 * value is the very object evicted, so two holders never diverge. Once written, the cache no
 * longer holds it: a caller that keeps a reference across an await and changes it afterwards
 * must `set` it again (it takes `retain` newer objects of its kind to push one out, so this only
 * matters with a tiny `retain`). Iteration and `size` see the cache only: the newest `retain`,
 * which is what lists and searches walked before.
 *
 * Keys are strings; values must survive structured clone (plain data: no functions, no class
 * instances that need their prototype back).
 */

/** Evicted values written in one transaction at most (bounds the pending queue under a burst). */
const BATCH = 1024;
const NAME = /^[a-z][a-z0-9_]*$/;

export interface SpillStoreOptions {
  /** A SQLite file to spill into; default: a private temporary database, gone with the process. */
  path?: string;
}

/** One simulator's spill database: one table per map, opened like the ledger's. */
export class SpillStore {
  readonly #db: Database.Database;
  readonly #maps = new Map<string, SpillMap<unknown>>();
  #closed = false;

  constructor(options: SpillStoreOptions = {}) {
    this.#db = new Database(options.path ?? '');
    // As the ledger (ledger.ts): a temporary database's journal stays in memory, nothing is synced,
    // and the page cache (the store's whole footprint in memory) is capped at 4 MiB.
    this.#db.pragma(options.path !== undefined ? 'journal_mode = WAL' : 'journal_mode = MEMORY');
    this.#db.pragma('synchronous = OFF');
    this.#db.pragma('cache_size = -4096');
  }

  /** The map of one kind of object; `name` becomes its table's name (lower case, digits, `_`). */
  map<V>(name: string, retain: number): SpillMap<V> {
    if (!NAME.test(name)) throw new RangeError(`spill map name must match ${NAME}, got ${JSON.stringify(name)}`);
    if (this.#maps.has(name)) throw new RangeError(`spill map ${name} exists already: give each kind its own name`);
    const map = new SpillMap<V>(this.#db, name, retain, () => this.#closed);
    this.#maps.set(name, map as SpillMap<unknown>);
    return map;
  }

  /** Values written to disk so far, per map (how far past `retain` the run went). */
  spilled(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, map] of this.#maps) out[name] = map.spilled;
    return out;
  }

  /** Drops the database (a temporary one is gone). Idempotent; the maps keep their caches. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}

export class SpillMap<V> extends BoundedMap<string, V> {
  readonly #pending = new Map<string, V>();
  readonly #closed: () => boolean;
  readonly #select: Database.Statement;
  readonly #remove: Database.Statement;
  readonly #removeAll: Database.Statement;
  readonly #write: (rows: ReadonlyMap<string, V>) => void;
  #scheduled = false;
  /** Rows written (upserts count once per write): zero means a cache miss need not ask SQLite. */
  #spilled = 0;

  constructor(db: Database.Database, name: string, retain: number, closed: () => boolean) {
    super(retain);
    this.#closed = closed;
    const table = `spill_${name}`;
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, value BLOB NOT NULL)`);
    this.#select = db.prepare(`SELECT value FROM ${table} WHERE key = ?`).pluck();
    this.#remove = db.prepare(`DELETE FROM ${table} WHERE key = ?`);
    this.#removeAll = db.prepare(`DELETE FROM ${table}`);
    const upsert = db.prepare(`INSERT OR REPLACE INTO ${table} (key, value) VALUES (?, ?)`);
    this.#write = db.transaction((rows: ReadonlyMap<string, V>) => {
      for (const [key, value] of rows) upsert.run(key, serialize(value));
    });
  }

  /** How many values were written to disk (each write of an evicted value counts). */
  get spilled(): number {
    return this.#spilled;
  }

  override set(key: string, value: V): this {
    // Make room ourselves, moving the oldest to `pending` (BoundedMap.set would drop it).
    if (this.size >= this.limit && !super.has(key)) {
      while (this.size >= this.limit) {
        const oldest = this.oldest();
        if (oldest === undefined) break;
        const evicted = super.get(oldest.key) as V;
        super.delete(oldest.key);
        this.#pending.set(oldest.key, evicted);
      }
      if (this.#pending.size >= BATCH) this.flush();
      else this.#schedule();
    }
    // A value set again supersedes the one waiting to be written (the cache is read first anyway).
    if (this.#pending.size > 0) this.#pending.delete(key);
    return super.set(key, value);
  }

  override get(key: string): V | undefined {
    const cached = super.get(key);
    if (cached !== undefined) return cached;
    return this.#recall(key);
  }

  override has(key: string): boolean {
    return super.has(key) || this.#recall(key) !== undefined;
  }

  override delete(key: string): boolean {
    let deleted = super.delete(key);
    if (this.#pending.delete(key)) deleted = true;
    if (this.#spilled > 0 && !this.#closed() && this.#remove.run(key).changes > 0) deleted = true;
    return deleted;
  }

  /** Forgets the cache, what waits to be written and what was written: the map is empty. */
  override clear(): void {
    super.clear();
    this.#pending.clear();
    if (this.#spilled > 0 && !this.#closed()) this.#removeAll.run();
    this.#spilled = 0;
  }

  /** Writes the evicted values now (one transaction). Runs at the end of each turn that evicted. */
  flush(): void {
    if (this.#pending.size === 0 || this.#closed()) return;
    // Serialised now, not at eviction: changes made during the turn are part of what is kept.
    this.#write(this.#pending);
    this.#spilled += this.#pending.size;
    this.#pending.clear();
  }

  /** A value evicted earlier, cached again (it is in use now), or undefined. */
  #recall(key: string): V | undefined {
    let value = this.#pending.get(key);
    if (value === undefined) {
      if (this.#spilled === 0 || this.#closed()) return undefined;
      const bytes = this.#select.get(key) as Buffer | undefined;
      if (bytes === undefined) return undefined;
      value = deserialize(bytes) as V;
    }
    // Its row stays: the next eviction rewrites it, and `delete` removes both.
    this.set(key, value);
    return value;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.flush();
    });
  }
}
