import type { ErrorResponse } from '../core/index.js';
import type { PaypalContext } from './context.js';
import { parseAmountValue } from './money.js';
import type { OrderIntent, PurchaseUnit } from './objects.js';

/**
 * The `purchase_units` of an order, checked as PayPal checks them: 1 to 10 units; with more than
 * one, each names a unique `reference_id`; one currency for the whole order; intent AUTHORIZE
 * takes a single unit. What the simulator does not model (description, items, shipping,
 * soft_descriptor, payee …) is kept as sent and echoed back.
 */
export const MAX_PURCHASE_UNITS = 10;

type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const MODELLED = new Set(['reference_id', 'amount', 'invoice_id', 'custom_id', 'payments']);

/** PayPal names a field of a unit by its reference id: `/purchase_units/@reference_id=='default'/amount`. */
export const unitPath = (referenceId: string, field: string): string => `/purchase_units/@reference_id=='${referenceId}'/${field}`;

/** An `amount` object → minor units and currency, or PayPal's answer naming the field. */
export function parseAmount(ctx: PaypalContext, amount: unknown, field: string): { value: number; currency: string } | ErrorResponse {
  if (!isObject(amount)) return ctx.errors.issue('MISSING_REQUIRED_PARAMETER', { field });
  const currency = amount.currency_code;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return ctx.errors.issue('INVALID_CURRENCY_CODE', { field: `${field}/currency_code` });
  const parsed = parseAmountValue(amount.value, currency);
  if (!parsed.ok) return ctx.errors.issue(parsed.issue, { field: `${field}/value` });
  return { value: parsed.minor, currency };
}

export const isError = (v: unknown): v is ErrorResponse => isObject(v) && typeof v.status === 'number' && 'body' in v;

export function parseIntent(ctx: PaypalContext, intent: unknown): OrderIntent | ErrorResponse {
  if (intent === 'CAPTURE' || intent === 'AUTHORIZE') return intent;
  return ctx.errors.issue(intent === undefined ? 'MISSING_REQUIRED_PARAMETER' : 'INVALID_PARAMETER_VALUE', { field: '/intent', description: 'intent must be CAPTURE or AUTHORIZE.' });
}

export function parseUnits(ctx: PaypalContext, raw: unknown, intent: OrderIntent): PurchaseUnit[] | ErrorResponse {
  if (!Array.isArray(raw)) return ctx.errors.issue('MISSING_REQUIRED_PARAMETER', { field: '/purchase_units' });
  if (raw.length === 0) return ctx.errors.issue('INVALID_ARRAY_MIN_ITEMS', { field: '/purchase_units', description: 'At least one purchase unit is required.' });
  if (raw.length > MAX_PURCHASE_UNITS) return ctx.errors.issue('INVALID_ARRAY_MAX_ITEMS', { field: '/purchase_units', description: `At most ${MAX_PURCHASE_UNITS} purchase units.` });
  if (intent === 'AUTHORIZE' && raw.length > 1) return ctx.errors.issue('UNSUPPORTED_INTENT', { field: '/intent' });
  const units: PurchaseUnit[] = [];
  const seen = new Set<string>();
  for (const [i, u] of raw.entries()) {
    if (!isObject(u)) return ctx.errors.issue('INVALID_PARAMETER_VALUE', { field: `/purchase_units/${i}` });
    const given = typeof u.reference_id === 'string' && u.reference_id !== '' ? u.reference_id : undefined;
    if (raw.length > 1 && given === undefined) return ctx.errors.issue('REFERENCE_ID_REQUIRED', { field: `/purchase_units/${i}/reference_id` });
    const referenceId = given ?? 'default';
    if (seen.has(referenceId)) return ctx.errors.issue('DUPLICATE_REFERENCE_ID', { field: `/purchase_units/${i}/reference_id` });
    seen.add(referenceId);
    const amount = parseAmount(ctx, u.amount, unitPath(referenceId, 'amount'));
    if (isError(amount)) return amount;
    if (units.length > 0 && units[0]!.currency !== amount.currency) return ctx.errors.issue('MULTI_CURRENCY_ORDER', { field: unitPath(referenceId, 'amount/currency_code') });
    const extra: Json = {};
    for (const [k, v] of Object.entries(u)) if (!MODELLED.has(k)) extra[k] = v;
    units.push({
      referenceId,
      value: amount.value,
      currency: amount.currency,
      invoiceId: typeof u.invoice_id === 'string' ? u.invoice_id : undefined,
      customId: typeof u.custom_id === 'string' ? u.custom_id : undefined,
      extra,
      captures: [],
    });
  }
  return units;
}
