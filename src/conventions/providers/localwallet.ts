import type { ProviderDescriptor } from './descriptor.js';

/** The worked WireMock provider (simulators/wiremock/localwallet/): a GrabPay-style wallet. */
export const LOCALWALLET: ProviderDescriptor = {
  name: 'wiremock:localwallet',
  displayName: 'localwallet (WireMock)',
  simulator: 'wiremock',
  method: 'wallet',
  paymentMethods: ['pm_localwallet'],
  // Approval happens on WireMock's side (a scenario), not through a shopper route of ours.
  shopperStep: false,
  apiKeyCheck: false,
  orderNumbering: { field: 'reference', rule: 'reference, 1–64 characters', pattern: /^[\s\S]{1,64}$/ },
  redaction: {
    // Bearer sk_test_… is caught by Stripe-style key shapes and the Authorization rule.
    secretKeys: [],
  },
};
