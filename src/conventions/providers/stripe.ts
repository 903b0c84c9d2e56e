import type { ProviderDescriptor } from './descriptor.js';

/** Stripe: PaymentIntents, cards by test PaymentMethod id (never a raw number). */
export const STRIPE: ProviderDescriptor = {
  name: 'stripe',
  displayName: 'Stripe',
  simulator: 'native',
  method: 'card',
  paymentMethods: [
    'pm_card_visa',
    'pm_card_mastercard',
    'pm_card_chargeDeclined',
    'pm_card_chargeDeclinedInsufficientFunds',
    'pm_card_chargeDeclinedExpiredCard',
    'pm_card_chargeDeclinedIncorrectCvc',
    'pm_card_chargeDeclinedProcessingError',
    'pm_card_authenticationRequired',
    'pm_card_threeDSecure2Required',
    // Apple Pay / Google Pay (network-token cards), iDEAL and GrabPay (redirects): issue #15.
    'pm_card_visa_applePay',
    'pm_card_mastercard_googlePay',
    'pm_ideal',
    'pm_grabpay',
  ],
  otherMethods: ['wallet_card', 'bank_redirect', 'wallet'],
  // iDEAL and GrabPay wait for the shopper at the bank or wallet.
  shopperStep: true,
  apiKeyCheck: true,
  // The order rides in metadata[order_id]; Stripe metadata values take up to 500 characters.
  orderNumbering: { field: 'metadata[order_id]', rule: 'metadata value, 1–500 characters', pattern: /^[\s\S]{1,500}$/ },
  redaction: {
    // card[number]/card[cvc] are caught by the kernel's card rules; these are Stripe's own.
    secretKeys: ['client_secret', 'webhookSecret'],
    lineKeys: ['Stripe-Signature'],
    shapes: [
      String.raw`\b(?:sk|rk)_(?:test|live)_[A-Za-z0-9]{6,}`, // secret and restricted API keys
      String.raw`\bwhsec_[A-Za-z0-9]{6,}`, // webhook endpoint secrets
      String.raw`\bpi_[A-Za-z0-9]{8,}_secret_[A-Za-z0-9]{6,}`, // PaymentIntent client secrets
      String.raw`\bt=\d+,v1=[0-9a-f]{16,}[^\s"]*`, // a Stripe-Signature value
    ],
  },
};
