import type { Behaviour, IdGenerator, IdempotencyStore, Ledger, NewLedgerEntry, WebhookDispatcher } from '../core/index.js';
import type { IntentRecord, StripeState } from './objects.js';
import { stripeEvent, type StripeEventType } from './webhooks.js';

/** Everything a Stripe route needs; built once per simulator in server.ts. */
export interface StripeContext {
  readonly ledger: Ledger;
  readonly state: StripeState;
  readonly idempotency: IdempotencyStore;
  readonly behaviour: Behaviour;
  readonly webhooks: WebhookDispatcher;
  readonly ids: IdGenerator;
  /** Wall-clock unix seconds, for `created` fields. */
  nowS(): number;
}

/** Queue a webhook carrying a snapshot of `object`. */
export function emitEvent(ctx: StripeContext, type: StripeEventType, object: unknown, idempotencyKey: string | undefined): void {
  const id = ctx.ids.next('evt');
  // Without an endpoint the event is only logged as undeliverable: skip serialising it.
  if (!ctx.webhooks.enabled) return ctx.webhooks.emit({ id, type, payload: null });
  ctx.webhooks.emit(stripeEvent(id, type, object, ctx.nowS(), idempotencyKey));
}

/**
 * Record a money movement of a PaymentIntent in the ledger. Without a merchant `order_id` the
 * ledger's order key is the PaymentIntent id; the settlement CSV relies on that to leave its
 * order column empty (settlement.ts).
 */
export function recordMovement(ctx: StripeContext, rec: IntentRecord, kind: NewLedgerEntry['kind'], amount: number, idempotencyKey: string | undefined, reference?: string): void {
  const i = rec.intent;
  ctx.ledger.append({
    kind,
    paymentId: i.id,
    orderId: i.metadata.order_id ?? i.id,
    idempotencyKey: idempotencyKey ?? rec.idempotencyKey,
    amount,
    currency: i.currency,
    traceId: rec.traceId,
    ...(reference ? { reference } : {}),
  });
}
