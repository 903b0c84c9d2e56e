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
  // simulators/wiremock/localwallet/README.md
  wire: {
    createPath: '/v1/charges',
    statusPath: '/v1/charges/{id}',
    createdStatus: 201,
    request: { reference: 'reference', amount: 'amount', currency: 'currency', callbackUrl: 'callbackUrl' },
    response: { id: 'id', status: 'status' },
    states: { pending: ['PENDING'], succeeded: ['SUCCEEDED'], failed: ['FAILED'] },
    codes: {
      INSUFFICIENT_BALANCE: 'insufficient_funds',
      RISK_REJECTED: 'fraud_suspected',
      // Our API key is missing or wrong: nobody should retry; someone should look.
      UNAUTHORIZED: 'invalid_request',
      RATE_LIMITED: 'rate_limited',
      CHARGE_NOT_REFUNDABLE: 'invalid_request',
    },
  },
  redaction: {
    // Bearer sk_test_… is caught by Stripe-style key shapes and the Authorization rule.
    secretKeys: [],
  },
  lifecycleUnsupported: {
    refund: "its WireMock stubs describe pay and status only, and the reference gateway's wallet client (gateway/clients/localwallet.ts) has no refund to send",
    cancel: "its WireMock stubs describe pay and status only, and the reference gateway's wallet client (gateway/clients/localwallet.ts) has no cancel to send",
  },
};
