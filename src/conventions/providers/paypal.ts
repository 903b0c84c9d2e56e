import type { ProviderDescriptor } from './descriptor.js';

/** PayPal Orders v2: OAuth client credentials; the buyer approves the order before capture. */
export const PAYPAL: ProviderDescriptor = {
  name: 'paypal',
  displayName: 'PayPal',
  simulator: 'native',
  method: 'wallet',
  paymentMethods: ['pm_paypal'],
  shopperStep: true,
  apiKeyCheck: false,
  // purchase_units[].invoice_id: up to 127 characters, unique per merchant account.
  orderNumbering: { field: 'purchase_units[].invoice_id', rule: 'invoice_id, 1–127 characters', pattern: /^[\s\S]{1,127}$/ },
  redaction: {
    secretKeys: ['clientSecret', 'client_secret', 'access_token', 'PAYPAL-TRANSMISSION-SIG', 'webhookPrivateKey'],
  },
};
