import type { ProviderDescriptor } from './descriptor.js';

/** WeChat Pay APIv3: WECHATPAY2-SHA256-RSA2048 requests, signed answers, AES-GCM notifications. */
export const WECHATPAY: ProviderDescriptor = {
  name: 'wechatpay',
  displayName: 'WeChat Pay',
  simulator: 'native',
  method: 'wallet',
  paymentMethods: ['pm_wechat_pay'],
  shopperStep: true,
  apiKeyCheck: false,
  // out_trade_no: 6–32 characters, digits, letters and _ - | *.
  orderNumbering: { field: 'out_trade_no', rule: 'out_trade_no, 6–32 of A-Z a-z 0-9 _ - | *', pattern: /^[A-Za-z0-9_|*-]{6,32}$/ },
  redaction: {
    secretKeys: ['apiV3Key', 'Wechatpay-Signature', 'ciphertext', 'merchantPrivateKey'],
    shapes: [String.raw`\bWECHATPAY2-SHA256-RSA2048[ \t][^\r\n]*`], // the Authorization header's value
    referenceKeys: ['transaction_id', 'out_trade_no', 'mchid', 'sp_mchid', 'sub_mchid', 'refund_id', 'out_refund_no'],
  },
};
