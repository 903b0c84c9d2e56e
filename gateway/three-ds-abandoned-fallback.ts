import type { Logger } from '../src/kernel/index.js';
import type { ChargeResult, ProviderClient, QueryRequest } from './clients/index.js';
import { FALLBACK_CARD } from './three-ds-fallback.js';

/**
 * The threeDSecureAbandonedFallback regression (a negative control of journeys-end-state): the
 * same "save the sale" fallback as threeDSecureFallbackCard, for the challenge nobody reports. A
 * shopper who never opens the 3-D Secure page leaves the PaymentIntent in requires_action at
 * Stripe, and no notification ever comes; this bug stops waiting for them after the gateway's
 * wait, finds the intent still waiting, and confirms it again with a card that needs no
 * challenge — so money its shopper never authenticated is captured at the provider:
 *
 *   202 pending (3-D Secure page) ──▶ CHALLENGE_WAIT_MS, no answer ──▶ GET the intent: still requires_action
 *        └─▶ POST /v1/payment_intents/{id}/confirm  payment_method=pm_card_visa  ─▶ succeeded, captured
 *
 * The status query spares the challenges that were answered in time: a passed one is succeeded,
 * a failed one back in requires_payment_method, and the bug leaves both alone. The wait is longer
 * than a visiting shopper takes (the traffic model's pause before a visit is at most 1 s by
 * default), so only shoppers who never come are hit.
 */

/** How long the gateway waits for a shopper at the 3-D Secure page before this bug steps in. */
export const CHALLENGE_WAIT_MS = 3_000;

/** The payment a 3-D Secure page was handed out for, as the store holds it. */
export type WaitingChallenge = QueryRequest & { readonly provider: string; readonly providerPaymentId: string };

/**
 * Watches payments answered with a 3-D Secure page and, for each still waiting after `waitMs`,
 * confirms it again with FALLBACK_CARD. close() cancels the waits not yet over and lets the
 * confirms under way finish, so nothing reaches a provider once the gateway has closed.
 */
export class AbandonedChallengeFallback {
  readonly #clients: ReadonlyMap<string, ProviderClient>;
  readonly #waitMs: number;
  readonly #log: Logger | undefined;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #running = new Set<Promise<unknown>>();
  #closed = false;

  constructor(clients: ReadonlyMap<string, ProviderClient>, options: { waitMs?: number; log?: Logger | undefined } = {}) {
    this.#clients = clients;
    this.#waitMs = options.waitMs ?? CHALLENGE_WAIT_MS;
    this.#log = options.log;
  }

  /** Start the wait for one payment handed a 3-D Secure page, at a provider whose client can query it and retry it in place. */
  watch(payment: WaitingChallenge): void {
    const client = this.#clients.get(payment.provider);
    if (this.#closed || client?.query === undefined || client.confirmAgain === undefined) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const run = confirmAbandonedChallengeAgain(client, payment, this.#log).catch((err: unknown) => this.#log?.warn({ err, providerPaymentId: payment.providerPaymentId }, 'regression threeDSecureAbandonedFallback: the fallback failed'));
      this.#running.add(run);
      void run.finally(() => this.#running.delete(run));
    }, this.#waitMs);
    // A wait never keeps the process alive on its own: close() clears it.
    timer.unref();
    this.#timers.add(timer);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await Promise.allSettled([...this.#running]);
  }
}

/**
 * One payment past the wait: asks the provider where the intent is, and confirms it again with
 * FALLBACK_CARD only if it still waits for its shopper at the page; undefined when it does not.
 * The provider key derives from the intent, so a second look confirms once.
 */
export async function confirmAbandonedChallengeAgain(client: ProviderClient, payment: WaitingChallenge, log?: Logger): Promise<ChargeResult | undefined> {
  if (client.query === undefined || client.confirmAgain === undefined) return undefined;
  const now = await client.query(payment);
  if (now.kind !== 'waiting' || now.result.nextActionUrl === undefined) return undefined;
  const result = await client.confirmAgain({ providerPaymentId: payment.providerPaymentId, paymentMethod: FALLBACK_CARD, providerKey: `gw-3ds-abandoned-${payment.providerPaymentId}` });
  log?.warn({ provider: payment.provider, providerPaymentId: payment.providerPaymentId, orderId: payment.orderId, outcome: result.outcome }, 'regression threeDSecureAbandonedFallback: an unanswered 3-D Secure challenge confirmed again with a card that needs none');
  return result;
}
