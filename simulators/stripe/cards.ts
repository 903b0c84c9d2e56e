/**
 * Stripe's test cards (PROVIDERS.md "Test triggers"), by raw number and by test PaymentMethod id
 * — both forms are accepted, as test mode does — and the outcomes a behaviour profile may force
 * by decline code.
 */
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
};

export const TEST_PAYMENT_METHODS: readonly string[] = Object.freeze(Object.keys(BY_PM));

/** The behaviour of a payment method id or raw card number; undefined when Stripe would reject it. */
export function cardBehaviour(paymentMethod: string): CardBehaviour | undefined {
  const number = BY_PM[paymentMethod] ?? paymentMethod.replace(/[ -]/g, '');
  return BY_NUMBER[number];
}

export function last4(paymentMethod: string): string {
  return (BY_PM[paymentMethod] ?? paymentMethod.replace(/[ -]/g, '')).slice(-4);
}
