import Database from 'better-sqlite3';
import type { InvariantResult, LedgerRow } from '../analysis/index.js';

/**
 * Every provider's ledger rows for ground truth, on disk (SQLite) instead of in an array: a run
 * of an hour at 2,000 payments/s reads ~15 M rows, which the harness must not hold to judge them.
 *
 *   NDJSON from each simulator ──add()──► rows (batched inserts) ──groups(by)──► one order's (or
 *   one payment's) rows at a time ──► the pure checker on that group ──► merged result
 *
 * The invariants that judge one order or one payment at a time (no-double-charge by order;
 * refunds-within-captures and void-never-captured by payment) run on each group in turn and their
 * results are merged: the same checker code, on exactly the rows it would see in the whole array,
 * in the same order — no sampling, nothing forgotten, and the same result as one call on the whole
 * (a test runs both on the same rows). Groups come in the order their first row was added, which
 * is the order a Map keyed by the group would iterate.
 */
export class LedgerRowsStore {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #write: (rows: readonly ShopRow[]) => void;
  #queue: ShopRow[] = [];
  #size = 0;
  /** Statements of `ofOrder` by the kinds they keep; absent until its index is built. */
  #byOrder: Map<string, Database.Statement> | undefined;

  /** `path`: a SQLite file (kept, e.g. in the run's directory); absent, a private temporary database. */
  constructor(path?: string) {
    this.#db = new Database(path ?? '');
    // A temporary database dies with the process anyway: its rollback journal stays in memory.
    this.#db.pragma(path !== undefined ? 'journal_mode = WAL' : 'journal_mode = MEMORY');
    this.#db.pragma('synchronous = OFF');
    this.#db.pragma('cache_size = -8192');
    this.#db.exec(`CREATE TABLE IF NOT EXISTS rows (
      seq INTEGER PRIMARY KEY, provider TEXT NOT NULL, kind TEXT NOT NULL, payment_id TEXT NOT NULL,
      order_id TEXT NOT NULL, shop_order_id TEXT NOT NULL, idempotency_key TEXT, amount REAL NOT NULL,
      currency TEXT NOT NULL, trace_id TEXT)`);
    this.#insert = this.#db.prepare('INSERT INTO rows (provider, kind, payment_id, order_id, shop_order_id, idempotency_key, amount, currency, trace_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.#write = this.#db.transaction((rows: readonly ShopRow[]) => {
      for (const r of rows) this.#insert.run(r.provider, r.kind, r.paymentId, r.orderId, r.shopOrderId ?? r.orderId, r.idempotencyKey ?? null, r.amount, r.currency, r.traceId ?? null);
    });
  }

  /** One row as the provider recorded it, with the shop's order id where it differs. */
  add(row: LedgerRow, shopOrderId?: string): void {
    this.#queue.push(shopOrderId === undefined || shopOrderId === row.orderId ? row : { ...row, shopOrderId });
    if (this.#queue.length >= 1000) this.#flush();
  }

  get size(): number {
    return this.#size + this.#queue.length;
  }

  /**
   * The rows grouped: `order` by the shop's order id (rows carry it as `orderId`), `payment` by
   * provider and provider payment id (rows as recorded). `kinds` keeps only those kinds (and
   * orders the groups by the first row of those kinds).
   */
  *groups(by: 'order' | 'payment', kinds?: readonly LedgerRow['kind'][]): Generator<LedgerRow[]> {
    this.#flush();
    const partition = by === 'order' ? 'shop_order_id' : 'provider, payment_id';
    const where = kinds ? `WHERE kind IN (${kinds.map(() => '?').join(', ')})` : '';
    const sql = `SELECT *, MIN(seq) OVER (PARTITION BY ${partition}) AS first FROM rows ${where} ORDER BY first, seq`;
    let group: LedgerRow[] = [];
    let current = -1;
    for (const r of this.#db.prepare(sql).iterate(...(kinds ?? [])) as IterableIterator<StoredRow & { first: number }>) {
      if (r.first !== current && group.length > 0) {
        yield group;
        group = [];
      }
      current = r.first;
      group.push(toRow(r, by === 'order'));
    }
    if (group.length > 0) yield group;
  }

  /**
   * One order's rows (of `kinds`, when given), by the shop's order id, in the order added: the
   * group `groups('order')` would yield for it, for a checker that walks orders from elsewhere
   * (journeys-end-state walks the journeys placed, which include orders with no row at all).
   */
  ofOrder(shopOrderId: string, kinds?: readonly LedgerRow['kind'][]): LedgerRow[] {
    this.#flush();
    // Built once, after the rows are in: cheaper than keeping it up to date through every insert.
    if (!this.#byOrder) {
      this.#db.exec('CREATE INDEX IF NOT EXISTS rows_by_order ON rows (shop_order_id, seq)');
      this.#byOrder = new Map();
    }
    const k = kinds ? kinds.join(',') : '';
    let st = this.#byOrder.get(k);
    if (!st) {
      const where = kinds ? ` AND kind IN (${kinds.map(() => '?').join(', ')})` : '';
      st = this.#db.prepare(`SELECT * FROM rows WHERE shop_order_id = ?${where} ORDER BY seq`);
      this.#byOrder.set(k, st);
    }
    return (st.all(shopOrderId, ...(kinds ?? [])) as StoredRow[]).map((r) => toRow(r, true));
  }

  /** Every row (of `kinds`, when given) in the order added; `shopTerms`: with the shop's order id. */
  *rows(shopTerms: boolean, kinds?: readonly LedgerRow['kind'][]): Generator<LedgerRow> {
    this.#flush();
    const where = kinds ? `WHERE kind IN (${kinds.map(() => '?').join(', ')})` : '';
    for (const r of this.#db.prepare(`SELECT * FROM rows ${where} ORDER BY seq`).iterate(...(kinds ?? [])) as IterableIterator<StoredRow>) yield toRow(r, shopTerms);
  }

  close(): void {
    this.#flush();
    this.#db.close();
  }

  #flush(): void {
    if (this.#queue.length === 0) return;
    const rows = this.#queue;
    this.#queue = [];
    this.#write(rows);
    this.#size += rows.length;
  }
}

/**
 * A checker run on each group in turn, its results merged: checked counts add up, violations
 * follow in group order, and it passed when every group did.
 */
export function checkByGroup(groups: Iterable<readonly LedgerRow[]>, check: (rows: readonly LedgerRow[]) => InvariantResult): InvariantResult {
  const perGroup = function* (): Generator<InvariantResult> {
    for (const rows of groups) yield check(rows);
  };
  return mergeResults(check([]), perGroup());
}

/** Results of one checker on disjoint parts merged into its result on the whole; `empty`: its result on nothing. */
export function mergeResults(empty: InvariantResult, parts: Iterable<InvariantResult>): InvariantResult {
  let checked = 0;
  const violations: InvariantResult['violations'] = [];
  for (const r of parts) {
    checked += r.checked;
    violations.push(...r.violations);
  }
  return { ...empty, passed: violations.length === 0, checked, violations };
}

type ShopRow = LedgerRow & { shopOrderId?: string };

interface StoredRow {
  provider: string;
  kind: LedgerRow['kind'];
  payment_id: string;
  order_id: string;
  shop_order_id: string;
  idempotency_key: string | null;
  amount: number;
  currency: string;
  trace_id: string | null;
}

function toRow(r: StoredRow, shopTerms: boolean): LedgerRow {
  return {
    provider: r.provider,
    kind: r.kind,
    paymentId: r.payment_id,
    orderId: shopTerms ? r.shop_order_id : r.order_id,
    idempotencyKey: r.idempotency_key ?? undefined,
    amount: r.amount,
    currency: r.currency,
    traceId: r.trace_id ?? undefined,
  };
}
