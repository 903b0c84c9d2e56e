import { Credentials, UnionPayTrust } from '../clients/index.js';
import { eventOf, forged, malformed, text, verified, type Verify, type WebhookEventType } from './event.js';
import { readOnce } from './keys.js';

/**
 * UnionPay back notifications (后台通知): a form-encoded POST of the transaction's fields, signed
 * like an answer — the fields but `signature`, sorted, `k=v&…`, SHA-256 hex, SHA256withRSA —
 * with the key of `signPubKeyCert`, which must chain to the configured middle and root
 * certificates and name UnionPay in its CN (unionpay-signing.ts). The merchant must also check
 * that merId is its own. UnionPay notifies successful transactions; the same transaction is
 * notified again until answered HTTP 200, so the event id is queryId + txnType.
 */
export const verifyUnionPay: Verify = (_headers, rawBody, credentials, options = {}) => {
  const { merId, trust } = readOnce(credentials, 'unionpay', () => {
    const c = new Credentials('unionpay', credentials);
    c.require(['merId', 'middleCertificate', 'rootCertificate']);
    return { merId: c.text('merId'), trust: new UnionPayTrust('unionpay', c.text('middleCertificate'), c.text('rootCertificate')) };
  });
  let fields: Record<string, string>;
  try {
    fields = Object.fromEntries(new URLSearchParams(text(rawBody)));
  } catch {
    return malformed('the body is not form-encoded');
  }
  if (!fields.signature) return malformed('the notification has no signature');
  if (options.ignoreSignature !== true) {
    const problem = trust.problem(fields, options.now?.());
    if (problem !== undefined) return forged(problem);
  }
  if (fields.merId !== merId) return forged(`the notification is for merId ${fields.merId ?? '(none)'}, not ours`);
  const { queryId, txnType, respCode } = fields;
  if (!queryId || !txnType) return malformed('the notification has no queryId or txnType');
  const ok = respCode === '00' || respCode === 'A6';
  const type: WebhookEventType = txnType === '01' ? (ok ? 'payment.succeeded' : 'payment.failed') : txnType === '04' || txnType === '31' ? (ok ? 'refund.succeeded' : 'refund.failed') : 'other';
  const refund = txnType === '04' || txnType === '31';
  const amount = /^\d+$/.test(fields.txnAmt ?? '') ? Number(fields.txnAmt) : undefined;
  return verified([
    eventOf({
      provider: 'unionpay',
      eventId: `${queryId}:${txnType}`,
      type,
      providerType: `${txnType}:${respCode ?? ''}`,
      // A refund names its consume by origQryId; its own orderId is the refund's number.
      providerPaymentId: refund ? fields.origQryId : queryId,
      merchantReference: refund ? undefined : fields.orderId,
      refundId: refund ? fields.orderId : undefined,
      amount,
      currency: 'cny',
      occurredAt: fields.txnTime && /^\d{14}$/.test(fields.txnTime) ? `${fields.txnTime.slice(0, 4)}-${fields.txnTime.slice(4, 6)}-${fields.txnTime.slice(6, 8)}T${fields.txnTime.slice(8, 10)}:${fields.txnTime.slice(10, 12)}:${fields.txnTime.slice(12, 14)}+08:00` : undefined,
      reason: ok ? undefined : fields.respMsg,
    }),
  ]);
};
