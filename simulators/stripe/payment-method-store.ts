import { hash } from 'node:crypto';
import { brandOf, isTestPaymentMethodId, testCardNumber } from './cards.js';
import { walletOf } from './card-wallets.js';
import type { CardDetails, CardWallet, PaymentMethod, StripeState } from './objects.js';

/**
 * Which test card stands behind a `payment_method`: a PaymentMethod somebody created (or attached,
 * which clones a test id into a new one, as Stripe does), else a test id or number (cards.ts).
 */
export function resolveCard(state: StripeState, paymentMethod: string): string | undefined {
  return state.paymentMethods.get(paymentMethod)?.number ?? testCardNumber(paymentMethod);
}

/**
 * `card` as Stripe shows it: brand, last four, an expiry (test cards take any future date; the
 * simulator shows December of the year after `nowS`), and a fingerprint that is the same for the
 * same number, so a merchant can spot one card saved twice.
 */
export function cardDetails(number: string, nowS: number): CardDetails {
  return {
    brand: brandOf(number),
    last4: number.slice(-4),
    exp_month: 12,
    exp_year: new Date(nowS * 1000).getUTCFullYear() + 1,
    funding: 'credit',
    country: 'US',
    fingerprint: hash('sha256', `paychaos-card:${number}`, 'base64url').slice(0, 16),
  };
}

/** The PaymentMethod object behind an id: a stored one, or the fixed view of a test id (`pm_card_visa`). */
export function paymentMethodObject(state: StripeState, id: string, nowS: number): PaymentMethod | undefined {
  const stored = state.paymentMethods.get(id);
  if (stored) return stored.pm;
  if (!isTestPaymentMethodId(id)) return undefined;
  const number = testCardNumber(id)!;
  return {
    id,
    object: 'payment_method',
    type: 'card',
    card: { ...cardDetails(number, nowS), ...walletField(id) },
    customer: null,
    billing_details: { email: null, name: null, phone: null, address: null },
    metadata: {},
    created: 0,
    livemode: false,
  };
}

/** `{ wallet }` for a wallet test id (card-wallets.ts), nothing for a plain card: spread into `card`. */
export function walletField(paymentMethod: string): { wallet?: CardWallet } {
  const wallet = walletOf(paymentMethod);
  return wallet ? { wallet } : {};
}
