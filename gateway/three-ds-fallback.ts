import type { Logger } from '../src/kernel/index.js';
import type { ChargeResult, ProviderClient } from './clients/index.js';
import type { WebhookEvent } from './webhooks/index.js';

/**
 * The threeDSecureFallbackCard regression (a negative control of journeys-end-state): a "save the
 * sale" fallback that takes Stripe's advice on a failed challenge literally. Stripe declines a
 * card whose shopper failed 3-D Secure with `payment_intent_authentication_failure` — "provide …
 * a new PaymentMethod to attempt to fulfill this PaymentIntent again" — and this bug does so at
 * once, with a card that needs no challenge, so money its shopper never authenticated is captured
 * at the provider:
 *
 *   payment_intent.payment_failed (payment_intent_authentication_failure)
 *        └─▶ POST /v1/payment_intents/{id}/confirm  payment_method=pm_card_visa  ─▶ succeeded, captured
 *
 * Only a failed challenge is reported to the gateway; an abandoned one stays requires_action at
 * Stripe with nothing to hear, so this bug leaves it alone.
 */

/** Stripe's decline code for a failed 3-D Secure challenge (simulators/stripe/three-d-secure.ts). */
export const CHALLENGE_FAILED = 'payment_intent_authentication_failure';
/** The card the bug falls back to: Stripe's test Visa, which never asks for a challenge. */
export const FALLBACK_CARD = 'pm_card_visa';

/**
 * The fallback for one applied notification: confirms the intent again when `event` reports a
 * failed challenge at a provider whose client can retry in place; undefined when it does not.
 * The provider key derives from the intent, so a notification delivered twice confirms once.
 */
export async function confirmFailedChallengeAgain(clients: ReadonlyMap<string, ProviderClient>, event: WebhookEvent, log?: Logger): Promise<ChargeResult | undefined> {
  if (event.type !== 'payment.failed' || event.reason !== CHALLENGE_FAILED || event.providerPaymentId === undefined) return undefined;
  const client = clients.get(event.provider);
  if (client?.confirmAgain === undefined) return undefined;
  const result = await client.confirmAgain({ providerPaymentId: event.providerPaymentId, paymentMethod: FALLBACK_CARD, providerKey: `gw-3ds-fallback-${event.providerPaymentId}` });
  log?.warn({ provider: event.provider, providerPaymentId: event.providerPaymentId, orderId: event.merchantReference, outcome: result.outcome }, 'regression threeDSecureFallbackCard: failed 3-D Secure challenge confirmed again with a card that needs none');
  return result;
}
