import { dashboard, labelVariable } from './build.js';
import type { Dashboard } from './model.js';
import { CALLS, DURATION_BUCKET, REQUESTS, quantile, rate, sel, successRatio } from './promql.js';

/** Payments overview: is paying working, how fast, and when not, why — by provider and method. */
export function overviewDashboard(): Dashboard {
  const s = (extra: Record<string, string> = {}) => sel(extra);
  return dashboard(
    {
      uid: 'paychaos-overview',
      title: 'paychaos · Payments overview',
      description: 'Success rate, throughput, latency and error codes of the gateway, from its GET /metrics.',
      tags: ['paychaos', 'payments'],
    },
    [
      labelVariable('variant', 'Variant', REQUESTS, 'paychaos_variant'),
      labelVariable('provider', 'Provider', REQUESTS, 'payment_provider'),
      labelVariable('method', 'Method', REQUESTS, 'payment_method'),
    ],
    [
      { type: 'stat', title: 'Success rate', description: 'Share of payment answers that succeeded, over the rate window, for the selected variants, providers and methods.', unit: 'percentunit', w: 6, min: 0, max: 1, targets: [{ expr: successRatio(s), legend: 'success rate' }] },
      { type: 'stat', title: 'Throughput', description: 'Payment answers per second, every outcome.', unit: 'reqps', w: 6, targets: [{ expr: `sum (${rate(REQUESTS, s())})`, legend: 'payments/s' }] },
      { type: 'stat', title: 'p95 latency', description: 'Time to answer a payment, 95th percentile, estimated from the histogram buckets (explicit second-scale buckets).', unit: 's', w: 6, targets: [{ expr: quantile(0.95, DURATION_BUCKET, s()), legend: 'p95' }] },
      { type: 'stat', title: 'Provider calls per payment', description: 'Provider calls (retries and failovers included) per payment answered: 1 in steady state, above 1 while the gateway retries or fails over.', unit: 'none', w: 6, targets: [{ expr: `sum (${rate(CALLS, s())}) / sum (${rate(REQUESTS, s())})`, legend: 'calls/payment' }] },
      { type: 'timeseries', title: 'Success rate by variant', description: 'Succeeded / all payment answers per variant: baseline and canary on one axis.', unit: 'percentunit', min: 0, max: 1, targets: [{ expr: successRatio(s, ['paychaos_variant']), legend: '{{paychaos_variant}}' }] },
      { type: 'timeseries', title: 'Throughput by outcome', description: 'Payment answers per second by outcome (succeeded, failed, pending).', unit: 'reqps', targets: [{ expr: `sum by (payment_outcome) (${rate(REQUESTS, s())})`, legend: '{{payment_outcome}}' }] },
      {
        type: 'timeseries',
        title: 'Latency p50 / p95 / p99',
        description: 'Time to answer a payment at the gateway, quantiles estimated from payment_duration_seconds buckets; linear interpolation inside a bucket.',
        unit: 's',
        targets: [
          { expr: quantile(0.5, DURATION_BUCKET, s()), legend: 'p50' },
          { expr: quantile(0.95, DURATION_BUCKET, s()), legend: 'p95' },
          { expr: quantile(0.99, DURATION_BUCKET, s()), legend: 'p99' },
        ],
      },
      { type: 'timeseries', title: 'Mean latency by provider', description: 'Average time to answer a payment, by the provider that answered it (sum / count of the histogram).', unit: 's', targets: [{ expr: `sum by (payment_provider) (${rate('payment_duration_seconds_sum', s())}) / sum by (payment_provider) (${rate('payment_duration_seconds_count', s())})`, legend: '{{payment_provider}}' }] },
      { type: 'timeseries', title: 'Error codes by provider and method', description: 'Failed payments per second by normalised error code, provider and method.', unit: 'reqps', targets: [{ expr: `sum by (payment_provider, payment_method, payment_error_code) (${rate(REQUESTS, s({ payment_outcome: 'failed' }))})`, legend: '{{payment_provider}} {{payment_method}} {{payment_error_code}}' }] },
      { type: 'piechart', title: 'Error-code shares', description: 'Each normalised error code as a share of all payments over the dashboard range.', unit: 'percentunit', targets: [{ expr: `sum by (payment_error_code) (increase(${REQUESTS}${s({ payment_outcome: 'failed' })}[$__range])) / scalar(sum (increase(${REQUESTS}${s()}[$__range])))`, legend: '{{payment_error_code}}', instant: true }], options: { reduceOptions: { calcs: ['lastNotNull'] }, legend: { displayMode: 'table', placement: 'right', values: ['value'] } } },
      { type: 'table', title: 'Provider codes behind each error', description: "Failed payments over the range by provider, normalised code and the provider's own code: what to look up in the provider's docs.", unit: 'short', w: 24, targets: [{ expr: `sort_desc(sum by (payment_provider, payment_error_code, payment_provider_code) (increase(${REQUESTS}${s({ payment_outcome: 'failed' })}[$__range])))`, legend: '', instant: true }] },
    ],
  );
}
