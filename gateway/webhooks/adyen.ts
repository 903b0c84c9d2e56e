import { createHmac, timingSafeEqual } from 'node:crypto';
import { badConnection, Credentials } from '../clients/index.js';
import { readOnce } from './keys.js';
import { eventOf, forged, isObject, jsonOf, malformed, str, verified, type Verify, type WebhookEvent, type WebhookEventType } from './event.js';

/**
 * Adyen standard notifications (docs.adyen.com/development-resources/webhooks/verify-hmac-signatures):
 * a JSON `{live, notificationItems: [{NotificationRequestItem}]}`; each item carries its own
 * `additionalData.hmacSignature`: base64 HMAC-SHA256, keyed by the hex-decoded HMAC key of the
 * webhook (the connection's `credentials.hmacKey`), over
 * `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success`
 * (absent fields as empty strings). Every item must verify, or the whole POST is refused: Adyen
 * retries a batch as a whole. With `credentials.merchantAccount` set, items for another merchant
 * account are refused too.
 */
export const verifyAdyen: Verify = (_headers, rawBody, credentials, options = {}) => {
  const { key, merchantAccount } = readOnce(credentials, 'adyen', () => {
    const c = new Credentials('adyen', credentials);
    const hex = c.text('hmacKey');
    if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw badConnection('adyen', 'credentials.hmacKey', 'must be the hex HMAC key of the webhook, as the Customer Area shows it');
    return { key: Buffer.from(hex, 'hex'), merchantAccount: c.has('merchantAccount') ? c.text('merchantAccount') : undefined };
  });
  const body = jsonOf(rawBody);
  const items = body && Array.isArray(body.notificationItems) ? body.notificationItems : undefined;
  if (!items || items.length === 0) return malformed('the body is not an Adyen notification {notificationItems: [{NotificationRequestItem}]}');
  const events: WebhookEvent[] = [];
  for (const [i, wrapper] of items.entries()) {
    const item = isObject(wrapper) && isObject(wrapper.NotificationRequestItem) ? wrapper.NotificationRequestItem : undefined;
    if (!item) return malformed(`notificationItems[${i}] has no NotificationRequestItem`);
    const amount = isObject(item.amount) ? item.amount : {};
    const signature = isObject(item.additionalData) ? str(item.additionalData.hmacSignature) : undefined;
    if (signature === undefined) return malformed(`notificationItems[${i}].NotificationRequestItem.additionalData.hmacSignature is missing`);
    const signed = [item.pspReference, item.originalReference, item.merchantAccountCode, item.merchantReference, amount.value, amount.currency, item.eventCode, item.success]
      .map((v) => (v === undefined || v === null ? '' : String(v)))
      .join(':');
    const expected = createHmac('sha256', key).update(signed, 'utf8').digest();
    const given = Buffer.from(signature, 'base64');
    if (options.ignoreSignature !== true && (given.length !== expected.length || !timingSafeEqual(given, expected))) return forged(`notificationItems[${i}]: hmacSignature does not match the HMAC key`);
    if (merchantAccount !== undefined && item.merchantAccountCode !== merchantAccount) return forged(`notificationItems[${i}] is for merchant account ${String(item.merchantAccountCode)}, not ${merchantAccount}`);
    events.push(adyenEvent(item, amount));
  }
  return verified(events);
};

/** eventCode × success (× a dispute's disputeStatus) → the normalised type. */
function typeOf(eventCode: string, success: boolean, disputeStatus: string | undefined, operations: readonly unknown[]): WebhookEventType {
  switch (eventCode) {
    // Disputes (docs.adyen.com, "Dispute webhooks"): opened, funds deducted, funds returned.
    case 'NOTIFICATION_OF_CHARGEBACK':
      return 'dispute.opened';
    case 'CHARGEBACK':
      return disputeStatus === 'Lost' || disputeStatus === 'Accepted' || disputeStatus === 'Expired' ? 'dispute.lost' : 'dispute.funds_withdrawn';
    case 'CHARGEBACK_REVERSED':
      return 'dispute.funds_reinstated';
    case 'AUTHORISATION':
      // A hold (manual capture) lists CAPTURE among the operations still possible: authorised, not captured.
      if (success && operations.includes('CAPTURE')) return 'payment.authorised';
      return success ? 'payment.succeeded' : 'payment.failed';
    case 'CAPTURE':
      // A refused capture leaves the authorisation as it was (held, or voided by a cancel that won): not a failed payment.
      return success ? 'payment.captured' : 'capture.failed';
    case 'CAPTURE_FAILED':
      return 'capture.failed';
    case 'CANCELLATION':
    case 'TECHNICAL_CANCEL':
    case 'CANCEL_OR_REFUND':
      return success ? 'payment.cancelled' : 'cancel.failed';
    case 'REFUND':
      return success ? 'refund.succeeded' : 'refund.failed';
    case 'REFUND_FAILED':
    case 'REFUNDED_REVERSED':
      return 'refund.failed';
    default:
      return 'other';
  }
}

function adyenEvent(item: Record<string, unknown>, amount: Record<string, unknown>): WebhookEvent {
  const eventCode = String(item.eventCode ?? '');
  const success = item.success === 'true' || item.success === true;
  const psp = str(item.pspReference);
  const original = str(item.originalReference);
  const additional = isObject(item.additionalData) ? item.additionalData : {};
  const type = typeOf(eventCode, success, str(additional.disputeStatus), Array.isArray(item.operations) ? item.operations : []);
  const isRefund = type.startsWith('refund.');
  const isDispute = type.startsWith('dispute.');
  return eventOf({
    provider: 'adyen',
    // Adyen: "the combination of eventCode, pspReference and success" identifies a notification; retries repeat it.
    eventId: `${psp ?? ''}:${eventCode}:${success}`,
    type,
    providerType: eventCode,
    // A modification's own pspReference is the modification's; the payment's is originalReference.
    providerPaymentId: original ?? psp,
    merchantReference: str(item.merchantReference),
    refundId: isRefund ? psp : undefined,
    // Every event of one dispute carries the dispute's own pspReference.
    disputeId: isDispute ? psp : undefined,
    amount: typeof amount.value === 'number' && Number.isSafeInteger(amount.value) ? amount.value : undefined,
    currency: str(amount.currency)?.toLowerCase(),
    occurredAt: str(item.eventDate),
    reason: isDispute ? str(additional.chargebackReasonCode) : success ? undefined : str(item.reason),
  });
}
