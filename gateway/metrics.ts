import type { Attributes, Context, Counter, Gauge, Histogram } from '@opentelemetry/api';
import { DURATION_BUCKETS_S, resilienceInstruments, type PaymentInstruments } from '../src/conventions/index.js';
import { EXPOSITION_CONTENT_TYPE, pullMeter } from '../src/kernel/index.js';

/**
 * GET /metrics: the gateway's own payment metrics in Prometheus text exposition, whatever
 * telemetry SDK the process has (often none: the in-process gateway, `paychaos gateway` without
 * OTLP). The conventions' instruments (src/conventions paymentInstruments) go to the global
 * provider, for OTLP export; this keeps a private pull meter (the kernel's pullMeter: the OTel
 * Prometheus exporter as a reader, no server of its own) and records every point into both.
 *
 * The names are DESIGN.md's right-hand ones as dashboards query them — payment_requests_total,
 * payment_duration_seconds_bucket|_sum|_count, payment_provider_calls_total,
 * payment_provider_duration_seconds_*, and the resilience series payment_provider_retries_total,
 * payment_provider_breaker_state (0 closed, 1 half-open, 2 open) and payment_failovers_total —
 * so the private histograms carry `_seconds` in their name:
 * the OTel Prometheus exporter does not append the unit (DESIGN.md "Facts that shape this").
 * Buckets are the conventions' (seconds). The attributes are the same bounded set as the
 * conventions' points. Cost: one more counter add and histogram record per point, and a
 * collection only when scraped.
 */
export interface GatewayMetrics {
  /** The conventions' instruments, each point also recorded for /metrics. */
  readonly instruments: PaymentInstruments;
  /** The exposition text (text/plain; version=0.0.4). */
  text(): Promise<string>;
  close(): Promise<void>;
}

export function gatewayMetrics(conventions: PaymentInstruments, scope = 'paychaos-gateway'): GatewayMetrics {
  const pull = pullMeter(scope);
  const meter = pull.meter;
  const seconds = { unit: 's', advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_S] } };
  const own = {
    requests: meter.createCounter('payment.requests', { description: 'Payment requests answered, by outcome and normalised error code' }),
    duration: meter.createHistogram('payment.duration_seconds', { description: 'Time to answer a payment request', ...seconds }),
    providerCalls: meter.createCounter('payment.provider.calls', { description: 'Calls to payment providers, retries and failovers included' }),
    providerDuration: meter.createHistogram('payment.provider.duration_seconds', { description: 'Time of one provider call', ...seconds }),
    // No unit in these names: the conventions' own calls make the same series.
    ...resilienceInstruments(meter),
  };
  return {
    instruments: {
      tracer: conventions.tracer,
      requests: teeCounter(conventions.requests, own.requests),
      duration: teeHistogram(conventions.duration, own.duration),
      providerCalls: teeCounter(conventions.providerCalls, own.providerCalls),
      providerDuration: teeHistogram(conventions.providerDuration, own.providerDuration),
      retries: teeCounter(conventions.retries, own.retries),
      breakerState: teeGauge(conventions.breakerState, own.breakerState),
      failovers: teeCounter(conventions.failovers, own.failovers),
    },
    text: () => pull.text(),
    close: () => pull.close(),
  };
}

function teeCounter(a: Counter, b: Counter): Counter {
  return {
    add(value: number, attributes?: Attributes, context?: Context): void {
      a.add(value, attributes, context);
      b.add(value, attributes, context);
    },
  };
}

function teeHistogram(a: Histogram, b: Histogram): Histogram {
  return {
    record(value: number, attributes?: Attributes, context?: Context): void {
      a.record(value, attributes, context);
      b.record(value, attributes, context);
    },
  };
}

function teeGauge(a: Gauge, b: Gauge): Gauge {
  return {
    record(value: number, attributes?: Attributes, context?: Context): void {
      a.record(value, attributes, context);
      b.record(value, attributes, context);
    },
  };
}
