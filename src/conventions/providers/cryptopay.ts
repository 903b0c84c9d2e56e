import type { ProviderDescriptor } from './descriptor.js';

/**
 * A crypto payment gateway as a WireMock-described provider (simulators/wiremock/cryptopay/): a
 * worked bring-your-own example beside localwallet, in the style of hosted crypto checkouts
 * (an invoice priced in fiat, paid on-chain, confirmed after the network's confirmations). An
 * illustration, not any one gateway's API.
 */
export const CRYPTOPAY: ProviderDescriptor = {
  name: 'wiremock:cryptopay',
  displayName: 'cryptopay (WireMock)',
  simulator: 'wiremock',
  method: 'wallet',
  paymentMethods: ['pm_crypto'],
  shopperStep: false,
  apiKeyCheck: false,
  orderNumbering: { field: 'orderId', rule: 'orderId, 1–64 characters', pattern: /^[\s\S]{1,64}$/ },
  wire: {
    createPath: '/api/v1/invoices',
    statusPath: '/api/v1/invoices/{id}',
    createdStatus: 201,
    request: { reference: 'orderId', amount: 'price.amountMinor', currency: 'price.currency', callbackUrl: 'callbackUrl' },
    response: { id: 'invoiceId', status: 'state' },
    states: { pending: ['NEW', 'PENDING_CONFIRMATIONS'], succeeded: ['CONFIRMED'], failed: ['EXPIRED', 'INVALID'] },
    codes: {
      UNDERPAID: 'insufficient_funds',
      SANCTIONED_ADDRESS: 'fraud_suspected',
      UNAUTHORIZED: 'invalid_request',
    },
  },
  redaction: { secretKeys: [] },
  lifecycleUnsupported: {
    refund: "its WireMock stubs describe pay and status only, and the reference gateway's wallet client (gateway/clients/localwallet.ts) has no refund to send",
    cancel: "its WireMock stubs describe pay and status only, and the reference gateway's wallet client (gateway/clients/localwallet.ts) has no cancel to send",
  },
};
