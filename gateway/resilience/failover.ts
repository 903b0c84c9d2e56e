import type { ChargeResult } from '../clients/index.js';

/**
 * Why a payment left its channel for the next. Each names a case where the charge **certainly
 * did not happen** at the channel left behind — the only cases where charging elsewhere is safe.
 */
export type FailoverReason =
  /** The breaker is open (or probing): no call was made. */
  | 'circuit_open'
  /** Refused at connect: nothing reached the provider. */
  | 'connection_refused'
  /** The provider answered, before doing anything, that it cannot serve (503 before execution, maintenance, key store down). */
  | 'provider_unavailable'
  /** The provider answered 429: it refused the payment, it did not take it. */
  | 'rate_limited'
  /** Only under the failoverOnUnknown regression: the outcome was unknown — the double-charge bug. */
  | 'outcome_unknown';

/**
 * The reason to fail over from this answer, or undefined when the payment must stay where it is.
 *
 * `pending` never fails over, whatever its code: a timeout after sending, a reset, a body cut
 * short, "charged, then 500" (the clients read every 5xx after sending as pending — the provider
 * may have committed) all leave a charge that may exist. Charging the same order at another
 * provider is the classic way to take a shopper's money twice; such a payment stays pending for a
 * status query (the recovery loop), never a second provider.
 */
export function failoverReasonOf(result: ChargeResult): FailoverReason | undefined {
  if (result.outcome !== 'failed') return undefined;
  if (result.errorCode === 'network_error') return 'connection_refused';
  if (result.errorCode === 'provider_unavailable') return 'provider_unavailable';
  if (result.errorCode === 'rate_limited') return 'rate_limited';
  return undefined;
}

/** What only the failoverOnUnknown regression fails over: a payment that may have been charged. */
export function outcomeUnknown(result: ChargeResult): boolean {
  return result.outcome === 'pending' && result.errorCode !== undefined;
}
