import Database from 'better-sqlite3';
import { BatchedWrites } from '../../src/kernel/index.js';

/**
 * The ledger: ground truth of what a simulated provider really did.
 *
 * Invariants are judged against it, so it records every money movement at the moment the
 * provider commits it — including when the caller then sees an error ("charged, then 500").
 * Entries are append-only and carry only ids that mean something outside this process
 * (merchant order id, idempotency key, provider payment id), so ledgers of several replicas
 * merge by order id.
 *
 * Storage is an SQLite file, not memory: a load test writes millions of entries, and the ledger
 * is the one thing a simulator may never forget, so it must not grow the heap with the run
 * (issue 19: flat memory). Writes are batched — `append` queues the row and one transaction
 * writes the queue — so the hot path costs a push; every read writes the queue first, so a read
 * always sees every commit before it. A ledger in a file commits once per turn of the event loop,
 * so a crash loses at most that turn's rows; a temporary one, which a crash loses whole anyway,
 * commits every FLUSH_EVERY_MS: under load a BEGIN/COMMIT per turn cost a simulator more CPU than
 * the rows it wrote (issue #19, bench/README.md "CPU per payment in the loop"). Either way a
 * transaction holds at most 1,024 rows.
 *
 *   record/append ──► queue ──(turn (file) | FLUSH_EVERY_MS (temporary) | 1,024 rows | a read)──► INSERT … in one transaction ──► ledger.db
 *   entries / iterate / byOrder / balanceOf ◄── flush, then SELECT (iterate streams: one row at a time)
 *
 * Unless `path` names a file, the ledger is SQLite's private temporary database (an empty file
 * name): pages beyond its cache go to a file SQLite unlinks as soon as it opens it, so nothing is
 * left behind however the process ends — even SIGKILL, which leaves the ledger unread anyway.
 */

/**
 * `chargeback`: a dispute took the money back from the merchant (the card network debits it when
 * the dispute opens); `chargeback_reversal`: the merchant won and it was given back.
 */
export type LedgerKind = 'authorization' | 'capture' | 'refund' | 'void' | 'chargeback' | 'chargeback_reversal';

export interface LedgerEntry {
  /** Unique within the provider: `<provider>_<kind>_<n>`. */
  readonly id: string;
  readonly provider: string;
  readonly kind: LedgerKind;
  /** The provider's object id (PaymentIntent id, pspReference, trade_no …). */
  readonly paymentId: string;
  /** The merchant's order id, as the merchant sent it. */
  readonly orderId: string;
  readonly idempotencyKey: string | undefined;
  /** Minor units (cents, fen). */
  readonly amount: number;
  readonly currency: string;
  /** ISO-8601 time of the commit. */
  readonly at: string;
  readonly traceId: string | undefined;
  /** The provider's id of this movement itself (refund id, modification pspReference), when it has one. */
  readonly reference?: string;
}

export type NewLedgerEntry = Omit<LedgerEntry, 'id' | 'provider' | 'at'> & { at?: string };

/** Money that moved for one payment: what was captured, refunded, and what is still held. */
export interface PaymentBalance {
  readonly authorized: number;
  readonly captured: number;
  readonly refunded: number;
  readonly voided: number;
}

const KINDS: readonly LedgerKind[] = ['authorization', 'capture', 'refund', 'void', 'chargeback', 'chargeback_reversal'];
const KIND_INDEX: Readonly<Record<LedgerKind, number>> = { authorization: 0, capture: 1, refund: 2, void: 3, chargeback: 4, chargeback_reversal: 5 };
/** Rows queued before a write is forced within the same turn (bounds the queue under a burst). */
const BATCH = 1024;
/** How long a temporary ledger's rows may wait in the queue (a file ledger's wait for the end of the turn). */
const FLUSH_EVERY_MS = 25;

/** One stored row: kind as its index, time in ms; `seq` numbers the entry (1-based, commit order). */
interface Row {
  seq: number;
  kind: number;
  payment_id: string;
  order_id: string;
  idempotency_key: string | null;
  amount: number;
  currency: string;
  at_ms: number;
  trace_id: string | null;
  reference: string | null;
}

type Queued = [kind: number, paymentId: string, orderId: string, key: string | null, amount: number, currency: string, atMs: number, traceId: string | null, reference: string | null];

export interface LedgerOptions {
  /** A SQLite file to keep the ledger in (WAL); default: a private temporary database. */
  path?: string;
}

export class Ledger {
  readonly provider: string;
  /** Commit time in ms; without an injected clock, read without making a Date per entry. */
  readonly #nowMs: () => number;
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  /** In a file: committed at the end of each turn; temporary: every FLUSH_EVERY_MS. */
  readonly #queue: BatchedWrites<Queued>;
  #stored = 0;
  #closed = false;

  constructor(provider: string, now?: () => Date, options: LedgerOptions = {}) {
    this.provider = provider;
    this.#nowMs = now ? () => now().getTime() : Date.now;
    this.#db = new Database(options.path ?? '');
    // A named file: a process crash keeps every committed transaction (it is in the WAL); only
    // the machine's crash could lose the last ones, and a simulator's ledger does not outlive its
    // run. A temporary one dies with the process anyway: its rollback journal stays in memory.
    this.#db.pragma(options.path !== undefined ? 'journal_mode = WAL' : 'journal_mode = MEMORY');
    this.#db.pragma('synchronous = OFF');
    // The page cache is the ledger's whole footprint in memory (SQLite's default is 2 MiB).
    this.#db.pragma('cache_size = -4096');
    this.#db.exec(`CREATE TABLE IF NOT EXISTS ledger (
      seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL, payment_id TEXT NOT NULL, order_id TEXT NOT NULL,
      idempotency_key TEXT, amount REAL NOT NULL, currency TEXT NOT NULL, at_ms REAL NOT NULL,
      trace_id TEXT, reference TEXT)`);
    // No index by order or payment: an index costs every insert, and only checks and tests read
    // by id (byOrder, balanceOf scan, as the in-memory ledger did).
    this.#stored = (this.#db.prepare('SELECT count(*) AS n FROM ledger').get() as { n: number }).n;
    this.#insert = this.#db.prepare('INSERT INTO ledger (kind, payment_id, order_id, idempotency_key, amount, currency, at_ms, trace_id, reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const writeQueue = this.#db.transaction((rows: readonly Queued[]) => {
      for (const r of rows) this.#insert.run(r);
    });
    this.#queue = new BatchedWrites<Queued>(
      (rows) => {
        writeQueue(rows);
        this.#stored += rows.length;
      },
      { maxItems: BATCH, afterMs: options.path !== undefined ? 0 : FLUSH_EVERY_MS, live: () => !this.#closed },
    );
  }

  record(entry: NewLedgerEntry): LedgerEntry {
    const atMs = entry.at === undefined ? this.#nowMs() : Date.parse(entry.at);
    const i = this.#append(entry, atMs);
    // Built from the input, not read back, and a copy: changing it cannot change the ledger.
    return this.#entry(i + 1, entry.kind, entry.paymentId, entry.orderId, entry.idempotencyKey, entry.amount, entry.currency, atMs, entry.traceId, entry.reference);
  }

  /**
   * `record` without materialising the entry it returns: the hot path of a simulator under load,
   * which writes two entries per payment and reads none. Returns the entry's index.
   */
  append(entry: NewLedgerEntry): number {
    return this.#append(entry, entry.at === undefined ? this.#nowMs() : Date.parse(entry.at));
  }

  #append(entry: NewLedgerEntry, atMs: number): number {
    if (this.#closed) throw new Error(`the ${this.provider} ledger is closed`);
    const i = this.#stored + this.#queue.length;
    this.#queue.push([KIND_INDEX[entry.kind], entry.paymentId, entry.orderId, entry.idempotencyKey ?? null, entry.amount, entry.currency, atMs, entry.traceId ?? null, entry.reference ?? null]);
    return i;
  }

  /** Writes the queued entries (one transaction). Reads call it; so may a caller about to stop. */
  flush(): void {
    this.#queue.flush();
  }

  /** Every entry, in commit order (materialised afresh on each call; `iterate` streams instead). */
  entries(): readonly LedgerEntry[] {
    return [...this.iterate()];
  }

  /**
   * Every entry in commit order, a page at a time: memory stays flat however long the ledger.
   * Pages, not one SQLite cursor, because a consumer may pause between entries (a streamed HTTP
   * answer) while the simulator keeps writing: an open cursor would hold the connection busy.
   * Entries committed while iterating are included, as long as the iteration has not ended.
   */
  *iterate(pageSize = 1000): IterableIterator<LedgerEntry> {
    for (let after = 0; ; ) {
      const page = this.page(after, pageSize);
      for (const e of page) yield e;
      if (page.length < pageSize) return;
      after += page.length;
    }
  }

  /** Up to `limit` entries after the first `after` (in commit order): one page of `iterate`. */
  page(after: number, limit: number): LedgerEntry[] {
    this.flush();
    return (this.#db.prepare('SELECT * FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?').all(after, limit) as Row[]).map((r) => this.#fromRow(r));
  }

  byOrder(orderId: string): LedgerEntry[] {
    this.flush();
    return (this.#db.prepare('SELECT * FROM ledger WHERE order_id = ? ORDER BY seq').all(orderId) as Row[]).map((r) => this.#fromRow(r));
  }

  /** Totals per kind for one provider payment id (a scan: for checks and tests, not hot paths). */
  balanceOf(paymentId: string): PaymentBalance {
    this.flush();
    const totals = [0, 0, 0, 0, 0, 0];
    for (const r of this.#db.prepare('SELECT kind, sum(amount) AS total FROM ledger WHERE payment_id = ? GROUP BY kind').all(paymentId) as Array<{ kind: number; total: number }>) totals[r.kind] = r.total;
    return { authorized: totals[0]!, captured: totals[1]!, refunded: totals[2]!, voided: totals[3]! };
  }

  count(kind: LedgerKind): number {
    this.flush();
    return (this.#db.prepare('SELECT count(*) AS n FROM ledger WHERE kind = ?').get(KIND_INDEX[kind]) as { n: number }).n;
  }

  get size(): number {
    return this.#stored + this.#queue.length;
  }

  toJSON(): { provider: string; entries: readonly LedgerEntry[] } {
    return { provider: this.provider, entries: this.entries() };
  }

  /** Writes what is queued and closes the file (a temporary database is gone). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    this.#db.close();
  }

  #fromRow(r: Row): LedgerEntry {
    return this.#entry(r.seq, KINDS[r.kind]!, r.payment_id, r.order_id, r.idempotency_key ?? undefined, r.amount, r.currency, r.at_ms, r.trace_id ?? undefined, r.reference ?? undefined);
  }

  // One explicit literal (no spread, no freeze): materialising millions of entries stays cheap.
  #entry(seq: number, kind: LedgerKind, paymentId: string, orderId: string, idempotencyKey: string | undefined, amount: number, currency: string, atMs: number, traceId: string | undefined, reference: string | undefined): LedgerEntry {
    const e: { -readonly [K in keyof LedgerEntry]: LedgerEntry[K] } = {
      id: `${this.provider}_${kind}_${seq}`,
      provider: this.provider,
      kind,
      paymentId,
      orderId,
      idempotencyKey,
      amount,
      currency,
      at: new Date(atMs).toISOString(),
      traceId,
    };
    if (reference !== undefined) e.reference = reference;
    return e;
  }
}
