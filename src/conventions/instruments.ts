import { metrics, trace, type Counter, type Histogram, type Tracer } from '@opentelemetry/api';

/**
 * The OpenTelemetry instruments of DESIGN.md "Telemetry conventions", created in one place so
 * every emitter uses the same names, units and buckets. Durations are in seconds with explicit
 * boundaries: the SDK's defaults are millisecond-scale and would put every payment in one bucket.
 *
 *   payment.requests           counter    → payment_requests_total
 *   payment.duration           histogram  → payment_duration_seconds_bucket|_sum|_count
 *   payment.provider.calls     counter    → payment_provider_calls_total
 *   payment.provider.duration  histogram  → payment_provider_duration_seconds_*
 */
export const DURATION_BUCKETS_S: readonly number[] = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30]);

export interface PaymentInstruments {
  readonly tracer: Tracer;
  readonly requests: Counter;
  readonly duration: Histogram;
  readonly providerCalls: Counter;
  readonly providerDuration: Histogram;
}

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
  };
}
