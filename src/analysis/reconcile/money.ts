import { paychaosError } from '../../kernel/index.js';

// ISO 4217 currencies whose minor unit is not 1/100: reports state amounts in major units, the
// books in minor ones. (An independent table: reconciliation reads providers' files the way a
// finance tool would, without the simulators' code.)
const EXPONENT: Readonly<Record<string, number>> = Object.freeze({
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
});

export function exponentOf(currency: string): number {
  return EXPONENT[currency.toUpperCase()] ?? 2;
}

/** "10.50" EUR → 1050; "-0.5" → -50; "1234" JPY → 1234. Exact (string arithmetic, no floats). */
export function majorToMinor(text: string, currency: string, where: string): number {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  const exp = exponentOf(currency);
  if (!m || (m[3] ?? '').length > exp) {
    throw paychaosError('PAYCHAOS_ERR_RECONCILE_BAD_SETTLEMENT', `${where}: expected an amount in ${currency.toUpperCase()} with at most ${exp} decimals, got "${text}"`, { field: where });
  }
  const minor = Number(m[2]) * 10 ** exp + Number((m[3] ?? '').padEnd(exp, '0') || '0');
  return m[1] === '-' ? -minor : minor;
}

/** 1050 EUR → "10.50". */
export function minorToMajorText(amount: number, currency: string): string {
  const exp = exponentOf(currency);
  if (exp === 0) return String(amount);
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).padStart(exp + 1, '0');
  return `${sign}${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}
