import { metrics, trace, type Counter, type Gauge, type Histogram, type Meter, type Tracer } from '@opentelemetry/api';

/**
 * The OpenTelemetry instruments of DESIGN.md "Telemetry conventions", created in one place so
 * every emitter uses the same names, units and buckets. Durations are in seconds with explicit
 * boundaries: the SDK's defaults are millisecond-scale and would put every payment in one bucket.
 *
 *   payment.requests           counter    → payment_requests_total
 *   payment.duration           histogram  → payment_duration_seconds_bucket|_sum|_count
 *   payment.provider.calls     counter    → payment_provider_calls_total
 *   payment.provider.duration  histogram  → payment_provider_duration_seconds_*
 *   payment.provider.retries   counter    → payment_provider_retries_total (a call repeated to the same provider)
 *   payment.provider.breaker_state gauge  → payment_provider_breaker_state (BREAKER_STATE_VALUE)
 *   payment.failovers          counter    → payment_failovers_total (payment.failover_from → payment.provider)
 */
export const DURATION_BUCKETS_S: readonly number[] = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30]);

export interface PaymentInstruments {
  readonly tracer: Tracer;
  readonly requests: Counter;
  readonly duration: Histogram;
  readonly providerCalls: Counter;
  readonly providerDuration: Histogram;
  /** A provider call that repeats one to the same provider under the same key (labels as provider calls, without outcome). */
  readonly retries: Counter;
  /** A provider's circuit breaker, BREAKER_STATE_VALUE: recorded at start (closed) and on every change. */
  readonly breakerState: Gauge;
  /** A payment leaving one channel for the next: payment.failover_from the channel left, payment.provider the next. */
  readonly failovers: Counter;
}

/**
 * The breaker-state gauge's encoding, ordered by how sick the provider is, so `max` over a
 * window reads "was it ever open": 0 closed, 1 half-open (one probe call out), 2 open.
 */
export const BREAKER_STATE_VALUE = Object.freeze({ closed: 0, half_open: 1, open: 2 } as const);

/**
 * Instruments from the global providers. Call after the SDK is started (the metrics API has no
 * late-binding proxy): without an SDK they are no-ops, which costs next to nothing.
 */
export function paymentInstruments(scope = 'paychaos'): PaymentInstruments {
  const meter = metrics.getMeter(scope);
  const seconds = { unit: 's', advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_S] } };
  return {
    tracer: trace.getTracer(scope),
    requests: meter.createCounter('payment.requests', { description: 'Payment requests answered, by outcome and normalised error code' }),
    duration: meter.createHistogram('payment.duration', { description: 'Time to answer a payment request', ...seconds }),
    providerCalls: meter.createCounter('payment.provider.calls', { description: 'Calls to payment providers, retries and failovers included' }),
    providerDuration: meter.createHistogram('payment.provider.duration', { description: 'Time of one provider call', ...seconds }),
    ...resilienceInstruments(meter),
  };
}

/**
 * The resilience instruments (retries, breaker state, failovers): no unit in their names, so the
 * gateway's private pull meter creates them with these same calls (gateway/metrics.ts).
 */
export function resilienceInstruments(meter: Meter): Pick<PaymentInstruments, 'retries' | 'breakerState' | 'failovers'> {
  return {
    retries: meter.createCounter('payment.provider.retries', { description: 'Provider calls that repeat an earlier call to the same provider under the same key' }),
    breakerState: meter.createGauge('payment.provider.breaker_state', { description: "A provider's circuit breaker: 0 closed, 1 half-open, 2 open" }),
    failovers: meter.createCounter('payment.failovers', { description: 'Payments leaving one provider channel for the next (payment.failover_from → payment.provider)' }),
  };
}
