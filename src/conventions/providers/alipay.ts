import type { ProviderDescriptor } from './descriptor.js';

/** Alipay OpenAPI (gateway.do): RSA2-signed requests and answers; the buyer pays on their phone. */
export const ALIPAY: ProviderDescriptor = {
  name: 'alipay',
  displayName: 'Alipay',
  simulator: 'native',
  method: 'wallet',
  paymentMethods: ['pm_alipay'],
  shopperStep: true,
  apiKeyCheck: false,
  // out_trade_no: up to 64 letters, digits and underscores, unique per merchant.
  orderNumbering: { field: 'out_trade_no', rule: 'out_trade_no, 1–64 letters, digits or _', pattern: /^[A-Za-z0-9_]{1,64}$/ },
  redaction: {
    // `sign` (request, answer and notify signatures) is masked by the kernel as a whole key;
    // the keys are the application's and the platform's RSA keys.
    secretKeys: ['sign', 'merchantPrivateKey', 'alipayPublicKey', 'alipayPublicKeyBase64', 'app_private_key'],
    // trade_no (2026…) and buyer ids are long digit runs, not card numbers.
    referenceKeys: ['trade_no', 'out_trade_no', 'out_request_no', 'notify_id', 'buyer_id', 'seller_id', 'buyer_user_id', 'app_id'],
  },
};
