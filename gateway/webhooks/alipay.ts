import { Credentials, majorToMinor, verifySha256WithRsa } from '../clients/index.js';
import { readOnce } from './keys.js';
import { eventOf, forged, malformed, str, text, verified, type Verify, type WebhookEventType } from './event.js';

/**
 * Alipay asynchronous notifications (opendocs.alipay.com, 异步通知验签): a form-encoded POST.
 * Every parameter but `sign` and `sign_type`, with a non-empty value, URL-decoded, sorted by
 * name and joined `k=v&…`, is SHA256withRSA-signed (`sign_type=RSA2`) with Alipay's key; verify
 * with the Alipay public key (the connection's `credentials.alipayPublicKey`). Alipay also asks
 * the merchant to check that `app_id` is its own (`credentials.appId`): a notification for
 * another app, even correctly signed, is not ours. `notify_id` is stable across retries.
 */
export const verifyAlipay: Verify = (_headers, rawBody, credentials, options = {}) => {
  const { appId, key } = readOnce(credentials, 'alipay', () => {
    const c = new Credentials('alipay', credentials);
    c.require(['appId', 'alipayPublicKey']);
    return { appId: c.text('appId'), key: c.rsaPublicKey('alipayPublicKey') };
  });
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(text(rawBody));
  } catch {
    return malformed('the body is not form-encoded');
  }
  const sign = params.get('sign');
  if (!sign) return malformed('the notification has no sign parameter');
  const signType = params.get('sign_type');
  if (signType !== null && signType !== 'RSA2') return forged(`sign_type ${signType} is not RSA2 (SHA256withRSA)`);
  const fields = new Map<string, string>();
  for (const [k, v] of params) if (k !== 'sign' && k !== 'sign_type' && v !== '') fields.set(k, v);
  const content = [...fields.keys()].sort().map((k) => `${k}=${fields.get(k)}`).join('&');
  if (options.ignoreSignature !== true && !verifySha256WithRsa(content, sign, key)) return forged('sign does not verify with the Alipay public key');
  if (fields.get('app_id') !== appId) return forged(`the notification is for app_id ${fields.get('app_id') ?? '(none)'}, not ours`);
  const notifyId = fields.get('notify_id');
  if (notifyId === undefined) return malformed('the notification has no notify_id');

  const currency = (fields.get('trans_currency') ?? 'CNY').toLowerCase();
  const isRefund = fields.has('refund_fee') && (fields.has('gmt_refund') || fields.has('out_biz_no'));
  const status = fields.get('trade_status') ?? '';
  // A refund's notification: refund_fee is the trade's refunded total so far (Alipay's field), out_biz_no the refund's number.
  // So it is a running total (payment.refunded), never one refund's amount: a notification that
  // overtakes a retried refund's answer (charged, then 500) would book the whole total as that
  // refund (every-channel under faults: books 4749, Alipay 2575).
  const type: WebhookEventType = isRefund ? 'payment.refunded' : STATUS[status] ?? 'other';
  const amountText = isRefund ? fields.get('refund_fee') : fields.get('total_amount');
  const when = (isRefund ? fields.get('gmt_refund') : fields.get('gmt_payment')) ?? fields.get('notify_time');
  return verified([
    eventOf({
      provider: 'alipay',
      eventId: notifyId,
      type,
      providerType: isRefund ? `refund:${status}` : status || str(fields.get('notify_type')) || 'notify',
      providerPaymentId: fields.get('trade_no'),
      merchantReference: fields.get('out_trade_no'),
      refundId: isRefund ? fields.get('out_biz_no') : undefined,
      amount: amountText !== undefined ? majorToMinor(amountText, currency) : undefined,
      currency,
      occurredAt: when !== undefined ? beijingToIso(when) : undefined,
      reason: undefined,
    }),
  ]);
};

const STATUS: Readonly<Record<string, WebhookEventType>> = {
  TRADE_SUCCESS: 'payment.succeeded',
  TRADE_FINISHED: 'payment.succeeded',
  // Closed unpaid (timed out, cancelled); a fully refunded trade's notification carries refund_fee.
  TRADE_CLOSED: 'payment.cancelled',
  WAIT_BUYER_PAY: 'payment.pending',
};

/** `yyyy-MM-dd HH:mm:ss`, Beijing time (UTC+8) → ISO 8601; anything else is passed on as it came. */
function beijingToIso(t: string): string {
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(t) ? `${t.replace(' ', 'T')}+08:00` : t;
}
