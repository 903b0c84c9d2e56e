import type { FormObject, FormValue, ErrorResponse } from '../core/index.js';
import { invalidCurrencyMessage, isStripeCurrency } from './currencies.js';
import { invalidRequest } from './errors.js';

/**
 * Reading form parameters the way Stripe validates them: every value arrives as a string, and a
 * wrong one is a 400 `invalid_request_error` naming the `param`.
 */
export function bodyOf(body: unknown): FormObject {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as FormObject) : {};
}

export function optionalString(params: FormObject, name: string): string | undefined {
  const v = params[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export type Check = ErrorResponse | undefined;

export function checkPositiveInteger(params: FormObject, name: string, required: boolean): Check {
  const v = params[name];
  if (v === undefined) return required ? invalidRequest(`Missing required param: ${name}.`, 'parameter_missing', name) : undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < 1) return invalidRequest(`Invalid integer: ${typeof v === 'string' ? v : 'object'}`, 'parameter_invalid_integer', name);
  if (Number(v) > 99_999_999) return invalidRequest('Amount must be no more than 999,999.99', 'amount_too_large', name);
  return undefined;
}

export function checkEnum(params: FormObject, name: string, allowed: readonly string[]): Check {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !allowed.includes(v)) return invalidRequest(`Invalid ${name}: must be one of ${allowed.join(', ')}`, 'parameter_invalid_string', name);
  return undefined;
}

export function checkBoolean(params: FormObject, name: string): Check {
  return checkEnum(params, name, ['true', 'false']);
}

/** `currency`: one of the ISO 4217 codes Stripe supports (currencies.ts), in any case. */
export function checkCurrency(params: FormObject, required: boolean): Check {
  const v = params.currency;
  if (v === undefined) return required ? invalidRequest('Missing required param: currency.', 'parameter_missing', 'currency') : undefined;
  if (typeof v !== 'string' || !isStripeCurrency(v)) return invalidRequest(invalidCurrencyMessage(typeof v === 'string' ? v : 'object'), 'parameter_invalid_string', 'currency');
  return undefined;
}

/** `metadata[k]=v`: an object of strings, keys ≤ 40 characters, values ≤ 500. */
export function checkMetadata(params: FormObject): Check {
  const v: FormValue | undefined = params.metadata;
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) return invalidRequest('Invalid object', 'parameter_invalid_object', 'metadata');
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') return invalidRequest('Invalid object', 'parameter_invalid_object', `metadata[${k}]`);
    if (k.length > 40) return invalidRequest('Metadata keys can have at most 40 characters.', 'parameter_invalid_string', `metadata[${k}]`);
    if (val.length > 500) return invalidRequest('Metadata values can have at most 500 characters.', 'parameter_invalid_string', `metadata[${k}]`);
  }
  return undefined;
}

export function metadataOf(params: FormObject): Record<string, string> {
  const v = params.metadata;
  return v && typeof v === 'object' && !Array.isArray(v) ? { ...(v as Record<string, string>) } : {};
}

/** The first failing check, in the order given: Stripe reports one problem per request. */
export function firstProblem(...checks: Check[]): Check {
  return checks.find((c) => c !== undefined);
}
