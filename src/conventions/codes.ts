/**
 * Names shared by every part: the normalised error codes (DESIGN.md "Telemetry conventions"),
 * the attribute keys on spans and metric points, and the metric names dashboards query.
 * One place, so a simulator's mapping table, the gateway, the load driver and the reports
 * cannot drift apart.
 */

/** What a caller should do on seeing the code. */
export type RetryAdvice = 'never' | 'later' | 'fix_input' | 'with_3ds' | 'new_order' | 'replay' | 'back_off' | 'query_first' | 'page_someone';

export const NORMALISED_CODES = Object.freeze({
  card_declined: 'never',
  insufficient_funds: 'later',
  expired_card: 'fix_input',
  incorrect_cvc: 'fix_input',
  invalid_payment_data: 'fix_input',
  fraud_suspected: 'never',
  limit_exceeded: 'never',
  authentication_required: 'with_3ds',
  authentication_failed: 'never',
  issuer_unavailable: 'back_off',
  order_closed: 'new_order',
  duplicate_transaction: 'replay',
  invalid_request: 'page_someone',
  rate_limited: 'back_off',
  provider_unavailable: 'back_off',
  provider_error: 'query_first',
  outcome_unknown: 'query_first',
  network_error: 'back_off',
  unknown: 'query_first',
} satisfies Record<string, RetryAdvice>);

export type NormalisedCode = keyof typeof NORMALISED_CODES;

export function isNormalisedCode(value: string): value is NormalisedCode {
  return Object.hasOwn(NORMALISED_CODES, value);
}

export type PaymentOutcome = 'succeeded' | 'failed' | 'pending';

export type Variant = 'baseline' | 'canary';

export const ATTR = Object.freeze({
  provider: 'payment.provider',
  method: 'payment.method',
  outcome: 'payment.outcome',
  errorCode: 'payment.error_code',
  providerCode: 'payment.provider_code',
  attempt: 'payment.attempt',
  failover: 'payment.failover',
  /** On payment.failovers: the channel a payment left (payment.provider is the one it went to next). */
  failoverFrom: 'payment.failover_from',
  /** On payment.failovers: why it left (circuit_open, connection_refused, provider_unavailable, rate_limited, outcome_unknown). */
  failoverReason: 'payment.failover_reason',
  /** On a provider call's span: the call repeats one to the same provider (a retry under the same key). */
  retry: 'payment.retry',
  serviceVersion: 'service.version',
  variant: 'paychaos.variant',
  scenario: 'paychaos.scenario',
  run: 'paychaos.run',
});
