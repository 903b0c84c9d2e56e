import type { ProviderDescriptor } from './descriptor.js';

/**
 * The digital yuan (e-CNY) as a WireMock-described provider (simulators/wiremock/ecny/): a worked
 * bring-your-own example beside localwallet. Its API is an illustration in the shape of a bank's
 * e-CNY merchant acquiring interface (none is public): amounts in fen, CNY only, a payment
 * PROCESSING until the shopper confirms in their e-CNY wallet app, then SUCCESS.
 */
export const ECNY: ProviderDescriptor = {
  name: 'wiremock:ecny',
  displayName: 'e-CNY (WireMock)',
  simulator: 'wiremock',
  method: 'wallet',
  paymentMethods: ['pm_ecny'],
  // Confirmation happens on WireMock's side (a scenario), not through a shopper route of ours.
  shopperStep: false,
  apiKeyCheck: false,
  orderNumbering: { field: 'merchantOrderNo', rule: 'merchantOrderNo, 1–64 characters', pattern: /^[\s\S]{1,64}$/ },
  wire: {
    createPath: '/ecny/v1/payments',
    statusPath: '/ecny/v1/payments/{id}',
    createdStatus: 201,
    request: { reference: 'merchantOrderNo', amount: 'amountFen', currency: 'currency', callbackUrl: 'notifyUrl' },
    response: { id: 'paymentNo', status: 'tradeStatus' },
    states: { pending: ['PROCESSING'], succeeded: ['SUCCESS'], failed: ['FAILED', 'CLOSED'] },
    codes: {
      WALLET_BALANCE_INSUFFICIENT: 'insufficient_funds',
      WALLET_LIMIT_EXCEEDED: 'limit_exceeded',
      CURRENCY_NOT_SUPPORTED: 'invalid_request',
      UNAUTHORIZED: 'invalid_request',
    },
  },
  redaction: { secretKeys: [] },
  lifecycleUnsupported: {
    refund: "its WireMock stubs describe pay and status only, and the reference gateway's wallet client (gateway/clients/localwallet.ts) has no refund to send",
    cancel: "its WireMock stubs describe pay and status only, and the reference gateway's wallet client (gateway/clients/localwallet.ts) has no cancel to send",
  },
};
