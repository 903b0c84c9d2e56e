import type { StripeState } from './objects.js';

/**
 * PaymentIntents by `metadata['order_id']`, kept past `retain` like the intents themselves (a
 * spill map of ids). Lists and searches walk the newest `retain` intents in memory; Stripe's
 * search covers every object, and the one search a payment integration relies on — its own order
 * id, when an answer was lost and it must learn whether it charged — must keep finding a payment
 * however many came after it (issue #19: a long run at a high rate pushes it out of the cache).
 */
export function indexIntentOrder(state: StripeState, intent: { id: string; metadata: Record<string, string> }): void {
  const orderId = intent.metadata.order_id;
  if (orderId === undefined || orderId === '') return;
  const ids = state.intentsByOrder.get(orderId) ?? [];
  if (!ids.includes(intent.id)) state.intentsByOrder.set(orderId, [...ids, intent.id]);
}

/** The ids of intents ever filed under `orderId` (their metadata may have changed since: re-check it). */
export function intentIdsForOrder(state: StripeState, orderId: string): readonly string[] {
  return state.intentsByOrder.get(orderId) ?? [];
}
