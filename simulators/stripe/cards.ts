/**
 * Stripe's test cards (PROVIDERS.md "Test triggers") and the outcomes a behaviour profile may
 * force by decline code.
 *
 * Stripe's API takes a test card as its test PaymentMethod id (`pm_card_visa`). A raw card number
 * as `payment_method` is an id Stripe does not know (400 `resource_missing`), and so it is here: a
 * harness for PCI-minded teams never carries a PAN (issue #18), so the earlier leniency of
 * taking the raw test number is gone, and the refusal names the test ids instead of echoing the
 * number. A number in
 * `payment_method_data[card][number]` is refused as Stripe refuses it for an account without raw
 * card data access (payment-method-data.ts).
 */
import { maskCardNumbers } from '../../src/kernel/index.js';
import type { ErrorResponse } from '../core/index.js';
import { invalidRequest } from './errors.js';
import { WALLET_TEST_METHODS } from './card-wallets.js';

export type CardBehaviour =
  | { kind: 'succeed' }
  | { kind: 'decline'; code: string; declineCode: string | undefined; message: string }
  | { kind: 'requires_action' };

const decline = (code: string, declineCode: string | undefined, message: string): CardBehaviour => ({ kind: 'decline', code, declineCode, message });

/**
 * What the profile's `outcomes` may name, and what each does. Decline codes ride on
 * `code: card_declined` except the few Stripe reports under their own error code.
 */
export const STRIPE_OUTCOMES: Readonly<Record<string, CardBehaviour>> = Object.freeze({
  generic_decline: decline('card_declined', 'generic_decline', 'Your card was declined.'),
  card_declined: decline('card_declined', 'generic_decline', 'Your card was declined.'),
  do_not_honor: decline('card_declined', 'do_not_honor', 'Your card was declined.'),
  insufficient_funds: decline('card_declined', 'insufficient_funds', 'Your card has insufficient funds.'),
  lost_card: decline('card_declined', 'lost_card', 'Your card was declined.'),
  stolen_card: decline('card_declined', 'stolen_card', 'Your card was declined.'),
  fraudulent: decline('card_declined', 'fraudulent', 'Your card was declined.'),
  card_velocity_exceeded: decline('card_declined', 'card_velocity_exceeded', 'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.'),
  issuer_not_available: decline('card_declined', 'issuer_not_available', 'Your card was declined.'),
  try_again_later: decline('card_declined', 'try_again_later', 'Your card was declined.'),
  duplicate_transaction: decline('card_declined', 'duplicate_transaction', 'Your card was declined.'),
  expired_card: decline('expired_card', 'expired_card', 'Your card has expired.'),
  incorrect_cvc: decline('incorrect_cvc', 'incorrect_cvc', "Your card's security code is incorrect."),
  processing_error: decline('processing_error', 'processing_error', 'An error occurred while processing your card. Try again in a little bit.'),
  authentication_required: { kind: 'requires_action' },
});

const BY_NUMBER: Record<string, CardBehaviour> = {
  '4242424242424242': { kind: 'succeed' },
  '5555555555554444': { kind: 'succeed' },
  '4000000000000002': STRIPE_OUTCOMES.generic_decline!,
  '4000000000009995': STRIPE_OUTCOMES.insufficient_funds!,
  '4000000000000069': STRIPE_OUTCOMES.expired_card!,
  '4000000000000127': STRIPE_OUTCOMES.incorrect_cvc!,
  '4000000000000119': STRIPE_OUTCOMES.processing_error!,
  '4000002500003155': { kind: 'requires_action' },
  '4000000000003220': { kind: 'requires_action' },
};

const BY_PM: Record<string, string> = {
  pm_card_visa: '4242424242424242',
  pm_card_mastercard: '5555555555554444',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_authenticationRequired: '4000002500003155',
  pm_card_threeDSecure2Required: '4000000000003220',
  // Apple Pay / Google Pay: the same test cards through a phone wallet (card-wallets.ts).
  ...Object.fromEntries(Object.entries(WALLET_TEST_METHODS).map(([id, w]) => [id, w.number])),
};

export const TEST_PAYMENT_METHODS: readonly string[] = Object.freeze(Object.keys(BY_PM));

/** Stripe's test tokens (`card[token]=tok_visa`), the form a PaymentMethod is created from server-side. */
const BY_TOKEN: Record<string, string> = {
  tok_visa: '4242424242424242',
  tok_mastercard: '5555555555554444',
  tok_chargeDeclined: '4000000000000002',
  tok_chargeDeclinedInsufficientFunds: '4000000000009995',
  tok_chargeDeclinedExpiredCard: '4000000000000069',
  tok_chargeDeclinedIncorrectCvc: '4000000000000127',
  tok_chargeDeclinedProcessingError: '4000000000000119',
  tok_threeDSecure2Required: '4000000000003220',
};

/** The test card number behind a test token, or undefined (Stripe: "No such token"). */
export function tokenCard(token: string): string | undefined {
  return Object.hasOwn(BY_TOKEN, token) ? BY_TOKEN[token] : undefined;
}

/** The test card number behind a `pm_card_*` id; undefined for anything else (a raw number included). */
export function testCardNumber(paymentMethod: string): string | undefined {
  return isTestPaymentMethodId(paymentMethod) ? BY_PM[paymentMethod] : undefined;
}

/**
 * Whether a `payment_method` is a card number (13–19 digits, spaces, dashes or dots allowed)
 * rather than an id. Stripe knows no PaymentMethod by a number; the answer must not echo it
 * either (a PAN in an error body ends up in logs), so the refusal masks it.
 */
export function looksLikeCardNumber(value: string): boolean {
  return /^[\d .-]{13,23}$/.test(value) && /^\d{13,19}$/.test(value.replace(/[ .-]/g, ''));
}

/**
 * A card number given as `payment_method` (on a PaymentIntent or a Customer): Stripe's
 * `resource_missing`, naming the test ids instead, the number shown as receipts print it (first
 * six, last four). `payment_method` is the one field the simulator's arrival mask leaves to this
 * refusal (server.ts), so every route that reads it asks here first.
 */
export function refuseCardNumberAsPaymentMethod(value: string): ErrorResponse | undefined {
  let shown: string;
  if (looksLikeCardNumber(value)) {
    const digits = value.replace(/[ .-]/g, '');
    shown = `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
  } else {
    // A card number inside other text ("visa 4242 4242 …"): shown masked, as the logs show it.
    shown = maskCardNumbers(value);
    if (shown === value) return undefined;
  }
  return invalidRequest(`No such PaymentMethod: '${shown}'. A card number is not a PaymentMethod id: use a test PaymentMethod such as pm_card_visa (see https://stripe.com/docs/testing).`, 'resource_missing', 'payment_method');
}

/** Whether the id is one of Stripe's magic test PaymentMethod ids (not an object anybody created). */
export function isTestPaymentMethodId(id: string): boolean {
  return Object.hasOwn(BY_PM, id);
}

/** The card brand as Stripe names it in `card.brand`, from the number's prefix. */
export function brandOf(number: string): string {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  return 'unknown';
}

/** The behaviour of a test PaymentMethod id or raw test card number; undefined for anything else (Stripe: "No such PaymentMethod"). */
export function cardBehaviour(paymentMethod: string): CardBehaviour | undefined {
  return Object.hasOwn(BY_NUMBER, cardNumberOf(paymentMethod)) ? BY_NUMBER[cardNumberOf(paymentMethod)] : undefined;
}

function cardNumberOf(paymentMethod: string): string {
  return Object.hasOwn(BY_PM, paymentMethod) ? BY_PM[paymentMethod]! : paymentMethod.replace(/[ .-]/g, '');
}

/** The last four digits of the test card behind a PaymentMethod id or number ('' for anything else). */
export function last4(paymentMethod: string): string {
  return cardBehaviour(paymentMethod) ? cardNumberOf(paymentMethod).slice(-4) : '';
}
