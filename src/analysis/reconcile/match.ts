import type { BookEntry } from './books.js';
import type { SettlementRecord } from './settlement-formats.js';

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
 *
 * Only providers with a report are judged; book entries of other providers are counted as not
 * reconciled, never as missing.
 */
export type MismatchKind = 'missing-ours' | 'missing-theirs' | 'amount-mismatch' | 'currency-mismatch' | 'duplicate' | 'fee-mismatch';
export const MISMATCH_KINDS: readonly MismatchKind[] = Object.freeze(['missing-ours', 'missing-theirs', 'amount-mismatch', 'currency-mismatch', 'duplicate', 'fee-mismatch']);

export interface Mismatch {
  readonly kind: MismatchKind;
  readonly provider: string;
  /** The provider's payment id. */
  readonly providerRef: string;
  /** The merchant order id (from the books; else the reference the provider echoes). */
  readonly orderId: string;
  /** Which money: the capture, the refunds, the chargebacks (net of reversals), the fee, or the payment as a whole. */
  readonly movement: 'capture' | 'refund' | 'chargeback' | 'chargeback_reversal' | 'fee' | 'payment';
  readonly currency: string;
  /** Minor units in the books / in the report, where they apply. */
  readonly ours?: number;
  readonly theirs?: number;
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
  /** What the provider pays out for it (captures − refunds − chargebacks + reversals − fees). */
  readonly theirNet: number;
  readonly settlesOn?: string;
  /** `matched`, or the mismatch kinds found, in MISMATCH_KINDS order. */
  readonly status: readonly ('matched' | MismatchKind)[];
  readonly mismatches: readonly Mismatch[];
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
}

/**
 * `providers` names the providers whose report was read — an empty report judges them too (every
 * booked payment is then missing on theirs); by default, those with at least one line.
 */
export function reconcile(books: readonly BookEntry[], settlements: readonly SettlementRecord[], reported?: readonly string[]): Reconciliation {
  const providers = [...new Set([...(reported ?? []), ...settlements.map((s) => s.provider)])].sort();
  const judged = new Set(providers);
  const unreconciled: Record<string, number> = {};
  const ours = new Map<string, OurPayment>();
  for (const e of books) {
    if (e.kind !== 'capture' && e.kind !== 'refund' && e.kind !== 'chargeback' && e.kind !== 'chargeback_reversal') continue;
    if (!judged.has(e.provider)) {
      unreconciled[e.provider] = (unreconciled[e.provider] ?? 0) + 1;
      continue;
    }
    const ref = e.providerPaymentId ?? e.providerReference ?? e.paymentId;
    const key = `${e.provider}\u0000${ref}`;
    let p = ours.get(key);
    if (!p) {
      p = { provider: e.provider, providerRef: ref, orderId: e.orderId, merchantRefs: new Set([e.orderId]), currency: e.currency.toUpperCase(), captured: 0, captures: 0, refunded: 0, refunds: 0, chargedBack: 0, disputeEntries: 0 };
      ours.set(key, p);
    }
    if (e.providerReference) p.merchantRefs.add(e.providerReference);
    if (e.paymentMethod) p.paymentMethod = e.paymentMethod;
    if (e.kind === 'capture') {
      p.captured += e.amount;
      p.captures++;
      p.bookedAt ??= e.bookedAt;
      if (e.fee !== undefined) p.fee = (p.fee ?? 0) + e.fee;
    } else if (e.kind === 'chargeback' || e.kind === 'chargeback_reversal') {
      p.chargedBack += e.kind === 'chargeback' ? e.amount : -e.amount;
      p.disputeEntries++;
      // A dispute fee (charged with the chargeback, given back with a won one's reversal) counts with the payment's fee, as the report's lines carry it.
      if (e.fee !== undefined && p.fee !== undefined) p.fee += e.fee;
    } else {
      p.refunded += e.amount;
      p.refunds++;
      // A fee given back with a refund (Alipay, WeChat Pay) counts against the capture's, as the report nets them.
      if (e.fee !== undefined && p.fee !== undefined) p.fee += e.fee;
    }
  }

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
    rows.push(compare(p, lines));
  }
  for (const [key, lines] of theirs) if (!used.has(key)) rows.push(unbooked(lines));
  return { rows, providers, unreconciled };
}

function compare(p: OurPayment, all: readonly SettlementRecord[]): StatementRow {
  const mismatches: Mismatch[] = [];
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
  if (lines.length === 0) {
    mismatches.push({ ...base, kind: 'missing-theirs', movement: 'payment', ours: p.captured - p.refunded, message: `${p.provider} settled nothing for ${p.providerRef} (order ${p.orderId}); the books hold ${p.captured} captured, ${p.refunded} refunded` });
  } else {
    const currencies = [...new Set(lines.map((l) => l.currency))];
    if (currencies.some((c) => c !== p.currency)) {
      mismatches.push({ ...base, kind: 'currency-mismatch', movement: 'payment', message: `${p.provider} settled ${p.providerRef} in ${currencies.join(', ')}; the books say ${p.currency}` });
    }
    for (const [movement, ourAmount, theirAmount, ourCount] of [['capture', p.captured, theirCaptured, p.captures], ['refund', p.refunded, theirRefunded, p.refunds], ['chargeback', p.chargedBack, theirChargedBack, p.disputeEntries]] as const) {
      if (ourAmount === theirAmount) continue;
      const kind = theirAmount === 0 && ourCount > 0 ? 'missing-theirs' : ourAmount === 0 ? 'missing-ours' : 'amount-mismatch';
      mismatches.push({ ...base, kind, movement, ours: ourAmount, theirs: theirAmount, message: `${movement}s of ${p.providerRef} (order ${p.orderId}): books ${ourAmount}, ${p.provider} ${theirAmount} ${p.currency}` });
    }
    if (p.fee !== undefined && p.fee !== theirFee) {
      mismatches.push({ ...base, kind: 'fee-mismatch', movement: 'fee', ours: p.fee, theirs: theirFee, message: `fee on ${p.providerRef} (order ${p.orderId}): books expect ${p.fee}, ${p.provider} kept ${theirFee} ${p.currency}` });
    }
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
    theirNet,
    ...settledOn(lines),
    status: statusOf(mismatches),
    mismatches,
  };
}

/** A provider payment the books do not have at all. */
function unbooked(all: readonly SettlementRecord[]): StatementRow {
  const first = all[0]!;
  const { lines, duplicates } = setAsideDuplicates(all);
  const captured = lines.filter((l) => l.kind === 'capture').reduce((s, l) => s + l.amount, 0);
  const refunded = lines.filter((l) => l.kind === 'refund').reduce((s, l) => s + l.amount, 0);
  const base = { provider: first.provider, providerRef: first.providerRef, orderId: first.merchantRef ?? '', currency: first.currency };
  const mismatches: Mismatch[] = [
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
    theirChargedBack: lines.filter((l) => l.kind === 'chargeback').reduce((s, l) => s + l.amount, 0) - lines.filter((l) => l.kind === 'chargeback_reversal').reduce((s, l) => s + l.amount, 0),
    theirNet: lines.reduce((s, l) => s + l.net, 0),
    ...settledOn(lines),
    status: statusOf(mismatches),
    mismatches,
  };
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
