import type { Clock } from '../../src/kernel/index.js';
import { inTrace, type Behaviour, type DisputeOpened, type DisputeRequest, type IdGenerator, type IdempotencyStore, type Ledger, type NewLedgerEntry, type WebhookDispatcher } from '../core/index.js';
import type { AdyenPayment, AdyenState } from './objects.js';
import { adyenNotification, type AdyenEventCode } from './webhooks.js';

export interface AdyenContext {
  readonly ledger: Ledger;
  readonly state: AdyenState;
  readonly idempotency: IdempotencyStore;
  readonly behaviour: Behaviour;
  readonly webhooks: WebhookDispatcher;
  readonly ids: IdGenerator;
  /** Status for a duplicate that meets its key in flight: Adyen documents 422, sometimes 409. */
  readonly inFlightStatus: 409 | 422;
  /** Clock of notifications and of the shopper's delay (scaled in scenarios). */
  readonly clock: Clock;
  /** When set, a wallet shopper authorises at the wallet this long after the payment is made (simulated ms). */
  readonly shopperApprovesAfterMs: number | undefined;
  now(): Date;
  /** Open a dispute on a captured payment (disputes.ts; also `POST /__sim/disputes`). */
  openDispute(request: DisputeRequest): DisputeOpened;
}

export function recordMovement(ctx: AdyenContext, p: AdyenPayment, kind: NewLedgerEntry['kind'], amount: number, idempotencyKey: string | undefined, reference?: string): void {
  ctx.ledger.record({
    kind,
    paymentId: p.pspReference,
    orderId: p.reference,
    idempotencyKey: idempotencyKey ?? p.idempotencyKey,
    amount,
    currency: p.amount.currency,
    traceId: p.traceId,
    ...(reference ? { reference } : {}),
  });
  // A captured payment may be disputed by the shopper's bank (profile `disputes`): once this
  // request is answered and its own notifications queued.
  if (kind === 'capture') {
    const dispute = ctx.behaviour.dispute();
    if (dispute) setImmediate(() => ctx.openDispute({ paymentId: p.pspReference, ...dispute }));
  }
}

/** Queue a notification about `p` (or a modification of it, with its own pspReference). */
export function notify(
  ctx: AdyenContext,
  p: AdyenPayment,
  eventCode: AdyenEventCode,
  success: boolean,
  extra: { modificationReference?: string; amount?: { value: number; currency: string }; reason?: string; additionalData?: Record<string, string> } = {},
): void {
  const modification = extra.modificationReference;
  ctx.webhooks.emit(
    inTrace(adyenNotification(ctx.ids.next('ntf'), {
      pspReference: modification ?? p.pspReference,
      ...(modification ? { originalReference: p.pspReference } : {}),
      merchantAccountCode: p.merchantAccount,
      merchantReference: p.reference,
      amount: extra.amount ?? p.amount,
      eventCode,
      eventDate: ctx.now().toISOString().replace(/\.\d+Z$/, '+00:00'),
      success: success ? 'true' : 'false',
      paymentMethod: p.brand ?? p.paymentMethodType,
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(extra.additionalData ? { additional: extra.additionalData } : {}),
      ...(eventCode === 'AUTHORISATION' && success ? { operations: p.captureMode === 'manual' ? ['CANCEL', 'CAPTURE', 'REFUND'] : ['REFUND'] } : {}),
    }), p.traceId),
  );
}
