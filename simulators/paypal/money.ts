import { currencyExponent, minorToMajor } from '../core/index.js';

/** PayPal amounts are decimal strings in the currency's exponent ("10.00", JPY "1000"). */
export function parseValue(value: unknown, currency: string): number | undefined {
  const exp = currencyExponent(currency);
  if (typeof value !== 'string' || !new RegExp(`^\\d{1,10}${exp > 0 ? `(\\.\\d{1,${exp}})?` : ''}$`).test(value)) return undefined;
  const [whole, frac = ''] = value.split('.');
  return Number(whole) * 10 ** exp + Number(frac.padEnd(exp, '0') || '0');
}

export const money = (value: number, currency: string) => ({ currency_code: currency, value: minorToMajor(value, currency) });
