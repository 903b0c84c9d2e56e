import { StringColumn } from './string-column.js';

/**
 * The ledger: ground truth of what a simulated provider really did.
 *
 * Invariants are judged against it, so it records every money movement at the moment the
 * provider commits it — including when the caller then sees an error ("charged, then 500").
 * Entries are append-only and carry only ids that mean something outside this process
 * (merchant order id, idempotency key, provider payment id), so ledgers of several replicas
 * merge by order id.
 *
 * Storage is columnar (typed arrays for kinds, amounts and times; strings as UTF-8 in arenas;
 * currencies interned) because a load test writes millions of entries: an object per entry
 * costs several times as much (1M payments: ~300 MB instead of ~1.8 GB). Entries are
 * materialised as frozen objects when read.
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

export class Ledger {
  readonly provider: string;
  /** Commit time in ms; without an injected clock, read without making a Date per entry. */
  readonly #nowMs: () => number;
  #size = 0;
  #kinds = new Uint8Array(1024);
  #amounts = new Float64Array(1024);
  #times = new Float64Array(1024);
  #currencies = new Uint16Array(1024);
  readonly #currencyNames: string[] = [];
  readonly #currencyIndex = new Map<string, number>();
  readonly #paymentIds = new StringColumn();
  readonly #orderIds = new StringColumn();
  readonly #keys = new StringColumn();
  readonly #traceIds = new StringColumn();
  readonly #references = new StringColumn();

  constructor(provider: string, now?: () => Date) {
    this.provider = provider;
    this.#nowMs = now ? () => now().getTime() : Date.now;
  }

  record(entry: NewLedgerEntry): LedgerEntry {
    const i = this.append(entry);
    // Built from the input, not read back, and a copy: changing it cannot change the ledger.
    return this.#entry(i, entry.kind, entry.paymentId, entry.orderId, entry.idempotencyKey, entry.currency, entry.traceId, entry.reference);
  }

  /**
   * `record` without materialising the entry it returns: the hot path of a simulator under load,
   * which writes two entries per payment and reads none. Returns the entry's index.
   */
  append(entry: NewLedgerEntry): number {
    const i = this.#size;
    if (i === this.#kinds.length) this.#grow();
    this.#kinds[i] = KIND_INDEX[entry.kind];
    this.#amounts[i] = entry.amount;
    this.#times[i] = entry.at === undefined ? this.#nowMs() : Date.parse(entry.at);
    this.#currencies[i] = this.#intern(entry.currency);
    this.#paymentIds.push(entry.paymentId);
    this.#orderIds.push(entry.orderId);
    this.#keys.push(entry.idempotencyKey);
    this.#traceIds.push(entry.traceId);
    this.#references.push(entry.reference);
    this.#size++;
    return i;
  }

  /** Every entry, in commit order (materialised afresh on each call). */
  entries(): readonly LedgerEntry[] {
    const out = new Array<LedgerEntry>(this.#size);
    for (let i = 0; i < this.#size; i++) out[i] = this.#at(i);
    return out;
  }

  byOrder(orderId: string): LedgerEntry[] {
    const out: LedgerEntry[] = [];
    const target = Buffer.from(orderId, 'utf8');
    for (let i = 0; i < this.#size; i++) if (this.#orderIds.equals(i, target)) out.push(this.#at(i));
    return out;
  }

  /** Totals per kind for one provider payment id (a scan: for checks and tests, not hot paths). */
  balanceOf(paymentId: string): PaymentBalance {
    const totals = [0, 0, 0, 0, 0, 0];
    const target = Buffer.from(paymentId, 'utf8');
    for (let i = 0; i < this.#size; i++) if (this.#paymentIds.equals(i, target)) totals[this.#kinds[i]!]! += this.#amounts[i]!;
    return { authorized: totals[0]!, captured: totals[1]!, refunded: totals[2]!, voided: totals[3]! };
  }

  count(kind: LedgerKind): number {
    const k = KIND_INDEX[kind];
    let n = 0;
    for (let i = 0; i < this.#size; i++) if (this.#kinds[i] === k) n++;
    return n;
  }

  get size(): number {
    return this.#size;
  }

  toJSON(): { provider: string; entries: readonly LedgerEntry[] } {
    return { provider: this.provider, entries: this.entries() };
  }

  #at(i: number): LedgerEntry {
    return this.#entry(i, KINDS[this.#kinds[i]!]!, this.#paymentIds.get(i)!, this.#orderIds.get(i)!, this.#keys.get(i), this.#currencyNames[this.#currencies[i]!]!, this.#traceIds.get(i), this.#references.get(i));
  }

  // One explicit literal (no spread, no freeze): materialising millions of entries stays cheap.
  #entry(i: number, kind: LedgerKind, paymentId: string, orderId: string, idempotencyKey: string | undefined, currency: string, traceId: string | undefined, reference: string | undefined): LedgerEntry {
    const e: { -readonly [K in keyof LedgerEntry]: LedgerEntry[K] } = {
      id: `${this.provider}_${kind}_${i + 1}`,
      provider: this.provider,
      kind,
      paymentId,
      orderId,
      idempotencyKey,
      amount: this.#amounts[i]!,
      currency,
      at: new Date(this.#times[i]!).toISOString(),
      traceId,
    };
    if (reference !== undefined) e.reference = reference;
    return e;
  }

  #intern(currency: string): number {
    let idx = this.#currencyIndex.get(currency);
    if (idx === undefined) {
      idx = this.#currencyNames.length;
      this.#currencyNames.push(currency);
      this.#currencyIndex.set(currency, idx);
    }
    return idx;
  }

  #grow(): void {
    const n = this.#kinds.length * 2;
    const grow = <T extends Uint8Array | Uint16Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.#kinds = grow(this.#kinds, (k) => new Uint8Array(k));
    this.#amounts = grow(this.#amounts, (k) => new Float64Array(k));
    this.#times = grow(this.#times, (k) => new Float64Array(k));
    this.#currencies = grow(this.#currencies, (k) => new Uint16Array(k));
  }
}
