import type { BookEntry } from './books.js';
import { SPLIT_REPORTING_PROVIDERS, isSplitKind, type SettlementRecord } from './settlement-formats.js';

/**
 * Reconciliation: the gateway's books against each provider's settlement report, payment by
 * payment, net of refunds and chargebacks.
 *
 *   books (capture/refund entries) ─┐  group per provider payment: by the provider's payment id,
 *                                   ├─ else the merchant reference the provider echoes ─► compare
 *   settlement lines ───────────────┘
 *
 * For each payment the captured and the refunded totals are compared separately (a refund is not
 * a discrepancy; a refund on one side only is), and so is what disputes took net of what they gave
 * back (chargebacks − reversals), after setting aside lines listed twice (same movement, same
 * amount). Kinds of mismatch:
 *
 *   missing-ours      the provider settled money the books do not have
 *   missing-theirs    the books have money (a capture, or refunds) the report does not list
 *   amount-mismatch   both have it, for different amounts
 *   currency-mismatch both have it, in different currencies
 *   duplicate         the report lists one movement more than once
 *   fee-mismatch      the books state the fee they expect, and the provider kept another (the
 *                     capture's, net of what refunds gave back, plus dispute fees net of returns)
 *   split-mismatch    a marketplace order's split: the receiver's part the books hold (transfer
 *                     entries, net of reversals) differs from what the provider paid it over
 *                     (the sale transferred net of the commission taken back) — the books lack
 *                     the split, the provider lacks it, or the amounts differ
 *
 * Splits are judged only at providers whose report lists them (SPLIT_REPORTING_PROVIDERS: Stripe's
 * Connect categories, Alipay's and WeChat Pay's 分账 rows); elsewhere a booked split is not compared. A split's lines never count as
 * captures or refunds. Only providers with a report are judged; book entries of other providers
 * are counted as not reconciled, never as missing.
 *
 * A movement the books hold and the report does not may simply not be due yet: the provider pays
 * it out on its cycle (T+1, T+7 …, on its own clock). Given the provider's pending movements (the
 * same format, each at its scheduled day), a gap they cover exactly is `not-yet-due` — reported
 * apart, with the day it settles, and not a mismatch. A movement whose day has passed and which
 * the report still lacks (a late file) is in neither list: it stays `missing-theirs`.
 */
export type MismatchKind = 'missing-ours' | 'missing-theirs' | 'amount-mismatch' | 'currency-mismatch' | 'duplicate' | 'fee-mismatch' | 'split-mismatch';
export const MISMATCH_KINDS: readonly MismatchKind[] = Object.freeze(['missing-ours', 'missing-theirs', 'amount-mismatch', 'currency-mismatch', 'duplicate', 'fee-mismatch', 'split-mismatch']);

export interface Mismatch {
  readonly kind: MismatchKind;
  readonly provider: string;
  /** The provider's payment id. */
  readonly providerRef: string;
  /** The merchant order id (from the books; else the reference the provider echoes). */
  readonly orderId: string;
  /** Which money: the capture, the refunds, the chargebacks (net of reversals), the fee, or the payment as a whole. */
  readonly movement: 'capture' | 'refund' | 'chargeback' | 'chargeback_reversal' | 'fee' | 'payment' | 'split' | 'split_reversal' | 'commission' | 'commission_refund';
  readonly currency: string;
  /** Minor units in the books / in the report, where they apply. */
  readonly ours?: number;
  readonly theirs?: number;
  readonly message: string;
}

/** A movement of the books the provider has scheduled but not yet paid out at the report's cut-off. */
export interface NotYetDue {
  readonly movement: 'capture' | 'refund' | 'chargeback';
  /** Minor units still to come (net of reversals for chargebacks). */
  readonly amount: number;
  /** The provider's settlement day for it, YYYY-MM-DD (the latest, if several). */
  readonly settlesOn: string;
  readonly message: string;
}

/** One payment as the statement shows it: both sides, and its status. */
export interface StatementRow {
  readonly provider: string;
  readonly orderId: string;
  readonly providerRef: string;
  readonly paymentMethod?: string;
  /** When the gateway booked the capture (ISO), when it did. */
  readonly bookedAt?: string;
  readonly currency: string;
  readonly ourCaptured: number;
  readonly ourRefunded: number;
  readonly ourFee?: number;
  readonly theirCaptured: number;
  readonly theirRefunded: number;
  readonly theirFee: number;
  /** What disputes took, net of what they gave back (minor units), on each side. */
  readonly ourChargedBack: number;
  readonly theirChargedBack: number;
  /**
   * A split's part owed to its receiver, net of reversals: booked (transfer entries), and paid over
   * by the provider (transfers − commission taken back − reversals + commission refunds). Present
   * where there is one on that side and the provider's report lists splits.
   */
  readonly ourSplit?: number;
  readonly theirSplit?: number;
  /** What the provider pays out for it (captures − refunds − chargebacks + reversals − fees − what a split paid over). */
  readonly theirNet: number;
  readonly settlesOn?: string;
  /** `matched`, or the mismatch kinds found in MISMATCH_KINDS order; `not-yet-due` (last) when some of it is still to settle. */
  readonly status: readonly ('matched' | MismatchKind | 'not-yet-due')[];
  readonly mismatches: readonly Mismatch[];
  /** Movements the provider has scheduled for a later day: not mismatches (absent when none). */
  readonly notYetDue?: readonly NotYetDue[];
}

export interface Reconciliation {
  readonly rows: readonly StatementRow[];
  /** Providers whose report was read. */
  readonly providers: readonly string[];
  /** Book entries of providers without a report: not judged. */
  readonly unreconciled: Readonly<Record<string, number>>;
}

interface OurPayment {
  provider: string;
  providerRef: string;
  orderId: string;
  merchantRefs: Set<string>;
  paymentMethod?: string;
  bookedAt?: string;
  currency: string;
  captured: number;
  captures: number;
  refunded: number;
  refunds: number;
  /** Chargebacks − reversals, and how many such entries. */
  chargedBack: number;
  disputeEntries: number;
  fee?: number;
  /**
   * Fees booked with refunds and disputes. Added to `fee` once every entry is read: the books are
   * order-free (a chargeback notification can land before the capture's), so a dispute fee booked
   * before the capture still counts with the capture's fee.
   */
  laterFees: number;
  /** The receiver's part booked (transfer − transfer_reversal entries), when any such entry is. */
  split?: number;
}

/**
 * `providers` names the providers whose report was read — an empty report judges them too (every
 * booked payment is then missing on theirs); by default, those with at least one line. `pending`:
 * the providers' movements not yet due at their reports' cut-off.
 */
export function reconcile(books: readonly BookEntry[], settlements: readonly SettlementRecord[], reported?: readonly string[], pending: readonly SettlementRecord[] = []): Reconciliation {
  const providers = [...new Set([...(reported ?? []), ...settlements.map((s) => s.provider)])].sort();
  const judged = new Set(providers);
  const unreconciled: Record<string, number> = {};
  const ours = new Map<string, OurPayment>();
  for (const e of books) {
    if (e.kind !== 'capture' && e.kind !== 'refund' && e.kind !== 'chargeback' && e.kind !== 'chargeback_reversal' && e.kind !== 'transfer' && e.kind !== 'transfer_reversal') continue;
    if (!judged.has(e.provider)) {
      unreconciled[e.provider] = (unreconciled[e.provider] ?? 0) + 1;
      continue;
    }
    const ref = e.providerPaymentId ?? e.providerReference ?? e.paymentId;
    const key = `${e.provider}\u0000${ref}`;
    let p = ours.get(key);
    if (!p) {
      p = { provider: e.provider, providerRef: ref, orderId: e.orderId, merchantRefs: new Set([e.orderId]), currency: e.currency.toUpperCase(), captured: 0, captures: 0, refunded: 0, refunds: 0, chargedBack: 0, disputeEntries: 0, laterFees: 0 };
      ours.set(key, p);
    }
    if (e.providerReference) p.merchantRefs.add(e.providerReference);
    if (e.paymentMethod) p.paymentMethod = e.paymentMethod;
    if (e.kind === 'transfer' || e.kind === 'transfer_reversal') {
      p.split = (p.split ?? 0) + (e.kind === 'transfer' ? e.amount : -e.amount);
    } else if (e.kind === 'capture') {
      p.captured += e.amount;
      p.captures++;
      p.bookedAt ??= e.bookedAt;
      if (e.fee !== undefined) p.fee = (p.fee ?? 0) + e.fee;
    } else if (e.kind === 'chargeback' || e.kind === 'chargeback_reversal') {
      p.chargedBack += e.kind === 'chargeback' ? e.amount : -e.amount;
      p.disputeEntries++;
      // A dispute fee (charged with the chargeback, given back with a won one's reversal) counts with the payment's fee, as the report's lines carry it.
      if (e.fee !== undefined) p.laterFees += e.fee;
    } else {
      p.refunded += e.amount;
      p.refunds++;
      // A fee given back with a refund (Alipay, WeChat Pay) counts against the capture's, as the report nets them.
      if (e.fee !== undefined) p.laterFees += e.fee;
    }
  }
  // Counted only where the books state the capture's fee: without it the books expect no fee at all.
  for (const p of ours.values()) if (p.fee !== undefined) p.fee += p.laterFees;

  // Their lines per provider payment, and an index by the merchant reference they echo.
  const theirs = new Map<string, SettlementRecord[]>();
  const byMerchantRef = new Map<string, string>();
  for (const s of settlements) {
    const key = `${s.provider}\u0000${s.providerRef}`;
    const list = theirs.get(key);
    if (list) list.push(s);
    else theirs.set(key, [s]);
    if (s.merchantRef !== undefined) byMerchantRef.set(`${s.provider}\u0000${s.merchantRef}`, key);
  }
  // Pending movements per provider payment, found the same way.
  const scheduled = new Map<string, SettlementRecord[]>();
  const scheduledByRef = new Map<string, string>();
  for (const s of pending) {
    const key = `${s.provider}\u0000${s.providerRef}`;
    const list = scheduled.get(key);
    if (list) list.push(s);
    else scheduled.set(key, [s]);
    if (s.merchantRef !== undefined) scheduledByRef.set(`${s.provider}\u0000${s.merchantRef}`, key);
  }

  const rows: StatementRow[] = [];
  const used = new Set<string>();
  for (const p of ours.values()) {
    let key = `${p.provider}\u0000${p.providerRef}`;
    if (!theirs.has(key)) {
      const viaRef = [...p.merchantRefs].map((r) => byMerchantRef.get(`${p.provider}\u0000${r}`)).find((k) => k !== undefined && !used.has(k));
      if (viaRef !== undefined) key = viaRef;
    }
    const lines = theirs.get(key) ?? [];
    if (lines.length > 0) used.add(key);
    const ownKey = `${p.provider}\u0000${p.providerRef}`;
    const laterKey = scheduled.has(ownKey) ? ownKey : [...p.merchantRefs].map((r) => scheduledByRef.get(`${p.provider}\u0000${r}`)).find((k) => k !== undefined);
    rows.push(compare(p, lines, laterKey !== undefined ? (scheduled.get(laterKey) ?? []) : []));
  }
  for (const [key, lines] of theirs) if (!used.has(key)) rows.push(unbooked(lines));
  return { rows, providers, unreconciled };
}

function compare(p: OurPayment, all: readonly SettlementRecord[], later: readonly SettlementRecord[]): StatementRow {
  const mismatches: Mismatch[] = [];
  const notYetDue: NotYetDue[] = [];
  const base = { provider: p.provider, providerRef: p.providerRef, orderId: p.orderId, currency: p.currency };
  const { lines, duplicates } = setAsideDuplicates(all);
  for (const d of duplicates) {
    mismatches.push({ ...base, kind: 'duplicate', movement: d.kind, theirs: d.amount, message: `${p.provider} lists ${d.kind} ${d.movementRef} of ${d.amount} ${d.currency} more than once (${d.source})` });
  }
  const sum = (kind: SettlementRecord['kind']) => lines.filter((l) => l.kind === kind).reduce((s, l) => s + l.amount, 0);
  const theirCaptured = sum('capture');
  const theirRefunded = sum('refund');
  const theirChargedBack = sum('chargeback') - sum('chargeback_reversal');
  const theirFee = lines.reduce((s, l) => s + l.fee, 0);
  const theirNet = lines.reduce((s, l) => s + l.net, 0);
  const laterOf = (kind: SettlementRecord['kind']) => later.filter((l) => l.kind === kind);
  const laterAmount = (kind: SettlementRecord['kind']) => laterOf(kind).reduce((s, l) => s + l.amount, 0);
  if (lines.length === 0 && later.length === 0) {
    mismatches.push({ ...base, kind: 'missing-theirs', movement: 'payment', ours: p.captured - p.refunded, message: `${p.provider} settled nothing for ${p.providerRef} (order ${p.orderId}); the books hold ${p.captured} captured, ${p.refunded} refunded` });
  } else {
    const currencies = [...new Set([...lines, ...later].map((l) => l.currency))];
    if (currencies.some((c) => c !== p.currency)) {
      mismatches.push({ ...base, kind: 'currency-mismatch', movement: 'payment', message: `${p.provider} settled ${p.providerRef} in ${currencies.join(', ')}; the books say ${p.currency}` });
    }
    for (const [movement, ourAmount, theirAmount, ourCount] of [['capture', p.captured, theirCaptured, p.captures], ['refund', p.refunded, theirRefunded, p.refunds], ['chargeback', p.chargedBack, theirChargedBack, p.disputeEntries]] as const) {
      if (ourAmount === theirAmount) continue;
      // The gap is exactly what the provider has scheduled for a later day: not yet due, not missing.
      const toCome = movement === 'chargeback' ? laterAmount('chargeback') - laterAmount('chargeback_reversal') : laterAmount(movement);
      const kinds: readonly SettlementRecord['kind'][] = movement === 'chargeback' ? ['chargeback', 'chargeback_reversal'] : [movement];
      const settlesOn = toCome !== 0 ? (latestDay(later.filter((l) => kinds.includes(l.kind))) ?? 'a day the provider did not state') : undefined;
      if (settlesOn !== undefined && theirAmount + toCome === ourAmount) {
        notYetDue.push({ movement, amount: toCome, settlesOn, message: `${movement} of ${toCome} ${p.currency} on ${p.providerRef} (order ${p.orderId}): not yet due, settles ${settlesOn}` });
        continue;
      }
      // What the provider states in all (paid out and scheduled) is what disagrees with the books.
      const stated = theirAmount + toCome;
      const kind = stated === 0 && ourCount > 0 ? 'missing-theirs' : ourAmount === 0 ? 'missing-ours' : 'amount-mismatch';
      const scheduledPart = settlesOn !== undefined ? ` (${toCome} of it not yet due, settles ${settlesOn})` : '';
      mismatches.push({ ...base, kind, movement, ours: ourAmount, theirs: stated, message: `${movement}s of ${p.providerRef} (order ${p.orderId}): books ${ourAmount}, ${p.provider} ${stated}${scheduledPart} ${p.currency}` });
    }
    // The fee of what is still to come is known already (the provider states it when it schedules).
    const feeStated = theirFee + later.reduce((s, l) => s + l.fee, 0);
    if (p.fee !== undefined && p.fee !== feeStated) {
      mismatches.push({ ...base, kind: 'fee-mismatch', movement: 'fee', ours: p.fee, theirs: feeStated, message: `fee on ${p.providerRef} (order ${p.orderId}): books expect ${p.fee}, ${p.provider} kept ${feeStated} ${p.currency}` });
    }
  }
  // What the provider states it paid over, settled or scheduled: a split not yet due is still stated.
  const split = splitOf(p.provider, [...lines, ...later]);
  // Where the provider states nothing at all, missing-theirs already says so, split or not.
  if (lines.length + later.length > 0 && SPLIT_REPORTING_PROVIDERS.includes(p.provider) && (p.split ?? 0) !== (split ?? 0)) {
    const message =
      split === undefined
        ? `split of ${p.providerRef} (order ${p.orderId}): the books owe its receiver ${p.split} ${p.currency}, ${p.provider} paid nothing over (no transfer)`
        : p.split === undefined
          ? `split of ${p.providerRef} (order ${p.orderId}): ${p.provider} paid a receiver ${split} ${p.currency}, the books hold no split`
          : `split of ${p.providerRef} (order ${p.orderId}): books owe the receiver ${p.split}, ${p.provider} paid over ${split} ${p.currency}`;
    mismatches.push({ ...base, kind: 'split-mismatch', movement: 'split', ...(p.split !== undefined ? { ours: p.split } : {}), ...(split !== undefined ? { theirs: split } : {}), message });
  }
  return {
    ...base,
    ...(p.paymentMethod !== undefined ? { paymentMethod: p.paymentMethod } : {}),
    ...(p.bookedAt !== undefined ? { bookedAt: p.bookedAt } : {}),
    ourCaptured: p.captured,
    ourRefunded: p.refunded,
    ...(p.fee !== undefined ? { ourFee: p.fee } : {}),
    theirCaptured,
    theirRefunded,
    theirFee,
    ourChargedBack: p.chargedBack,
    theirChargedBack,
    ...(p.split !== undefined ? { ourSplit: p.split } : {}),
    ...(split !== undefined ? { theirSplit: split } : {}),
    theirNet,
    ...settledOn(lines),
    status: notYetDue.length > 0 ? [...statusOf(mismatches).filter((s) => s !== 'matched'), 'not-yet-due'] : statusOf(mismatches),
    mismatches,
    ...(notYetDue.length > 0 ? { notYetDue } : {}),
  };
}

function latestDay(lines: readonly SettlementRecord[]): string | undefined {
  return settledOn(lines).settlesOn;
}

/** A provider payment the books do not have at all. */
function unbooked(all: readonly SettlementRecord[]): StatementRow {
  const first = all[0]!;
  const { lines, duplicates } = setAsideDuplicates(all);
  const captured = lines.filter((l) => l.kind === 'capture').reduce((s, l) => s + l.amount, 0);
  const refunded = lines.filter((l) => l.kind === 'refund').reduce((s, l) => s + l.amount, 0);
  const base = { provider: first.provider, providerRef: first.providerRef, orderId: first.merchantRef ?? '', currency: first.currency };
  const split = splitOf(first.provider, lines);
  const mismatches: Mismatch[] = [
    ...(split !== undefined ? [{ ...base, kind: 'split-mismatch' as const, movement: 'split' as const, theirs: split, message: `split of ${first.providerRef}: ${first.provider} paid a receiver ${split} ${first.currency} for a payment the books do not have (${first.source})` }] : []),
    { ...base, kind: 'missing-ours', movement: 'payment', theirs: captured - refunded, message: `${first.provider} settled ${first.providerRef} (${first.merchantRef ?? 'no merchant reference'}: ${captured} captured, ${refunded} refunded ${first.currency}) but the books have no such payment (${first.source})` },
    ...duplicates.map((d): Mismatch => ({ ...base, kind: 'duplicate', movement: d.kind, theirs: d.amount, message: `${d.provider} lists ${d.kind} ${d.movementRef} of ${d.amount} ${d.currency} more than once (${d.source})` })),
  ];
  return {
    ...base,
    ourCaptured: 0,
    ourRefunded: 0,
    theirCaptured: captured,
    theirRefunded: refunded,
    theirFee: lines.reduce((s, l) => s + l.fee, 0),
    ourChargedBack: 0,
    ...(split !== undefined ? { theirSplit: split } : {}),
    theirChargedBack: lines.filter((l) => l.kind === 'chargeback').reduce((s, l) => s + l.amount, 0) - lines.filter((l) => l.kind === 'chargeback_reversal').reduce((s, l) => s + l.amount, 0),
    theirNet: lines.reduce((s, l) => s + l.net, 0),
    ...settledOn(lines),
    status: statusOf(mismatches),
    mismatches,
  };
}

/**
 * What the provider paid a split's receiver for one payment, net (the sale transferred, less the
 * commission taken back, less reversals, plus commission refunds); undefined when its lines hold
 * no split movement or its report does not list splits.
 */
function splitOf(provider: string, lines: readonly SettlementRecord[]): number | undefined {
  if (!SPLIT_REPORTING_PROVIDERS.includes(provider)) return undefined;
  const moves = lines.filter((l) => isSplitKind(l.kind));
  if (moves.length === 0) return undefined;
  const sign = { split: 1, split_reversal: -1, commission: -1, commission_refund: 1 } as const;
  return moves.reduce((s, l) => s + sign[l.kind as keyof typeof sign] * l.amount, 0);
}

/** The second and later copies of one movement (same kind, movement id and amount). */
function setAsideDuplicates(all: readonly SettlementRecord[]): { lines: SettlementRecord[]; duplicates: SettlementRecord[] } {
  const seen = new Set<string>();
  const lines: SettlementRecord[] = [];
  const duplicates: SettlementRecord[] = [];
  for (const l of all) {
    const id = `${l.kind}\u0000${l.movementRef}\u0000${l.amount}`;
    if (seen.has(id)) duplicates.push(l);
    else {
      seen.add(id);
      lines.push(l);
    }
  }
  return { lines, duplicates };
}

function settledOn(lines: readonly SettlementRecord[]): { settlesOn?: string } {
  const days = lines.map((l) => l.settlesOn).filter((d): d is string => d !== undefined).sort();
  return days.length > 0 ? { settlesOn: days.at(-1)! } : {};
}

function statusOf(mismatches: readonly Mismatch[]): readonly ('matched' | MismatchKind)[] {
  if (mismatches.length === 0) return ['matched'];
  const kinds = new Set(mismatches.map((m) => m.kind));
  return MISMATCH_KINDS.filter((k) => kinds.has(k));
}
