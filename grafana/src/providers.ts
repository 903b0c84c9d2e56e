import { dashboard, labelVariable } from './build.js';
import type { Dashboard } from './model.js';
import { BREAKER_STATE, CALLS, CALL_DURATION_BUCKET, FAILOVERS, PROVIDER_TROUBLE, REQUESTS, RETRIES, quantile, rate, sel } from './promql.js';

/**
 * Providers: what each provider answered the gateway, how often the gateway retried it, whether
 * its circuit breaker was open, and how many payments left it for another. The breaker gauge
 * (payment_provider_breaker_state) reads 0 closed, 1 half-open (one probe out), 2 open: `max`
 * over series reads "was it open anywhere".
 *
 * Two panels are not filtered by the scenario and run variables: Toxiproxy's byte counters and the
 * gateways' `up` come from the scrape of what runs now and carry no run labels (compose's static
 * targets cannot know the run id); a run filter would only blank them once a run is picked. The
 * breaker panel has no method filter to drop: a breaker belongs to a provider, whatever the method.
 */
export function providersDashboard(): Dashboard {
  const s = (extra: Record<string, string> = {}) => sel(extra, ['variant', 'provider']);
  return dashboard(
    {
      uid: 'paychaos-providers',
      title: 'paychaos · Providers',
      description: 'Per provider: calls and their outcomes, retries, circuit-breaker state, failovers away from it, call latency and the codes it answered.',
      tags: ['paychaos', 'providers'],
    },
    [labelVariable('variant', 'Variant', CALLS, 'paychaos_variant'), labelVariable('provider', 'Provider', CALLS, 'payment_provider')],
    [
      { type: 'timeseries', title: 'Provider calls by outcome', description: 'Calls to each provider per second by outcome, retries, failovers and status queries included.', unit: 'reqps', targets: [{ expr: `sum by (payment_provider, payment_outcome) (${rate(CALLS, s())})`, legend: '{{payment_provider}} {{payment_outcome}}' }] },
      { type: 'timeseries', title: 'Retries per provider', description: 'Provider calls per second that repeat an earlier call of the same payment to the same provider, under the same key (payment_provider_retries_total): the retry budget caps them while a provider is sick.', unit: 'reqps', targets: [{ expr: `sum by (payment_provider) (${rate(RETRIES, s())})`, legend: '{{payment_provider}}' }] },
      {
        type: 'timeseries',
        title: 'Breaker state',
        description: "Each provider's circuit breaker per variant (payment_provider_breaker_state): 0 closed, 1 half-open (one probe call out), 2 open (no calls: payments fail over or fail fast).",
        unit: 'none',
        min: 0,
        max: 2,
        mappings: [{ type: 'value', options: { '0': { text: 'closed', color: 'green', index: 0 }, '1': { text: 'half-open', color: 'orange', index: 1 }, '2': { text: 'open', color: 'red', index: 2 } } }],
        targets: [{ expr: `max by (paychaos_variant, payment_provider) (${BREAKER_STATE}${s()})`, legend: '{{paychaos_variant}} {{payment_provider}}' }],
      },
      { type: 'timeseries', title: 'Failovers per provider', description: 'Payments per second leaving each provider for the next channel (payment_failovers_total), by the provider left, the one taken, and why. The provider variable picks the provider left.', unit: 'reqps', targets: [{ expr: `sum by (payment_failover_from, payment_provider, payment_failover_reason) (${rate(FAILOVERS, sel({ payment_failover_from: '~$provider' }, ['variant']))})`, legend: '{{payment_failover_from}} → {{payment_provider}} ({{payment_failover_reason}})' }] },
      { type: 'timeseries', title: 'Failover-class call failures', description: 'Failed provider calls whose code sends the gateway to a retry or another provider (network_error, provider_unavailable, provider_error, outcome_unknown, rate_limited, issuer_unavailable), by provider and code.', unit: 'reqps', targets: [{ expr: `sum by (payment_provider, payment_error_code) (${rate(CALLS, s({ payment_outcome: 'failed', payment_error_code: PROVIDER_TROUBLE }))})`, legend: '{{payment_provider}} {{payment_error_code}}' }] },
      { type: 'timeseries', title: 'Provider calls per payment', description: 'Provider calls per payment answered, by variant: 1 when every payment is one call; each retry or failover adds one.', unit: 'none', targets: [{ expr: `sum by (paychaos_variant) (${rate(CALLS, sel({}, ['variant']))}) / sum by (paychaos_variant) (${rate(REQUESTS, sel({}, ['variant']))})`, legend: '{{paychaos_variant}}' }] },
      { type: 'timeseries', title: 'Provider call latency p95', description: 'Time of one provider call, 95th percentile by provider, from payment_provider_duration_seconds buckets.', unit: 's', targets: [{ expr: quantile(0.95, CALL_DURATION_BUCKET, s(), ['payment_provider']), legend: '{{payment_provider}}' }] },
      { type: 'table', title: 'Failed calls by provider code', description: "Failed provider calls over the range by provider, normalised code and the provider's own code (ECONNREFUSED while a proxy is down).", unit: 'short', targets: [{ expr: `sort_desc(sum by (payment_provider, payment_error_code, payment_provider_code) (increase(${CALLS}${s({ payment_outcome: 'failed' })}[$__range])))`, legend: '', instant: true }] },
      { type: 'timeseries', title: 'Proxy traffic per link', description: 'Bytes per second through each Toxiproxy proxy (toxiproxy -proxy-metrics), both directions: flat at zero while a proxy is down. Not filtered by run: the proxy carries no run labels.', unit: 'Bps', targets: [{ expr: 'sum by (proxy) (rate(toxiproxy_proxy_sent_bytes_total[$__rate_interval]))', legend: '{{proxy}}' }] },
      { type: 'stat', title: 'Gateways up', description: "Whether Prometheus reaches each gateway's /metrics (1 up, 0 down), by variant. Not filtered by run: `up` carries the scrape job's labels only.", unit: 'none', targets: [{ expr: 'max by (paychaos_variant) (up{job="gateways"})', legend: '{{paychaos_variant}}' }], options: { reduceOptions: { calcs: ['lastNotNull'] }, textMode: 'value_and_name' } },
    ],
  );
}
