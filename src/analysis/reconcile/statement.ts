import type { Mismatch, MismatchKind, Reconciliation, StatementRow } from './match.js';
import { MISMATCH_KINDS } from './match.js';
import { minorToMajorText } from './money.js';

/**
 * The reconciliation statement a finance person reads: one row per provider payment, both
 * sides in the currency's major units, what the provider pays out and when, and the status.
 * Filterable by order id, booking time and payment method.
 */
export interface StatementFilter {
  readonly orderId?: string;
  /** Epoch ms, inclusive: rows booked (or, for money the books lack, settled) at or after. */
  readonly since?: number;
  /** Epoch ms, exclusive. */
  readonly until?: number;
  readonly paymentMethod?: string;
}

export function filterRows(rows: readonly StatementRow[], filter: StatementFilter): StatementRow[] {
  return rows.filter((r) => {
    if (filter.orderId !== undefined && r.orderId !== filter.orderId) return false;
    if (filter.paymentMethod !== undefined && r.paymentMethod !== filter.paymentMethod) return false;
    if (filter.since !== undefined || filter.until !== undefined) {
      const at = r.bookedAt !== undefined ? Date.parse(r.bookedAt) : r.settlesOn !== undefined ? Date.parse(`${r.settlesOn}T00:00:00Z`) : undefined;
      if (at === undefined) return false;
      if (filter.since !== undefined && at < filter.since) return false;
      if (filter.until !== undefined && at >= filter.until) return false;
    }
    return true;
  });
}

const HEADERS = ['provider', 'order_id', 'provider_reference', 'payment_method', 'booked_at', 'currency', 'our_captured', 'our_refunded', 'our_charged_back', 'our_fee', 'provider_captured', 'provider_refunded', 'provider_charged_back', 'provider_fee', 'provider_net', 'our_split', 'provider_split', 'settlement_date', 'status', 'detail'];

export function statementCsv(rows: readonly StatementRow[]): string {
  const money = (n: number | undefined, currency: string) => (n === undefined ? '' : minorToMajorText(n, currency));
  const lines = [HEADERS.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.provider, r.orderId, r.providerRef, r.paymentMethod ?? '', r.bookedAt ?? '', r.currency,
        money(r.ourCaptured, r.currency), money(r.ourRefunded, r.currency), money(r.ourChargedBack, r.currency), money(r.ourFee, r.currency),
        money(r.theirCaptured, r.currency), money(r.theirRefunded, r.currency), money(r.theirChargedBack, r.currency), money(r.theirFee, r.currency), money(r.theirNet, r.currency),
        money(r.ourSplit, r.currency), money(r.theirSplit, r.currency),
        r.settlesOn ?? '', r.status.join(' '), [...r.mismatches.map((m) => m.message), ...(r.notYetDue ?? []).map((d) => d.message)].join('; '),
      ].map(field).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface ReconcileSummary {
  readonly payments: number;
  readonly matched: number;
  readonly mismatches: number;
  /** Payments with a movement the provider has scheduled for a later day (not a mismatch). */
  readonly notYetDue: number;
  readonly byKind: Readonly<Record<MismatchKind, number>>;
  readonly providers: readonly string[];
  readonly unreconciled: Readonly<Record<string, number>>;
}

export function summarise(result: Reconciliation, rows: readonly StatementRow[] = result.rows): ReconcileSummary {
  const all: Mismatch[] = rows.flatMap((r) => r.mismatches);
  const byKind = Object.fromEntries(MISMATCH_KINDS.map((k) => [k, all.filter((m) => m.kind === k).length])) as Record<MismatchKind, number>;
  return { payments: rows.length, matched: rows.filter((r) => r.mismatches.length === 0).length, mismatches: all.length, notYetDue: rows.filter((r) => (r.notYetDue?.length ?? 0) > 0).length, byKind, providers: result.providers, unreconciled: result.unreconciled };
}

/** One provider's share of a statement: its payments, how many matched, its mismatches by kind. */
export interface ProviderTally {
  readonly payments: number;
  readonly matched: number;
  readonly mismatches: number;
  readonly byKind: Readonly<Record<MismatchKind, number>>;
}

/**
 * The statement counted per provider (every kind present, zero or not, so files compare
 * column by column). Providers without a row are absent: the summary's `unreconciled` names
 * those that had book entries but no report.
 */
export function tallyByProvider(rows: readonly StatementRow[]): Record<string, ProviderTally> {
  const out: Record<string, { payments: number; matched: number; mismatches: number; byKind: Record<MismatchKind, number> }> = {};
  for (const r of rows) {
    const t = (out[r.provider] ??= { payments: 0, matched: 0, mismatches: 0, byKind: Object.fromEntries(MISMATCH_KINDS.map((k) => [k, 0])) as Record<MismatchKind, number> });
    t.payments++;
    if (r.mismatches.length === 0) t.matched++;
    t.mismatches += r.mismatches.length;
    for (const m of r.mismatches) t.byKind[m.kind]++;
  }
  return out;
}

/** The summary in a few lines of text. */
export function formatSummary(s: ReconcileSummary): string {
  const kinds = MISMATCH_KINDS.filter((k) => s.byKind[k] > 0).map((k) => `${k} ${s.byKind[k]}`);
  const skipped = Object.entries(s.unreconciled).map(([p, n]) => `${p} (${n} entries, no settlement report)`);
  return [
    `reconciled ${s.payments} payment(s) at ${s.providers.join(', ') || 'no provider'}: ${s.matched} matched, ${s.mismatches} mismatch(es)${kinds.length > 0 ? ` — ${kinds.join(', ')}` : ''}`,
    ...(s.notYetDue > 0 ? [`not yet due: ${s.notYetDue} payment(s) with movements the providers settle on a later day (see the statement's detail)`] : []),
    ...(skipped.length > 0 ? [`not reconciled: ${skipped.join(', ')}`] : []),
  ].join('\n');
}
