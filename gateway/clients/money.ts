/**
 * Minor units → the decimal text wallets want (Alipay `total_amount` "12.34", PayPal `value`
 * "12.34"). The number of decimals is the currency's ISO 4217 minor unit: 2 unless listed here
 * (0 for yen, won …; 3 for the dinars and the rial of Oman).
 */
const EXPONENT: Readonly<Record<string, number>> = Object.freeze({
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
});

/** The currency's ISO 4217 minor unit: decimals after the point (2 unless listed above). */
export function currencyExponent(currency: string): number {
  return EXPONENT[currency.toUpperCase()] ?? 2;
}

export function minorToMajor(amount: number, currency: string): string {
  const exponent = EXPONENT[currency.toUpperCase()] ?? 2;
  if (exponent === 0) return String(amount);
  const sign = amount < 0 ? '-' : '';
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/**
 * The decimal text a wallet sends (Alipay `total_amount` "12.34", PayPal `value` "12.34") → minor
 * units, or undefined when it is not a plain decimal with at most the currency's decimals (a
 * notification's amount is read, never guessed).
 */
export function majorToMinor(text: string, currency: string): number | undefined {
  const exponent = EXPONENT[currency.toUpperCase()] ?? 2;
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m || (m[3] ?? '').length > exponent) return undefined;
  const minor = Number(`${m[2]}${(m[3] ?? '').padEnd(exponent, '0')}`);
  if (!Number.isSafeInteger(minor)) return undefined;
  return m[1] === '-' ? -minor : minor;
}
