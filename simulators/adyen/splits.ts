import type { ErrorResponse } from '../core/index.js';
import { validation } from './errors.js';

/**
 * Split payments (Adyen for Platforms, docs.adyen.com/platforms/online-payments/split-transactions):
 * a `splits` array on `/payments`, `/captures` or `/refunds` books parts of the amount to balance
 * accounts — the sale to the user's (`BalanceAccount`), the platform's cut to its liable account
 * (`Commission`) — and says who bears the transaction fees (`PaymentFee`, `AcquiringFees`, …:
 * no amount, they are not known yet).
 *
 * The amounts that are known must add up to the amount they split: a payment's, a capture's or a
 * refund's. Adyen front-end systems validate the format of split instructions only, not whether
 * an account exists, and so does the simulator. A split moves money among the platform's
 * accounts, not to or from the shopper: it is kept on the payment and echoed in the modification
 * answers, and never written to the shared ledger.
 */
export interface AdyenSplit {
  type: string;
  account?: string;
  amount?: { value: number; currency?: string };
  reference?: string;
  description?: string;
}

/** Types whose amount is part of the sum; the fee types carry none. */
const AMOUNT_TYPES: ReadonlySet<string> = new Set(['BalanceAccount', 'Commission', 'Surcharge', 'Tip', 'TopUp', 'VAT', 'Default', 'MarketPlace']);
/** Fee and remainder types: the account that bears them, no amount. */
const FEE_TYPES: ReadonlySet<string> = new Set(['PaymentFee', 'AcquiringFees', 'AdyenFees', 'AdyenCommission', 'AdyenMarkup', 'Interchange', 'SchemeFee', 'Remainder']);
/** Types that must name the account they book to (a Commission goes to the platform's liable account when none is given). */
const NEED_ACCOUNT = (type: string): boolean => type !== 'Commission';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Check `splits` against the amount it splits; the parsed splits, or Adyen's validation error naming
 * the item and the rule. Absent → undefined splits and no error.
 */
export function readSplits(raw: unknown, amount: { value: number; currency: string }): { splits?: AdyenSplit[]; error?: ErrorResponse } {
  if (raw === undefined) return {};
  if (!Array.isArray(raw) || raw.length === 0) return { error: validation('702', "Field 'splits' must be a non-empty array of split items.") };
  const splits: AdyenSplit[] = [];
  let sum = 0;
  for (const [i, item] of raw.entries()) {
    const at = `splits[${i}]`;
    if (!isObject(item)) return { error: validation('702', `Field '${at}' must be an object.`) };
    const type = item.type;
    if (typeof type !== 'string' || (!AMOUNT_TYPES.has(type) && !FEE_TYPES.has(type))) {
      return { error: validation('702', `Invalid '${at}.type': ${String(type)}; expected one of ${[...AMOUNT_TYPES, ...FEE_TYPES].join(', ')}.`) };
    }
    if (NEED_ACCOUNT(type) && (typeof item.account !== 'string' || item.account === '')) return { error: validation('702', `Required field '${at}.account' is not provided.`) };
    if (type === 'BalanceAccount' && (typeof item.reference !== 'string' || item.reference === '')) return { error: validation('702', `Required field '${at}.reference' is not provided.`) };
    const split: AdyenSplit = { type };
    if (typeof item.account === 'string') split.account = item.account;
    if (typeof item.reference === 'string') split.reference = item.reference;
    if (typeof item.description === 'string') split.description = item.description;
    if (AMOUNT_TYPES.has(type)) {
      const a = item.amount;
      if (!isObject(a) || typeof a.value !== 'number' || !Number.isSafeInteger(a.value) || a.value < 0) return { error: validation('702', `Required field '${at}.amount.value' is not provided or not a non-negative integer.`) };
      if (a.currency !== undefined && a.currency !== amount.currency) return { error: validation('138', `Currency of '${at}.amount' (${String(a.currency)}) does not match the payment's ${amount.currency}.`) };
      split.amount = { value: a.value, ...(typeof a.currency === 'string' ? { currency: a.currency } : {}) };
      sum += a.value;
    }
    splits.push(split);
  }
  if (sum !== amount.value) {
    return { error: validation('702', `Split amounts (sum ${sum}) do not add up to the amount being split (${amount.value} ${amount.currency}): the BalanceAccount, Commission and other amount splits must sum to it exactly.`) };
  }
  return { splits };
}
