import type { ProviderDescriptor } from './descriptor.js';

/** Adyen Checkout: cards (raw fields or Drop-in's encrypted ones), HMAC-signed notifications. */
export const ADYEN: ProviderDescriptor = {
  name: 'adyen',
  displayName: 'Adyen',
  simulator: 'native',
  method: 'card',
  // The traffic model sends Stripe-style test card ids; the gateway turns them into Adyen's test cards.
  paymentMethods: [
    'pm_card_visa',
    'pm_card_mastercard',
    'pm_card_chargeDeclined',
    'pm_card_chargeDeclinedInsufficientFunds',
    'pm_card_chargeDeclinedExpiredCard',
    'pm_card_chargeDeclinedIncorrectCvc',
    'pm_card_chargeDeclinedProcessingError',
    'pm_card_authenticationRequired',
    // Apple Pay / Google Pay (network-token cards), iDEAL and GrabPay (redirects): issue #15.
    'pm_card_visa_applePay',
    'pm_card_mastercard_googlePay',
    'pm_ideal',
    'pm_grabpay',
  ],
  // Its wallets (Alipay, WeChat Pay, PayPal carried as payment methods) wait for the shopper at the wallet.
  otherMethods: ['wallet_card', 'bank_redirect', 'wallet'],
  shopperStep: true,
  apiKeyCheck: true,
  // Adyen's `reference`: the merchant's payment reference, up to 80 characters.
  orderNumbering: { field: 'reference', rule: 'reference, 1–80 characters', pattern: /^[\s\S]{1,80}$/ },
  redaction: {
    // Drop-in's encrypted card fields, the HMAC key, and the notification's signature.
    secretKeys: ['encryptedCardNumber', 'encryptedSecurityCode', 'encryptedExpiryMonth', 'encryptedExpiryYear', 'hmacKey', 'hmacSignature', 'x-api-key'],
    // pspReference is a 16-digit id; one in ten pass Luhn by chance and must stay readable.
    referenceKeys: ['pspReference', 'originalReference', 'paymentPspReference', 'pspreference'],
  },
};
