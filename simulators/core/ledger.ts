/**
 * The ledger: ground truth of what a simulated provider really did.
 *
 * Invariants are judged against it, so it records every money movement at the moment the
 * provider commits it — including when the caller then sees an error ("charged, then 500").
 * Entries are append-only and carry only ids that mean something outside this process
 * (merchant order id, idempotency key, provider payment id), so ledgers of several replicas
 * merge by order id.
 */

export type LedgerKind = 'authorization' | 'capture' | 'refund' | 'void';

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

export class Ledger {
  readonly provider: string;
  readonly #entries: LedgerEntry[] = [];
  readonly #now: () => Date;

  constructor(provider: string, now: () => Date = () => new Date()) {
    this.provider = provider;
    this.#now = now;
  }

  record(entry: NewLedgerEntry): LedgerEntry {
    const full: LedgerEntry = Object.freeze({
      ...entry,
      id: `${this.provider}_${entry.kind}_${this.#entries.length + 1}`,
      provider: this.provider,
      at: entry.at ?? this.#now().toISOString(),
    });
    this.#entries.push(full);
    return full;
  }

  entries(): readonly LedgerEntry[] {
    return this.#entries;
  }

  byOrder(orderId: string): LedgerEntry[] {
    return this.#entries.filter((e) => e.orderId === orderId);
  }

  /** Totals per kind for one provider payment id. */
  balanceOf(paymentId: string): PaymentBalance {
    const b = { authorized: 0, captured: 0, refunded: 0, voided: 0 };
    for (const e of this.#entries) {
      if (e.paymentId !== paymentId) continue;
      if (e.kind === 'authorization') b.authorized += e.amount;
      else if (e.kind === 'capture') b.captured += e.amount;
      else if (e.kind === 'refund') b.refunded += e.amount;
      else b.voided += e.amount;
    }
    return b;
  }

  count(kind: LedgerKind): number {
    let n = 0;
    for (const e of this.#entries) if (e.kind === kind) n++;
    return n;
  }

  get size(): number {
    return this.#entries.length;
  }

  toJSON(): { provider: string; entries: readonly LedgerEntry[] } {
    return { provider: this.provider, entries: this.#entries };
  }
}
