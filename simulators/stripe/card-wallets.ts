import type { CardWallet } from './objects.js';

/**
 * Apple Pay and Google Pay on Stripe are card payments with a network token: the PaymentMethod is
 * `type: card` and its `card.wallet` names the wallet (`apple_pay` / `google_pay`) with the device
 * account number's last four in `dynamic_last4` (docs.stripe.com/api/payment_methods/object,
 * `card.wallet`). In test mode Stripe hands the wallet a real test card, so Stripe names no
 * wallet test ids of its own; the simulator's, beside the `pm_card_*` family:
 *
 *   pm_card_visa_applePay          4242 4242 4242 4242 through Apple Pay        succeeds
 *   pm_card_mastercard_googlePay   5555 5555 5555 4444 through Google Pay       succeeds
 *   pm_card_chargeDeclined_applePay 4000 0000 0000 0002 through Apple Pay       card_declined
 *
 * The charge's `payment_method_details.card.wallet` carries the same, so the wallet is on the
 * payment a merchant reads back. Money moves as for any card (the ledger does not tell them apart).
 */
export const WALLET_TEST_METHODS: Readonly<Record<string, { number: string; wallet: CardWallet['type'] }>> = Object.freeze({
  pm_card_visa_applePay: { number: '4242424242424242', wallet: 'apple_pay' },
  pm_card_mastercard_googlePay: { number: '5555555555554444', wallet: 'google_pay' },
  pm_card_chargeDeclined_applePay: { number: '4000000000000002', wallet: 'apple_pay' },
});

/** `card.wallet` for a wallet test id; undefined for a plain card. */
export function walletOf(paymentMethod: string): CardWallet | undefined {
  const w = Object.hasOwn(WALLET_TEST_METHODS, paymentMethod) ? WALLET_TEST_METHODS[paymentMethod]! : undefined;
  if (!w) return undefined;
  // The device account number differs from the card's: its last four are not the card's.
  const dynamic_last4 = w.wallet === 'apple_pay' ? '0007' : '0011';
  return w.wallet === 'apple_pay' ? { type: 'apple_pay', apple_pay: { type: 'apple_pay' }, dynamic_last4 } : { type: 'google_pay', google_pay: {}, dynamic_last4 };
}
