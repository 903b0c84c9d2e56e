import type { LedgerEntry } from './ledger.js';

/**
 * Settlement files: the ledger as the provider's own report would list it, so the invariant
 * checker can reconcile a gateway against "what the provider says it paid out". Each provider
 * supplies its columns; this file only knows CSV and money formatting.
 */
export interface SettlementColumn<T = LedgerEntry> {
  readonly header: string;
  value(row: T): string | number | undefined;
}

/** RFC 4180: quote a field when it holds a comma, quote or line break; CRLF line ends. */
export function toCsv<T = LedgerEntry>(columns: readonly SettlementColumn<T>[], entries: Iterable<T>): string {
  const lines = [columns.map((c) => csvField(c.header)).join(',')];
  for (const e of entries) lines.push(columns.map((c) => csvField(c.value(e))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// ISO 4217 currencies whose minor unit is not 1/100 (the ones a payment test is likely to use).
const EXPONENT: Readonly<Record<string, number>> = Object.freeze({
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
});

export function currencyExponent(currency: string): number {
  return EXPONENT[currency.toUpperCase()] ?? 2;
}

/** Minor units → the decimal text a report shows: (1050, 'eur') → "10.50"; (500, 'JPY') → "500". */
export function minorToMajor(amount: number, currency: string): string {
  const exp = currencyExponent(currency);
  if (exp === 0) return String(amount);
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).padStart(exp + 1, '0');
  return `${sign}${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}
