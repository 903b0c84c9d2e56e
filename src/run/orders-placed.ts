import Database from 'better-sqlite3';
import { checkCapturesWithinOrders, checkJourneysEndState, placedOrderKey, type InvariantResult, type JourneyOrder, type LedgerRow, type LifecycleAnswer, type PaymentEvent, type PlacedOrdersView } from '../analysis/index.js';
import type { Variant } from '../conventions/index.js';
import type { ShopperPlan } from '../load/index.js';
import { BatchedWrites } from '../kernel/index.js';
import { mergeResults } from './ledger-rows-store.js';

/** What an answer said about where an order's money went (PaymentEvent's fields, or a query's). */
export interface ProviderIds {
  readonly providerPaymentId?: string | undefined;
  readonly providerReference?: string | undefined;
}

/** An order no answer told the harness about: ground truth asks the system under test. */
export interface UnansweredOrder {
  readonly variant: Variant;
  readonly provider: string;
  readonly orderId: string;
}

/**
 * The orders a run's shoppers placed, for the money invariants: each order once, as its first
 * submit (or a returning shopper's) is sent — before any answer, so an order whose answer an
 * interrupt cut off still counts — and what the shopper was told about it, from the events.
 *
 * It also reads ledgers back in the shop's order ids. A provider's ledger records the provider's
 * payment id and the merchant order number the gateway sent — which need not be the shop's order
 * id (Alipay's and WeChat Pay's syntax forbids some). The harness does not know how the gateway
 * numbers orders, and must not: it learns both ids from the gateway's answers
 * (`providerPaymentId`, `providerReference`) and joins on them, payment id first.
 *
 * An engine that does not report placing (k6: its output does not say what an order was for)
 * leaves captures-within-orders not evaluated, and says so, rather than passed.
 *
 * Everything per order is on disk (SQLite; a private temporary database unless `path` names a
 * file), never in the heap: an hour at 2,000 payments/s places 7 M orders (issue 19). Each call
 * during the run queues one statement — an upsert whose SQL does what the in-memory maps did
 * (first placing wins, "every answer said failed" is an AND, a decided order leaves the pending
 * list for good) — and one transaction every 100 ms (or 4,096 statements) writes the queue; every
 * read writes it first. Reads come after the run (ground truth), a row at a time. Journeys and the
 * answers to refunds and cancels (journeys-end-state) are two more tables written the same way.
 */
export class OrdersPlaced {
  readonly #db: Database.Database;
  readonly #statements: Record<Op, Database.Statement>;
  readonly #lookup: { byPaymentId: Database.Statement; byReference: Database.Statement; keyOfOrder: Database.Statement };
  /**
   * Queued statements, written every FLUSH_MS (or FLUSH_OPS at once): a transaction costs its
   * COMMIT whatever it holds, and at a few payments per turn a commit per turn was most of this
   * store's CPU (issue #19). Nothing reads the database without flushing first, so the queue's age
   * changes no answer.
   */
  readonly #queue: BatchedWrites<Queued>;
  #payEvents = 0;
  /** Orders placed (each once): kept as a count so `check` knows without a query. */
  #placedTotal = 0;
  /** Journeys placed (each order once): `checkJourneys` tells a k6 run (none reported) from an empty one. */
  #journeysTotal = 0;
  /** Numbers each statement, so first-seen order survives the upserts (a Map's insertion order). */
  #seq = 0;

  /** `path`: a SQLite file to keep the orders in (e.g. in the run's directory); absent, a private temporary database. */
  constructor(path?: string) {
    this.#db = new Database(path ?? '');
    // A named file keeps its WAL (a crash keeps what was committed); a temporary one needs no journal on disk.
    this.#db.pragma(path !== undefined ? 'journal_mode = WAL' : 'journal_mode = MEMORY');
    this.#db.pragma('synchronous = OFF');
    this.#db.pragma('cache_size = -8192');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS placed (provider TEXT NOT NULL, order_id TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (provider, order_id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS anonymous (key TEXT PRIMARY KEY, n INTEGER NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS ids (provider TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, order_id TEXT NOT NULL, PRIMARY KEY (provider, kind, id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS asked (provider TEXT NOT NULL, order_id TEXT NOT NULL, variant TEXT, answered INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (provider, order_id)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS asked_open ON asked (answered, seq);
      CREATE TABLE IF NOT EXISTS told (order_id TEXT PRIMARY KEY, failed INTEGER, decided INTEGER NOT NULL DEFAULT 0, pending_variant TEXT, pending_provider TEXT, pending_seq INTEGER) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS journeys (seq INTEGER PRIMARY KEY, order_id TEXT NOT NULL UNIQUE, provider TEXT NOT NULL, currency TEXT NOT NULL, journey TEXT NOT NULL, refunds TEXT NOT NULL, cancel INTEGER NOT NULL, challenge TEXT, capture INTEGER, race INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS lifecycle (seq INTEGER PRIMARY KEY, order_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, amount REAL, outcome TEXT NOT NULL, trace_id TEXT);
      CREATE INDEX IF NOT EXISTS lifecycle_by_order ON lifecycle (order_id, seq);`);
    const st = (sql: string) => this.#db.prepare(sql);
    this.#statements = {
      // First placing wins; total counts each order once (changes() says whether it was new).
      place: st('INSERT OR IGNORE INTO placed (provider, order_id, key, seq) VALUES (?, ?, ?, ?)'),
      placeAnonymous: st('INSERT INTO anonymous (key, n, seq) VALUES (?, 1, ?) ON CONFLICT (key) DO UPDATE SET n = n + 1'),
      // A later answer naming the same provider id for another order wins (Map.set).
      learnId: st('INSERT INTO ids (provider, kind, id, order_id) VALUES (?, ?, ?, ?) ON CONFLICT (provider, kind, id) DO UPDATE SET order_id = excluded.order_id'),
      // The variant is the answering event's (NULL for a later query's): it matters only while unanswered.
      answered: st('INSERT INTO asked (provider, order_id, variant, answered, seq) VALUES (?, ?, ?, 1, ?) ON CONFLICT (provider, order_id) DO UPDATE SET answered = 1'),
      remember: st('INSERT OR IGNORE INTO asked (provider, order_id, variant, answered, seq) VALUES (?, ?, ?, 0, ?)'),
      toldFailed: st('INSERT INTO told (order_id, failed) VALUES (?, ?) ON CONFLICT (order_id) DO UPDATE SET failed = coalesce(failed, 1) AND excluded.failed'),
      // An answer's two facts in one write (one statement per answer, not two: the harness's CPU
      // per payment, issue #19): "every answer said failed" — toldFailed's AND, a pending answer
      // being not failed — and the pending list. Pending while undecided: the first pending answer
      // fixes its place in the list, the latest its variant and provider; a decided order leaves it for good.
      pending: st(`INSERT INTO told (order_id, failed, pending_variant, pending_provider, pending_seq) VALUES (?, 0, ?, ?, ?) ON CONFLICT (order_id) DO UPDATE SET
        failed = 0,
        pending_variant = CASE WHEN decided = 0 THEN excluded.pending_variant ELSE pending_variant END,
        pending_provider = CASE WHEN decided = 0 THEN excluded.pending_provider ELSE pending_provider END,
        pending_seq = CASE WHEN decided = 0 THEN coalesce(pending_seq, excluded.pending_seq) ELSE pending_seq END`),
      decided: st('INSERT INTO told (order_id, failed, decided) VALUES (?, ?, 1) ON CONFLICT (order_id) DO UPDATE SET failed = coalesce(failed, 1) AND excluded.failed, decided = 1, pending_variant = NULL, pending_provider = NULL, pending_seq = NULL'),
      // An order's first placing fixes its journey (a returning shopper's plan is the same order's).
      journey: st('INSERT OR IGNORE INTO journeys (seq, order_id, provider, currency, journey, refunds, cancel, challenge, capture, race) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      lifecycle: st('INSERT INTO lifecycle (seq, order_id, kind, key, amount, outcome, trace_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    };
    this.#lookup = {
      byPaymentId: st("SELECT order_id FROM ids WHERE provider = ? AND kind = 'payment' AND id = ?").pluck(),
      byReference: st("SELECT order_id FROM ids WHERE provider = ? AND kind = 'reference' AND id = ?").pluck(),
      keyOfOrder: st('SELECT key FROM placed WHERE provider = ? AND order_id = ?').pluck(),
    };
    const write = this.#db.transaction((ops: readonly Queued[]) => {
      for (const [op, args] of ops) {
        const changed = this.#statements[op].run(...args).changes;
        if (op === 'place' && changed > 0) this.#placedTotal++;
        else if (op === 'journey' && changed > 0) this.#journeysTotal++;
      }
    });
    this.#queue = new BatchedWrites<Queued>(write, { maxItems: FLUSH_OPS, afterMs: FLUSH_MS, live: () => this.#db.open });
  }

  placing(plan: ShopperPlan): void {
    this.#place(plan.provider, plan.currency, plan.amount, plan.orderId);
    this.#remember(plan.variant, plan.provider, plan.orderId);
    this.#push('journey', [this.#seq++, plan.orderId, plan.provider, plan.currency, plan.behaviour, JSON.stringify(plan.expect.refunds), plan.expect.cancel ? 1 : 0, plan.expect.challenge ?? null, plan.expect.capture ?? null, plan.expect.race === true ? 1 : 0]);
  }

  see(event: PaymentEvent): void {
    // A refund's or cancel's answer is not a payment's: it says nothing of where the charge went.
    const lifecycle = LIFECYCLE_STEPS.get(event.behaviour ?? '');
    if (lifecycle) {
      this.#push('lifecycle', [this.#seq++, event.orderId, lifecycle, event.idempotencyKey, event.refundAmount ?? null, event.outcome, event.traceId ?? null]);
      return;
    }
    this.#payEvents++;
    if (event.orderId) {
      if (event.outcome === 'pending') this.#push('pending', [event.orderId, event.variant, event.provider, this.#seq++]);
      else this.#push('decided', [event.orderId, event.outcome === 'failed' ? 1 : 0]);
    } else this.#push('toldFailed', [event.orderId, event.outcome === 'failed' ? 1 : 0]);
    // Failed over: the order may now be charged at the provider that answered. It is placed there
    // too; a charge at both is still caught, by no-double-charge, which joins on the order id.
    if (event.failoverFrom && event.orderId && event.amount !== undefined && event.currency !== undefined) this.#place(event.provider, event.currency, event.amount, event.orderId);
    // An answer with ids marks the order answered (with its variant, had nothing placed it); one without, asked.
    if (!this.#learn(event.provider, event.orderId, event, event.variant) && event.orderId) this.#remember(event.variant, event.provider, event.orderId);
  }

  /** The ids an answer (or a later query) gave for an order. */
  learn(provider: string, orderId: string, ids: ProviderIds): void {
    this.#learn(provider, orderId, ids, null);
  }

  /** false when there was nothing to learn. */
  #learn(provider: string, orderId: string, ids: ProviderIds, variant: Variant | null): boolean {
    if (!orderId || (ids.providerPaymentId === undefined && ids.providerReference === undefined)) return false;
    if (ids.providerPaymentId !== undefined) this.#push('learnId', [provider, 'payment', ids.providerPaymentId, orderId]);
    if (ids.providerReference !== undefined) this.#push('learnId', [provider, 'reference', ids.providerReference, orderId]);
    this.#push('answered', [provider, orderId, variant ?? null, this.#seq++]);
    return true;
  }

  /** Orders every answer left pending (outcome unknown): the system under test must settle them. */
  pendingOnly(): UnansweredOrder[] {
    this.#flush();
    const rows = this.#db.prepare('SELECT pending_variant AS variant, pending_provider AS provider, order_id AS orderId FROM told WHERE pending_seq IS NOT NULL ORDER BY pending_seq').all() as UnansweredOrder[];
    return rows;
  }

  /** Orders placed or seen whose provider ids no answer reported (the first `limit` of them, when given). */
  unanswered(limit = -1): UnansweredOrder[] {
    this.#flush();
    const rows = this.#db.prepare('SELECT variant, provider, order_id AS orderId FROM asked WHERE answered = 0 ORDER BY seq LIMIT ?').all(limit) as Array<{ variant: Variant | null; provider: string; orderId: string }>;
    return rows.map((r) => ({ variant: r.variant ?? (undefined as unknown as Variant), provider: r.provider, orderId: r.orderId }));
  }

  /** A ledger row with the shop's order id, where an answer named its payment or its reference. */
  inShopTerms(row: LedgerRow): LedgerRow {
    this.#flush();
    const orderId = (this.#lookup.byPaymentId.get(row.provider, row.paymentId) ?? this.#lookup.byReference.get(row.provider, row.orderId)) as string | undefined;
    return orderId === undefined || orderId === row.orderId ? row : { ...row, orderId };
  }

  check(ledgers: readonly LedgerRow[]): InvariantResult {
    this.#flush();
    if (this.#placedTotal === 0 && this.#payEvents > 0) {
      return {
        name: 'captures-within-orders',
        unit: 'charges',
        passed: true,
        checked: 0,
        violations: [],
        notEvaluated: 'the load engine did not report what each order was for (k6 output carries no amounts)',
      };
    }
    const told = this.#db.prepare('SELECT failed FROM told WHERE order_id = ?').pluck();
    return checkCapturesWithinOrders(ledgers, this.placed(), { toldFailed: (_provider, orderId) => told.get(orderId) === 1 });
  }

  /** The orders placed, as captures-within-orders reads them (from disk). */
  placed(): PlacedOrdersView {
    this.#flush();
    const db = this.#db;
    const lookup = this.#lookup;
    return {
      total: this.#placedTotal,
      keyOfOrder: (provider, orderId) => lookup.keyOfOrder.get(provider, orderId) as string | undefined,
      capacity: (available) => {
        const out = new Map<string, number>();
        for (const a of db.prepare('SELECT key, n FROM anonymous ORDER BY seq').iterate() as IterableIterator<{ key: string; n: number }>) out.set(a.key, a.n);
        // A second connection would be needed to query while this cursor is open; `available`
        // only reads what the caller holds, never this database.
        for (const o of db.prepare('SELECT provider, order_id, key FROM placed ORDER BY seq').iterate() as IterableIterator<{ provider: string; order_id: string; key: string }>) {
          if (available(o.provider, o.order_id)) out.set(o.key, (out.get(o.key) ?? 0) + 1);
        }
        return out;
      },
    };
  }

  /**
   * journeys-end-state, one order at a time: each journey (in placing order) with its refund and
   * cancel answers, against that order's capture and refund rows (`rowsOf`: the shop's order id →
   * its rows, in commit order — LedgerRowsStore.ofOrder). The same checker as on the whole
   * arrays, on exactly the rows and answers it would look at for that order, results merged in
   * the same order: the same result, without holding every order, answer or row (a test compares).
   */
  checkJourneys(rowsOf: (orderId: string) => readonly LedgerRow[]): InvariantResult {
    const perOrder = function* (journeys: Iterable<JourneyAnswered>): Generator<InvariantResult> {
      for (const { order, answers } of journeys) yield checkJourneysEndState([order], answers, rowsOf(order.orderId));
    };
    const result = mergeResults(checkJourneysEndState([], [], []), perOrder(this.journeys()));
    if (this.#journeysTotal === 0 && this.#payEvents > 0) return { ...result, notEvaluated: 'the load engine did not report the journeys it placed (k6 output carries no plans)' };
    return result;
  }

  /** Every journey placed, in placing order, each with its refund and cancel answers in the order they came. */
  *journeys(): Generator<JourneyAnswered> {
    this.#flush();
    // One cursor, an order's answers right after it: nothing but the current order is held.
    const sql = `SELECT j.order_id, j.provider, j.currency, j.journey, j.refunds, j.cancel, j.challenge, j.capture, j.race, j.seq, l.kind, l.key, l.amount, l.outcome, l.trace_id
      FROM journeys j LEFT JOIN lifecycle l ON l.order_id = j.order_id ORDER BY j.seq, l.seq`;
    let current: JourneyAnswered | undefined;
    let seq = -1;
    for (const r of this.#db.prepare(sql).iterate() as IterableIterator<JourneyJoinRow>) {
      if (r.seq !== seq) {
        if (current) yield current;
        seq = r.seq;
        current = { order: { orderId: r.order_id, provider: r.provider, currency: r.currency, journey: r.journey, expect: { refunds: JSON.parse(r.refunds) as number[], cancel: r.cancel === 1, ...(r.challenge !== null ? { challenge: r.challenge } : {}), ...(r.capture !== null ? { capture: r.capture } : {}), ...(r.race === 1 ? { race: true } : {}) } }, answers: [] };
      }
      if (r.kind !== null) current!.answers.push({ orderId: r.order_id, kind: r.kind, key: r.key!, amount: r.amount ?? undefined, outcome: r.outcome!, traceId: r.trace_id ?? undefined });
    }
    if (current) yield current;
  }

  /** Writes what is queued and closes the database. */
  close(): void {
    this.#flush();
    this.#db.close();
  }

  #place(provider: string, currency: string, amount: number, orderId: string | undefined): void {
    const key = placedOrderKey(provider, currency, amount);
    if (orderId === undefined) {
      this.#push('placeAnonymous', [key, this.#seq++]);
      this.#placedTotal++;
    } else this.#push('place', [provider, orderId, key, this.#seq++]);
  }

  #remember(variant: Variant, provider: string, orderId: string): void {
    this.#push('remember', [provider, orderId, variant ?? null, this.#seq++]);
  }

  #push(op: Op, args: unknown[]): void {
    this.#queue.push([op, args]);
  }

  #flush(): void {
    this.#queue.flush();
  }
}

/** Queued statements written at most this often, or at once when FLUSH_OPS are waiting (the queue's memory bound). */
const FLUSH_MS = 100;
const FLUSH_OPS = 4096;

type Op = 'place' | 'placeAnonymous' | 'learnId' | 'answered' | 'remember' | 'toldFailed' | 'pending' | 'decided' | 'journey' | 'lifecycle';
type Queued = [Op, unknown[]];

/** A placed order's journey and what its refunds and cancels were answered. */
export interface JourneyAnswered {
  readonly order: JourneyOrder;
  readonly answers: LifecycleAnswer[];
}

interface JourneyJoinRow {
  seq: number;
  order_id: string;
  provider: string;
  currency: string;
  journey: string;
  refunds: string;
  cancel: number;
  challenge: 'pass' | 'fail' | 'abandon' | null;
  capture: number | null;
  race: number;
  kind: LifecycleAnswer['kind'] | null;
  key: string | null;
  amount: number | null;
  outcome: LifecycleAnswer['outcome'] | null;
  trace_id: string | null;
}

/** The step labels of requests after the charge (load/lib/traffic.js), and what each is. */
const LIFECYCLE_STEPS: ReadonlyMap<string, LifecycleAnswer['kind']> = new Map([
  ['challenge', 'challenge'],
  ['refund', 'refund'],
  ['refund_retry', 'refund'],
  ['cancel', 'cancel'],
  ['cancel_retry', 'cancel'],
  ['race_cancel', 'cancel'],
  ['capture', 'capture'],
  ['capture_retry', 'capture'],
  ['race_capture', 'capture'],
]);
