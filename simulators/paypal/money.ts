import { currencyExponent, minorToMajor } from '../core/index.js';

/**
 * PayPal amounts are decimal strings in the currency's exponent ("10.00", JPY "1000"). A value is
 * judged as PayPal's Orders and Payments APIs judge it (their OpenAPI: `value` matches
 * `^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$`, at most 999999999999999.99):
 *
 *   not that syntax (a number, "ten", "1,00")  ─▶ 400 INVALID_PARAMETER_SYNTAX
 *   decimals in a zero-decimal currency (JPY)   ─▶ 422 DECIMALS_NOT_SUPPORTED
 *   more decimals than the currency has         ─▶ 422 DECIMAL_PRECISION
 *   zero or negative                            ─▶ 422 CANNOT_BE_ZERO_OR_NEGATIVE
 *   too large                                   ─▶ 422 MAX_VALUE_EXCEEDED
 */
export type ParsedValue = { readonly ok: true; readonly minor: number } | { readonly ok: false; readonly issue: string };

const SYNTAX = /^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$/;
const MAX_WHOLE_DIGITS = 15;

export function parseAmountValue(value: unknown, currency: string): ParsedValue {
  if (typeof value !== 'string' || !SYNTAX.test(value)) return { ok: false, issue: 'INVALID_PARAMETER_SYNTAX' };
  const exp = currencyExponent(currency);
  const negative = value.startsWith('-');
  const [whole = '', frac = ''] = (negative ? value.slice(1) : value).split('.');
  if (value.includes('.') && exp === 0) return { ok: false, issue: 'DECIMALS_NOT_SUPPORTED' };
  if (frac.length > exp) return { ok: false, issue: 'DECIMAL_PRECISION' };
  if (whole.replace(/^0+/, '').length > MAX_WHOLE_DIGITS) return { ok: false, issue: 'MAX_VALUE_EXCEEDED' };
  const minor = Number(whole || '0') * 10 ** exp + Number(frac.padEnd(exp, '0') || '0');
  if (negative || minor <= 0) return { ok: false, issue: 'CANNOT_BE_ZERO_OR_NEGATIVE' };
  return { ok: true, minor };
}

/** The minor units of a well-formed positive value, else undefined. */
export function parseValue(value: unknown, currency: string): number | undefined {
  const parsed = parseAmountValue(value, currency);
  return parsed.ok ? parsed.minor : undefined;
}

export const money = (value: number, currency: string) => ({ currency_code: currency, value: minorToMajor(value, currency) });
