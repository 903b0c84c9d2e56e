import type { ProviderDescriptor } from './descriptor.js';

/**
 * UnionPay online gateway (全渠道, version 5.1.0): RSA-SHA256 signed form requests, answers
 * and notifications carrying UnionPay's signing certificate; the gateway pays by back consume.
 */
export const UNIONPAY: ProviderDescriptor = {
  name: 'unionpay',
  displayName: 'UnionPay',
  simulator: 'native',
  method: 'card',
  paymentMethods: ['pm_card_unionpay'],
  // The gateway pays by back transaction; a front (cashier) consume's shopper is simulated by
  // shopperDelayMs, which `--shopper-approves` does not drive.
  shopperStep: false,
  apiKeyCheck: false,
  // orderId: 8–40 letters or digits ("不能含 - 或 _").
  orderNumbering: { field: 'orderId', rule: 'orderId, 8–40 letters or digits', pattern: /^[A-Za-z0-9]{8,40}$/ },
  redaction: {
    // `signature` is masked by the kernel as a whole key; the merchant's private key is ours.
    secretKeys: ['signature', 'merchantPrivateKey'],
    // queryId (21 digits), certId (a long decimal serial), merId, traceNo and the times are not
    // card numbers (orderId is an id by its spelling already).
    referenceKeys: ['queryId', 'origQryId', 'certId', 'merId', 'traceNo', 'txnTime', 'traceTime'],
  },
  lifecycleUnsupported: {
    cancel: "the reference gateway's UnionPay client (gateway/clients/unionpay.ts) speaks consume and refund only, not the consume undo (撤销); and a UnionPay payment is answered paid or failed, never held for a cancel",
  },
};
