import { paychaosError } from '../../src/kernel/index.js';
import type { GroupCommit } from './group-commit.js';
import { PROVIDER_FEES, captureFee, disputeFee, modelsFees, refundedFee, type FeeTable } from '../fees.js';
import type { Db } from './open.js';
import type { PaymentSplit } from './payments.js';

/**
 * The gateway's double-entry ledger. Every movement of money is a journal entry whose lines sum to
 * zero (in minor units of one currency); debits are positive, credits negative. Accounts:
 *
 *   shopper                    the shoppers' side (revenue): credited by a capture
 *   provider_clearing:<p>      what provider <p> holds for the merchant until it settles
 *   fees:<p>                   what <p> keeps for itself (the provider's fee), an expense
 *   refunds                    money given back: a contra-revenue account
 *   chargebacks                money a dispute took back through the card network: contra-revenue
 *   merchant                   the merchant's own account, after the provider pays out
 *   commission                 a marketplace platform's revenue: its cut of a split sale
 *   connected:<acct>           what the platform owes a split's receiver (a connected account, a
 *                              balance account), until the provider pays it over
 *
 *   capture A, fee F:   provider_clearing:p +(A−F)   fees:p +F          shopper −A
 *   refund R, back B:   refunds +R                   fees:p −B          provider_clearing:p −(R−B)
 *   payout X:           merchant +X                                    provider_clearing:p −X
 *   chargeback C, D:    chargebacks +C               fees:p +D          provider_clearing:p −(C+D)
 *   reversal C, back E: provider_clearing:p +(C+E)   fees:p −E          chargebacks −C
 *   split A, fee P:     shopper +A     commission −P                   connected:d −(A−P)
 *   transfer A−P:       connected:d +(A−P)                             provider_clearing:p −(A−P)
 *   split_refund R:     refunds −R     commission +Pr                  connected:d +X      (X + Pr = R)
 *   transfer_reversal X: provider_clearing:p +X                         connected:d −X
 *
 * A split (a marketplace order, booked with its capture) says the sale was the receiver's, not the
 * platform's: it moves the revenue off `shopper` into the platform's commission and a debt to the
 * receiver; the transfer says the provider paid that debt out of what it holds for us (Stripe's
 * destination-charge transfer net of the application fee, Adyen's BalanceAccount split).
 *
 * F is the provider's published fee or the merchant's contract rate (../fees.ts); B the part of it a refund gives back (Alipay
 * and WeChat Pay return the percentage on the refunded amount; the others keep it: B = 0). D is
 * the provider's dispute fee, E the part of it a won dispute gives back (Stripe, PayPal: all of it;
 * Adyen: none). A fee is never a charge: it moves through fees:p, never shopper or chargebacks.
 *
 * A refund of a split payment at a provider that reverses the split with it (Stripe
 * reverse_transfer + refund_application_fee, Adyen splits[] on the refund) takes the receiver's
 * share X back and gives the commission's share Pr back (refundSplitShares): `split_refund` moves
 * the refund off the platform as `split` moved the sale, and `transfer_reversal` says the provider
 * took X back from the receiver — both under the refund's reference, with the refund.
 *
 * An entry is unique per (payment, kind, reference): settling a payment twice (the API answer and
 * the recovery loop, or two copies of one webhook) books it once.
 */
export interface JournalLine {
  readonly account: string;
  readonly amount: number;
}

export interface JournalEntry {
  readonly paymentId: string;
  readonly kind: 'capture' | 'refund' | 'payout' | (string & {});
  readonly currency: string;
  /** What makes this movement distinct within its payment and kind: the capture is one; each refund has its own id. */
  readonly reference: string;
  readonly lines: readonly JournalLine[];
}

/** The reference of what a provider's running total of refunds booked beyond the refunds known by id (Ledger.refundTotal): `total:<the total>`. */
const TOTAL_PREFIX = 'total:';

export const ACCOUNTS = Object.freeze({
  shopper: 'shopper',
  refunds: 'refunds',
  chargebacks: 'chargebacks',
  merchant: 'merchant',
  commission: 'commission',
  connected: (destination: string) => `connected:${destination}`,
  clearing: (provider: string) => `provider_clearing:${provider}`,
  fees: (provider: string) => `fees:${provider}`,
});

/** One journal entry as `GET /ledger` exports it (ledger-routes.ts): the movement, its payment, its lines. */
export interface ExportedEntry {
  readonly paymentId: string;
  readonly orderId: string;
  readonly provider: string;
  readonly providerPaymentId?: string;
  readonly providerReference?: string;
  readonly paymentMethod: string;
  readonly kind: string;
  readonly reference: string;
  /** Minor units, positive: what the movement moved (a capture's gross, a refund's amount). */
  readonly amount: number;
  readonly currency: string;
  /** The provider's fee booked with a capture, when one was. */
  readonly fee?: number;
  /** A split's or transfer's receiver: the provider's id of the connected account. */
  readonly destination?: string;
  /** A split's commission: what the platform keeps of the sale. */
  readonly commission?: number;
  readonly bookedAt: string;
  readonly lines: readonly JournalLine[];
}

/** A refund's answer: booked, or refused because it would exceed what is captured and not yet refunded. */
export type RefundBooking = { readonly booked: true; readonly fresh: boolean } | { readonly booked: false; readonly refundable: number };

export class Ledger {
  readonly #entry;
  readonly #line;
  readonly #sumKind;
  readonly #unbalanced;
  readonly #balance;
  readonly #exists;
  readonly #export;
  readonly #splitLines;
  readonly #reversesSplits: ReadonlySet<string>;
  readonly #post: (entry: JournalEntry, now: number) => boolean;
  readonly #refund: (paymentId: string, provider: string, amount: number, currency: string, reference: string, now: number) => RefundBooking;
  readonly #refundTotal: (paymentId: string, provider: string, total: number, currency: string, now: number) => RefundBooking;
  readonly #totalEntries;
  readonly #dropLines;
  readonly #dropEntry;
  /** The fees this gateway books: the providers' list prices, or the merchant's contract rates (../fees.ts). */
  readonly fees: FeeTable;

  /** `splitsReversedOnRefund`: providers whose refunds of a split payment take the receiver's share back (the refund carries the reversal). */
  constructor(db: Db, group: GroupCommit, fees: FeeTable = PROVIDER_FEES, splitsReversedOnRefund: readonly string[] = []) {
    this.fees = fees;
    this.#reversesSplits = new Set(splitsReversedOnRefund);
    this.#splitLines = db.prepare<[string], { kind: string; account: string; amount: number }>(
      "SELECT e.kind, l.account, l.amount FROM journal_lines l JOIN journal_entries e ON e.entry_id = l.entry_id WHERE e.payment_id = ? AND e.kind IN ('split','transfer','split_refund')",
    );
    this.#entry = db.prepare('INSERT INTO journal_entries (payment_id, kind, currency, reference, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (payment_id, kind, reference) DO NOTHING');
    this.#line = db.prepare('INSERT INTO journal_lines (entry_id, account, amount) VALUES (?, ?, ?)');
    // What moved through one account for one payment and kind.
    this.#sumKind = db.prepare<[string, string, string], { total: number | null }>(
      'SELECT sum(l.amount) AS total FROM journal_lines l JOIN journal_entries e ON e.entry_id = l.entry_id WHERE e.payment_id = ? AND e.kind = ? AND l.account = ?',
    );
    this.#unbalanced = db.prepare<[], { entry_id: number; total: number }>('SELECT e.entry_id, coalesce(sum(l.amount), 0) AS total FROM journal_entries e LEFT JOIN journal_lines l ON l.entry_id = e.entry_id GROUP BY e.entry_id HAVING total <> 0 OR count(l.entry_id) < 2');
    this.#balance = db.prepare<[string, string], { total: number | null }>('SELECT sum(l.amount) AS total FROM journal_lines l JOIN journal_entries e ON e.entry_id = l.entry_id WHERE l.account = ? AND e.currency = ?');
    this.#exists = db.prepare<[string, string, string], { n: number }>('SELECT count(*) AS n FROM journal_entries WHERE payment_id = ? AND kind = ? AND reference = ?');
    // Entries with their payment, and every line, in booking order (one pass, grouped below).
    this.#export = db.prepare<[string | null, string | null, number, number], ExportRow>(
      `SELECT e.entry_id, e.payment_id, e.kind, e.currency, e.reference, e.created_at, p.order_id, p.provider, p.provider_payment_id, p.provider_reference, p.payment_method, l.account, l.amount
         FROM journal_entries e JOIN payments p ON p.payment_id = e.payment_id LEFT JOIN journal_lines l ON l.entry_id = e.entry_id
        WHERE (? IS NULL OR p.provider = ?) AND e.created_at >= ? AND e.created_at < ?
        ORDER BY e.entry_id`,
    );
    this.#post = group.phase((entry: JournalEntry, now: number): boolean => {
      const inserted = this.#entry.run(entry.paymentId, entry.kind, entry.currency, entry.reference, now);
      if (inserted.changes === 0) return false;
      for (const l of entry.lines) if (l.amount !== 0) this.#line.run(inserted.lastInsertRowid, l.account, l.amount);
      return true;
    });
    // Entries booked from a provider's running total (refundTotal): every kind a refund books, under `total:<N>`.
    this.#totalEntries = db.prepare<[string], { entry_id: number; kind: string; reference: string; refunded: number | null }>(
      `SELECT e.entry_id, e.kind, e.reference, (SELECT sum(l.amount) FROM journal_lines l WHERE l.entry_id = e.entry_id AND l.account = '${ACCOUNTS.refunds}') AS refunded
         FROM journal_entries e WHERE e.payment_id = ? AND e.reference LIKE '${TOTAL_PREFIX}%'`,
    );
    this.#dropLines = db.prepare<[number]>('DELETE FROM journal_lines WHERE entry_id = ?');
    this.#dropEntry = db.prepare<[number]>('DELETE FROM journal_entries WHERE entry_id = ?');
    this.#refund = group.phase((paymentId: string, provider: string, amount: number, currency: string, reference: string, now: number): RefundBooking => {
      // The same refund again (a retried request, a second copy of its notification): already booked.
      if (this.#exists.get(paymentId, 'refund', reference)!.n > 0) return { booked: true, fresh: false };
      const unnamed = this.#unnamed(paymentId);
      // Refunds known by their own id; what a running total added beyond them may be this one.
      const named = this.refunded(paymentId) - unnamed.amount;
      const refundable = this.captured(paymentId) - named;
      if (amount > refundable) return { booked: false, refundable };
      this.#dropUnnamed(unnamed);
      const fresh = this.#book(paymentId, provider, amount, currency, reference, now);
      // The running total still says more than the refunds known by id: that part stays booked, unnamed.
      const rest = unnamed.total - (named + amount);
      if (rest > 0) this.#book(paymentId, provider, rest, currency, `${TOTAL_PREFIX}${unnamed.total}`, now);
      return { booked: true, fresh };
    });
    this.#refundTotal = group.phase((paymentId: string, provider: string, total: number, currency: string, now: number): RefundBooking => {
      const unnamed = this.#unnamed(paymentId);
      const named = this.refunded(paymentId) - unnamed.amount;
      const highest = Math.max(total, unnamed.total);
      const rest = highest - named;
      if (rest <= 0 || (highest === unnamed.total && rest === unnamed.amount)) return { booked: true, fresh: false };
      const refundable = this.captured(paymentId) - named;
      if (rest > refundable) return { booked: false, refundable };
      this.#dropUnnamed(unnamed);
      this.#book(paymentId, provider, rest, currency, `${TOTAL_PREFIX}${highest}`, now);
      return { booked: true, fresh: true };
    });
  }

  /**
   * What running totals booked beyond the refunds known by id: its amount, the highest total a
   * provider reported (0 when none), and its entries.
   */
  #unnamed(paymentId: string): { amount: number; total: number; entryIds: number[] } {
    const rows = this.#totalEntries.all(paymentId);
    const amount = rows.filter((r) => r.kind === 'refund').reduce((s, r) => s + (r.refunded ?? 0), 0);
    const total = rows.reduce((m, r) => Math.max(m, Number(r.reference.slice(TOTAL_PREFIX.length)) || 0), 0);
    return { amount, total, entryIds: rows.map((r) => r.entry_id) };
  }

  /** Take back what running totals booked (in the caller's transaction), to book it again named or not. */
  #dropUnnamed(unnamed: { entryIds: number[] }): void {
    for (const id of unnamed.entryIds) {
      this.#dropLines.run(id);
      this.#dropEntry.run(id);
    }
  }

  /** One refund's entries: the money back, the fee it gives back, and a split payment's shares. */
  #book(paymentId: string, provider: string, amount: number, currency: string, reference: string, now: number): boolean {
    const back = refundedFee(provider, amount, this.fees);
    const lines = [{ account: ACCOUNTS.refunds, amount }, { account: ACCOUNTS.fees(provider), amount: -back }, { account: ACCOUNTS.clearing(provider), amount: back - amount }];
    // The split's shares, read before the refund is booked (the last refund takes what is left).
    const shares = this.#reversesSplits.has(provider) ? this.refundSplitShares(paymentId, amount) : undefined;
    const fresh = this.#post({ paymentId, kind: 'refund', currency, reference, lines }, now);
    if (fresh && shares) {
      const receiver = ACCOUNTS.connected(shares.destination);
      this.#post({ paymentId, kind: 'split_refund', currency, reference, lines: [{ account: ACCOUNTS.refunds, amount: -amount }, { account: ACCOUNTS.commission, amount: shares.commission }, { account: receiver, amount: shares.receiver }] }, now);
      if (shares.receiver > 0) this.#post({ paymentId, kind: 'transfer_reversal', currency, reference, lines: [{ account: ACCOUNTS.clearing(provider), amount: shares.receiver }, { account: receiver, amount: -shares.receiver }] }, now);
    }
    return fresh;
  }

  /**
   * Write one balanced entry (in one transaction). An unbalanced one is refused before anything is
   * written: PAYCHAOS_ERR_GATEWAY_LEDGER_UNBALANCED. Returns false when the entry was already booked.
   */
  post(entry: JournalEntry, now: number): boolean {
    const total = entry.lines.reduce((s, l) => s + l.amount, 0);
    const whole = entry.lines.every((l) => Number.isSafeInteger(l.amount));
    if (total !== 0 || !whole || entry.lines.length < 2) {
      throw paychaosError('PAYCHAOS_ERR_GATEWAY_LEDGER_UNBALANCED', `journal entry ${entry.kind} for ${entry.paymentId} does not balance: lines ${JSON.stringify(entry.lines)} sum to ${total}`, { entry });
    }
    return this.#post(entry, now);
  }

  /** Book a capture of `amount` (minor units) through `provider`, of which `fee` is the provider's (by default its published price, ../fees.ts). */
  capture(paymentId: string, provider: string, amount: number, currency: string, now: number, fee = captureFee(provider, amount, currency, this.fees)): boolean {
    return this.post(
      { paymentId, kind: 'capture', currency, reference: 'capture', lines: [{ account: ACCOUNTS.clearing(provider), amount: amount - fee }, { account: ACCOUNTS.fees(provider), amount: fee }, { account: ACCOUNTS.shopper, amount: -amount }] },
      now,
    );
  }

  /**
   * Book a marketplace order's split with its capture (same transaction): the platform's
   * commission, the receiver's part, and the provider's transfer of that part. Unique per
   * payment, like the capture.
   */
  split(paymentId: string, provider: string, amount: number, currency: string, split: PaymentSplit, now: number, transferNow = true): void {
    const owed = amount - split.platformFee;
    const receiver = ACCOUNTS.connected(split.destination);
    this.post({ paymentId, kind: 'split', currency, reference: 'split', lines: [{ account: ACCOUNTS.shopper, amount }, { account: ACCOUNTS.commission, amount: -split.platformFee }, { account: receiver, amount: -owed }] }, now);
    // The transfer waits for the provider's word where the split is a call of its own after the
    // payment (Alipay 分账, WeChat Pay profit sharing): transfer() books it once confirmed.
    if (transferNow) this.transfer(paymentId, provider, amount, currency, split, now);
  }

  /**
   * Book the provider's transfer of a split's receiver part (`amount − platformFee`) out of what it
   * holds for us. Unique per payment; a split that gives the receiver nothing moves nothing.
   */
  transfer(paymentId: string, provider: string, amount: number, currency: string, split: PaymentSplit, now: number): void {
    const owed = amount - split.platformFee;
    if (owed > 0) this.post({ paymentId, kind: 'transfer', currency, reference: 'transfer', lines: [{ account: ACCOUNTS.connected(split.destination), amount: owed }, { account: ACCOUNTS.clearing(provider), amount: -owed }] }, now);
  }

  /**
   * Book a refund (full or partial) unless it would exceed what was captured and not yet
   * refunded. `reference` is the refund's own id: the same refund booked twice is booked once.
   */
  refund(paymentId: string, provider: string, amount: number, currency: string, reference: string, now: number): RefundBooking {
    return this.#refund(paymentId, provider, amount, currency, reference, now);
  }

  /**
   * Book what a provider's running total of refunds (Stripe's charge.refunded) says beyond the
   * refunds known by id. The total and the refunds' own answers and notifications come in any
   * order, so the books keep max(highest total, refunds known by id) — each a lower bound of what
   * the provider refunded, neither counted twice: the part of a total no id explains is booked
   * unnamed (`total:<N>`), and a refund booked by its id later takes its share of that part
   * over (refund), instead of adding to it. Refused, like a refund, beyond what was captured.
   */
  refundTotal(paymentId: string, provider: string, total: number, currency: string, now: number): RefundBooking {
    return this.#refundTotal(paymentId, provider, total, currency, now);
  }

  /**
   * Book what a dispute took (`chargeback`) or gave back when won (`chargeback_reversal`), under
   * the dispute's id: the same dispute's movement booked twice is booked once. Not bounded by the
   * captures: the provider took it, and the books follow what the provider did. `fee` is the
   * provider's dispute fee for this movement (default: its published one, ../fees.ts).
   */
  dispute(paymentId: string, provider: string, kind: 'chargeback' | 'chargeback_reversal', amount: number, currency: string, disputeId: string, now: number, fee = disputeFee(provider, kind, amount, currency, this.fees)): boolean {
    const sign = kind === 'chargeback' ? 1 : -1;
    // The dispute fee (`fee`: positive charged with the chargeback, negative given back with the reversal) leaves through clearing too.
    return this.post(
      { paymentId, kind, currency, reference: disputeId, lines: [{ account: ACCOUNTS.chargebacks, amount: sign * amount }, { account: ACCOUNTS.fees(provider), amount: fee }, { account: ACCOUNTS.clearing(provider), amount: -sign * amount - fee }] },
      now,
    );
  }

  /** Whether a refund at `provider` takes a split's receiver share back with it (and the books book it). */
  reversesSplitsAt(provider: string): boolean {
    return this.#reversesSplits.has(provider);
  }

  /**
   * The shares of a refund of `amount` of a split payment whose transfer is booked: what the
   * receiver gives back (`receiver`) and the commission given back (`commission`), summing to the
   * amount. Proportional to the capture, as Stripe reverses a destination charge: the commission's
   * share rounded, the receiver's the rest; the refund that completes the capture takes exactly
   * what is left, so the shares never drift from the whole. Undefined when nothing was transferred.
   */
  refundSplitShares(paymentId: string, amount: number): { destination: string; receiver: number; commission: number } | undefined {
    const rows = this.#splitLines.all(paymentId);
    const transfer = rows.find((r) => r.kind === 'transfer' && r.account.startsWith(CONNECTED_PREFIX));
    if (!transfer) return undefined;
    const fee = -rows.filter((r) => r.kind === 'split' && r.account === ACCOUNTS.commission).reduce((s, r) => s + r.amount, 0);
    const feeBack = rows.filter((r) => r.kind === 'split_refund' && r.account === ACCOUNTS.commission).reduce((s, r) => s + r.amount, 0);
    const owedBack = rows.filter((r) => r.kind === 'split_refund' && r.account.startsWith(CONNECTED_PREFIX)).reduce((s, r) => s + r.amount, 0);
    const captured = this.captured(paymentId);
    const last = this.refunded(paymentId) + amount >= captured;
    const commission = last ? fee - feeBack : Math.min(fee - feeBack, Math.round((fee * amount) / captured));
    const receiver = Math.min(amount - commission, transfer.amount - owedBack);
    return { destination: transfer.account.slice(CONNECTED_PREFIX.length), receiver, commission: amount - receiver };
  }

  /** Minor units captured for the payment. */
  captured(paymentId: string): number {
    return 0 - (this.#sumKind.get(paymentId, 'capture', ACCOUNTS.shopper)?.total ?? 0);
  }

  /** Minor units refunded for the payment. */
  refunded(paymentId: string): number {
    return this.#sumKind.get(paymentId, 'refund', ACCOUNTS.refunds)?.total ?? 0;
  }

  /**
   * Minor units refunded for the payment by refunds known by their own id: `refunded` less what a
   * running total booked unnamed (refundTotal) — which may be a refund whose answer was lost.
   */
  refundedNamed(paymentId: string): number {
    return this.refunded(paymentId) - this.#unnamed(paymentId).amount;
  }

  /** An account's balance in one currency (debits positive). */
  balance(account: string, currency: string): number {
    return this.#balance.get(account, currency)?.total ?? 0;
  }

  /**
   * Every journal entry with its payment and lines, in booking order, optionally one provider's
   * and within [since, until) of booking time (epoch ms).
   */
  exportEntries(filter: { provider?: string; since?: number; until?: number } = {}): ExportedEntry[] {
    const rows = this.#export.all(filter.provider ?? null, filter.provider ?? null, filter.since ?? -8.64e15, filter.until ?? 8.64e15);
    const out: ExportedEntry[] = [];
    let current: { entryId: number; entry: ExportedEntry & { lines: JournalLine[] } } | undefined;
    for (const r of rows) {
      if (current?.entryId !== r.entry_id) {
        const entry = {
          paymentId: r.payment_id,
          orderId: r.order_id,
          provider: r.provider,
          ...(r.provider_payment_id ? { providerPaymentId: r.provider_payment_id } : {}),
          ...(r.provider_reference ? { providerReference: r.provider_reference } : {}),
          paymentMethod: r.payment_method,
          kind: r.kind,
          reference: r.reference,
          amount: 0,
          currency: r.currency,
          bookedAt: new Date(r.created_at).toISOString(),
          lines: [] as JournalLine[],
        };
        current = { entryId: r.entry_id, entry };
        out.push(entry);
      }
      if (r.account !== null && r.amount !== null) current.entry.lines.push({ account: r.account, amount: r.amount });
    }
    return out.map((e) => {
      // What moved: a capture's gross is what the shopper side was credited; a refund's, what the refunds account took.
      // A dispute's, what the chargebacks account took or gave back (its fee is not part of it).
      const amount =
        e.kind === 'capture' ? -sumOf(e.lines, ACCOUNTS.shopper)
        : e.kind === 'refund' ? sumOf(e.lines, ACCOUNTS.refunds)
        : e.kind === 'chargeback' || e.kind === 'chargeback_reversal' ? Math.abs(sumOf(e.lines, ACCOUNTS.chargebacks))
        : e.lines.filter((l) => l.amount > 0).reduce((s, l) => s + l.amount, 0);
      // The fee it booked: every capture of a provider whose fees are modelled states one (0 too, so
      // the reconciliation judges it); a refund, what it gave back (negative), when it did.
      const fee = e.kind === 'capture' || e.kind === 'refund' || e.kind === 'chargeback' || e.kind === 'chargeback_reversal' ? sumOf(e.lines, ACCOUNTS.fees(e.provider)) : 0;
      // A split's and a transfer's amount is the receiver's part (a split's positive line is the
      // sale it reverses, not what moved); the receiver and the commission are named beside it.
      const receiver = e.lines.find((l) => l.account.startsWith(CONNECTED_PREFIX));
      const split = e.kind === 'split' || e.kind === 'transfer' || e.kind === 'transfer_reversal' ? { amount: Math.abs(receiver?.amount ?? 0), ...(receiver ? { destination: receiver.account.slice(CONNECTED_PREFIX.length) } : {}), ...(e.kind === 'split' ? { commission: -sumOf(e.lines, ACCOUNTS.commission) } : {}) } : {};
      return { ...e, amount, ...(fee !== 0 || (e.kind === 'capture' && modelsFees(e.provider, this.fees)) ? { fee } : {}), ...split };
    });
  }

  /** Entries whose lines do not sum to zero (or have fewer than two lines): empty in a sound ledger. */
  unbalancedEntries(): Array<{ entryId: number; total: number }> {
    return this.#unbalanced.all().map((r) => ({ entryId: r.entry_id, total: r.total }));
  }
}

interface ExportRow {
  entry_id: number;
  payment_id: string;
  kind: string;
  currency: string;
  reference: string;
  created_at: number;
  order_id: string;
  provider: string;
  provider_payment_id: string | null;
  provider_reference: string | null;
  payment_method: string;
  account: string | null;
  amount: number | null;
}

const CONNECTED_PREFIX = ACCOUNTS.connected('');

function sumOf(lines: readonly JournalLine[], account: string): number {
  return lines.filter((l) => l.account === account).reduce((s, l) => s + l.amount, 0);
}
